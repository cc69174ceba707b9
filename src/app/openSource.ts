// Where a run reads its events, opened the same way by every face (`trailbook run`, the demo,
// the editor): the target names a source, the pool gives back that source over its store in
// the right cache folder. A new source (Athena, Trino) arrives here once, for all of them.
import { EventStore } from '../engine/eventStore';
import type { CellSource } from '../engine/eventSource';
import { openSqlChecker } from '../engine/sqlCheck';
import type { AthenaInputNames } from '../sources/athena/athenaSource';
import type { ScanBound } from '../sources/athena/scanBound';
import type { AwsSession } from '../sources/aws/awsSession';
import type { MfaCodeProvider } from '../sources/aws/credentials';
import { LocalLogsSource } from '../sources/local/localLogs';
import { cacheDirFor, lookupCacheDirFor, lookupCacheDirForAccount, lookupCacheDirForProfiles } from './cacheLocation';

// The remote sources are required when a target first needs one, not with this module: a run
// on local logs then never evaluates the AWS SDK (~80 ms of every `trailbook run`'s start when
// it did) nor Trino's client. esbuild evaluates a module that is only require()d when the call
// is made; test/unit/cli-lazy-start.test.ts holds the line.
const trino = () => require('../sources/trino/trinoSource') as typeof import('../sources/trino/trinoSource');
const athena = () => require('../sources/athena/athenaSource') as typeof import('../sources/athena/athenaSource');
const aws = () => require('../sources/aws/awsSession') as typeof import('../sources/aws/awsSession');
const lookup = () => require('../sources/lookup/lookupSource') as typeof import('../sources/lookup/lookupSource');
const ssoSession = () => require('../sources/aws/ssoSessionProfiles') as typeof import('../sources/aws/ssoSessionProfiles');

export type LocalTarget = { readonly kind: 'local'; readonly logsPath: string };
export type LookupTarget = {
  readonly kind: 'lookup';
  readonly profile?: string;
  readonly regions: readonly string[];
  readonly endpoint?: string;
  /** Several accounts at once: these profiles, each read at its own rate, in parallel. */
  readonly profiles?: readonly string[];
  /** Every profile of ~/.aws/config that signs in through this `[sso-session NAME]` (an account and role each). */
  readonly ssoSession?: string;
};
/** A team's own Trino over a table with the Athena CloudTrail schema. Secrets come from the environment, never a runbook. */
export type TrinoTarget = {
  readonly kind: 'trino';
  readonly server: string;
  readonly user: string;
  /** `catalog.schema.table`. */
  readonly table: string;
  readonly password?: string;
  readonly accessToken?: string;
};
/** Athena over the trail's table. Credentials come from the profile (or the environment), as for LookupEvents. */
export type AthenaTarget = {
  readonly kind: 'athena';
  readonly workgroup: string;
  readonly database: string;
  readonly table: string;
  readonly catalog: string;
  readonly region: string;
  /** Where results go when the workgroup sets no location. */
  readonly outputLocation?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  /** The account and region partitions' values to read (an organisation table); none: every one. */
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly maxScanBytes: number;
  readonly pricePerTb: number;
};
export type RunTarget = LocalTarget | LookupTarget | TrinoTarget | AthenaTarget;

export interface OpenedSource {
  readonly source: CellSource;
  readonly store: EventStore;
  /** The cache folder; undefined for a store that lives only as long as the run. */
  readonly folder: string | undefined;
}

export interface OpenOptions {
  /** Asked for a code when a profile assumes a role behind MFA (the editor prompts, the CLI reads the terminal). */
  readonly mfaCodeProvider?: MfaCodeProvider;
  /** Athena: asked when a query could scan more than the limit (the editor's dialog); without it such a query is refused. */
  readonly confirmScan?: (bound: ScanBound, limitBytes: number) => Promise<boolean>;
  /** Athena: how the face names its inputs in errors (flags or settings). */
  readonly athenaNames?: AthenaInputNames;
  /** Local logs: answer a cold scan's first cell before writing the cache (see LocalLogsOptions). */
  readonly answerFirst?: boolean;
}

const ATHENA_SETTING_NAMES: AthenaInputNames = {
  table: 'trailbook.athena.table',
  workgroup: 'trailbook.athena.workgroup',
  maxScan: 'trailbook.athena.maxScanBytes',
};

/** Two targets with one key share a store and an AWS session. */
export function targetKey(target: RunTarget): string {
  switch (target.kind) {
    case 'local':
      return `local\0${target.logsPath}`;
    case 'lookup':
      return `lookup\0${target.profile ?? ''}\0${target.endpoint ?? ''}\0${target.regions.join(',')}\0${target.profiles?.join(',') ?? ''}\0${target.ssoSession ?? ''}`;
    case 'trino':
      return `trino\0${target.server}\0${target.user}\0${target.table}`;
    case 'athena':
      return `athena\0${target.profile ?? ''}\0${target.endpoint ?? ''}\0${target.region}\0${target.workgroup}\0${target.catalog}.${target.database}.${target.table}`;
  }
}

/**
 * The stores and AWS sessions of one face, kept for its life: DuckDB locks a cache folder per
 * process, so one store a folder; a session whose identity resolved is kept so the account
 * (and an MFA code) is asked once.
 */
/** The map key of the store remote sources are given (no folder can be named so). */
const REMOTE_STORE = 'remote\0';

export class SourcePool {
  private readonly stores = new Map<string, Promise<EventStore>>();
  private readonly sessions = new Map<string, AwsSession>();
  /** A DuckDB that only parses, for the remote sources' guard and window rewrite. */
  private parser: ReturnType<typeof openSqlChecker> | undefined;

  /** `cacheRoot` undefined: every store is temporary and parses its logs again (`--no-cache`). */
  constructor(private readonly cacheRoot: string | undefined) {}

  async open(target: RunTarget, options: OpenOptions = {}): Promise<OpenedSource> {
    if (target.kind === 'trino') {
      // Nothing is stored for a remote engine. The runner's interface still asks for a
      // store: one temporary store serves every remote target for the pool's life, since
      // the editor opens a source on every run and a store each time would pile up.
      const store = await this.remoteStore();
      const source = new (trino().TrinoSource)({
        connection: {
          server: target.server,
          user: target.user,
          ...(target.password !== undefined ? { password: target.password } : {}),
          ...(target.accessToken !== undefined ? { accessToken: target.accessToken } : {}),
        },
        target: { table: target.table },
        parser: async () => (await (this.parser ??= openSqlChecker())).connection,
      });
      return { source, store, folder: undefined };
    }
    if (target.kind === 'athena') {
      const store = await this.remoteStore();
      const key = targetKey(target);
      // One session per target for the pool's life: an MFA code or SSO login is asked once.
      const session =
        this.sessions.get(key) ??
        new (aws().AwsSession)({
          region: target.region,
          ...(target.profile ? { profile: target.profile } : {}),
          ...(target.endpoint ? { endpoint: target.endpoint } : {}),
          ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
        });
      this.sessions.set(key, session);
      const source = new (athena().AthenaSource)({
        settings: target,
        session,
        names: options.athenaNames ?? ATHENA_SETTING_NAMES,
        parser: async () => (await (this.parser ??= openSqlChecker())).connection,
        ...(options.confirmScan ? { confirmScan: options.confirmScan } : {}),
      });
      return { source, store, folder: undefined };
    }
    if (target.kind === 'local') {
      const folder = this.cacheRoot === undefined ? undefined : cacheDirFor(this.cacheRoot, target.logsPath);
      const store = await this.store(folder);
      return { source: new LocalLogsSource(store, target.logsPath, { answerFirst: options.answerFirst ?? false }), store, folder };
    }
    if (target.ssoSession !== undefined || (target.profiles !== undefined && target.profiles.length > 1))
      return this.openAccounts(target, options);
    const [onlyProfile, ...otherProfiles] = target.profiles ?? [];
    if (onlyProfile !== undefined && otherProfiles.length === 0) target = { ...target, profile: onlyProfile };
    const { folder, session } = await this.lookupFolder(target, options);
    const store = await this.store(folder);
    const source = new (lookup().LookupEventsSource)(store, {
      regions: target.regions,
      ...(target.profile ? { profile: target.profile } : {}),
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      session,
    });
    return { source, store, folder };
  }

  /**
   * LookupEvents over several accounts: a session per profile (kept for the pool's life, as
   * for one account), and one store whose fetched ranges are keyed by account and region, in
   * a folder per set of profiles. Accounts are learnt when the run starts, each on its own, so
   * one expired login does not stop the others.
   */
  private async openAccounts(target: LookupTarget, options: OpenOptions): Promise<OpenedSource> {
    const names =
      target.ssoSession !== undefined
        ? (await ssoSession().ssoSessionProfiles(target.ssoSession)).map((p) => p.profile)
        : [...new Set(target.profiles)];
    const accounts = await Promise.all(
      names.map(async (profile) => {
        const key = targetKey({
          kind: 'lookup',
          profile,
          regions: target.regions,
          ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        });
        // A kept session that failed to sign in is not kept: after `aws sso login` the next run tries again.
        const kept = this.sessions.get(key);
        const usable =
          kept &&
          (await kept.identity().then(
            () => true,
            () => false,
          ))
            ? kept
            : undefined;
        const session =
          usable ??
          lookup().lookupSession({
            regions: target.regions,
            profile,
            ...(target.endpoint ? { endpoint: target.endpoint } : {}),
            ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
          });
        this.sessions.set(key, session);
        return { profile, session };
      }),
    );
    const folder = this.cacheRoot === undefined ? undefined : lookupCacheDirForProfiles(this.cacheRoot, target.endpoint, names);
    const store = await this.store(folder);
    const source = new (lookup().LookupEventsSource)(store, {
      regions: target.regions,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      accounts,
    });
    return { source, store, folder };
  }

  /**
   * LookupEvents: a folder per account, so two profiles of one account share what was
   * fetched; per profile when the account cannot be known (the run then reports why, cell by
   * cell, and the session keeps the failure so an MFA code is not asked for twice).
   */
  private async lookupFolder(target: LookupTarget, options: OpenOptions): Promise<{ folder: string | undefined; session: AwsSession }> {
    const key = targetKey(target);
    const session =
      this.sessions.get(key) ??
      lookup().lookupSession({
        regions: target.regions,
        ...(target.profile ? { profile: target.profile } : {}),
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
      });
    const identity = await session.identity().catch(() => undefined);
    // A failed identity is not kept: after `aws sso login` the next run must try again.
    if (identity) this.sessions.set(key, session);
    else this.sessions.delete(key);
    if (this.cacheRoot === undefined) return { folder: undefined, session };
    return {
      folder: identity
        ? lookupCacheDirForAccount(this.cacheRoot, target.endpoint, identity.account)
        : lookupCacheDirFor(this.cacheRoot, target.endpoint, target.profile),
      session,
    };
  }

  private remoteStore(): Promise<EventStore> {
    let store = this.stores.get(REMOTE_STORE);
    if (!store) {
      store = EventStore.open({});
      this.stores.set(REMOTE_STORE, store);
      store.catch(() => this.stores.delete(REMOTE_STORE));
    }
    return store;
  }

  private store(folder: string | undefined): Promise<EventStore> {
    // A temporary store is never shared: it is removed when closed.
    if (folder === undefined) {
      const store = EventStore.open({});
      this.stores.set(`temporary\0${this.stores.size}`, store);
      return store;
    }
    let store = this.stores.get(folder);
    if (!store) {
      store = EventStore.open({ cacheDir: folder });
      this.stores.set(folder, store);
      store.catch(() => this.stores.delete(folder));
    }
    return store;
  }

  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    this.sessions.clear();
    for (const opened of await Promise.allSettled(stores)) if (opened.status === 'fulfilled') opened.value.close();
    const parser = this.parser;
    this.parser = undefined;
    if (parser)
      await parser.then(
        (checker) => checker.close(),
        () => undefined,
      );
  }
}
