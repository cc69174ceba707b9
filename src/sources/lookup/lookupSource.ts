// LookupEvents as an EventSource: the planner picks what AWS can filter, the client pages
// through every region asked (and us-east-1, where global services log), the events land
// in the event store, and DuckDB runs the whole query on them. The notes say what was
// filtered where, how much was fetched, and why a result may be empty.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EventSource, PreparedScope, SourceProgress } from '../../engine/eventSource';
import type { EventStore } from '../../engine/eventStore';
import type { TidyResult } from '../../engine/store/catalogue';
import { formatElapsed } from '../../protocol/elapsed';
import { plural } from '../../protocol/plural';
import type { TimeWindow } from '../../engine/timeWindow';
import { fileIdPredicate, type QueryScope } from '../../engine/query';
import { sqlPathList } from '../../engine/sqlText';
import { abortError } from './pacer';
import { isCancelled } from '../../protocol/cancelled';
import { SETTLE_MS, settledAndRecent, type TimeRange } from './fetchRanges';
import { FetchRun, type LookupAttribute } from './fetchRun';
import type { ErrorKind, KindedError } from '../../engine/errorKind';
import { LOOKUP_DEFAULT_WINDOW } from './defaults';
import { planLookup } from './planner';
import { AwsSession } from '../aws/awsSession';
import type { MfaCodeProvider } from '../aws/credentials';
import {
  explainReaderError,
  failureProblems,
  identifyReaders,
  partialSummary,
  type AccountFailure,
  type AccountReader,
  type LookupReader,
} from './lookupAccounts';
import type { LookupErrorContext } from './lookupErrors';
import { checkEndpointOverride } from '../aws/endpointOverride';

export interface LookupSourceOptions {
  readonly regions: readonly string[];
  /** A named profile of the AWS config files; without one, the SDK's default chain. */
  readonly profile?: string;
  /**
   * Another endpoint than AWS's (the local endpoint of `trailbook serve-cloudtrail`): https,
   * or http to loopback, else the source refuses to be made (endpointOverride.ts).
   */
  readonly endpoint?: string;
  /** Credentials given directly (tests); otherwise the profile's. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Asked for a code when the profile assumes a role behind MFA (the editor prompts, the CLI reads the terminal). */
  readonly mfaCodeProvider?: MfaCodeProvider;
  /** Where AWS_PROFILE, the config files and environment keys are read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The credentials and account, when the caller resolved them already (the CLI does, to
   * choose the cache folder by account): the same session, so no second MFA prompt.
   */
  readonly session?: AwsSession;
  /**
   * Several accounts at once: each profile with its own session (the pool makes them). Each
   * account is read at its own rate, in parallel; one that fails is reported by name and the
   * others' rows still come back, the run marked partial. Without it, the one profile above.
   */
  readonly accounts?: readonly { readonly profile: string; readonly session: AwsSession }[];
}

/** The session a source with these options uses: the given one, or a new one from its settings. */
export function lookupSession(options: LookupSourceOptions): AwsSession {
  return (
    options.session ??
    new AwsSession({
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
      ...(options.env ? { env: options.env } : {}),
      // STS answers in every region: ask it in the first region read, the one nearest the person.
      region: options.regions[0] ?? GLOBAL_REGION,
    })
  );
}

/** IAM, STS and console sign-in record their events in us-east-1 only. */
const GLOBAL_REGION = 'us-east-1';
const RETENTION_DAYS = 90;

/**
 * What went wrong, redacted. The cause is kept only when it is already scrubbed (an
 * AwsCredentialsError): an SDK error's own text may echo the session token back.
 */
export class LookupSourceError extends Error implements KindedError {
  constructor(
    message: string,
    readonly errorKind?: ErrorKind,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class LookupEventsSource implements EventSource {
  readonly label: string;
  readonly defaultWindow = LOOKUP_DEFAULT_WINDOW;
  private readonly clients = new Map<string, CloudTrailClient>();
  /** The profiles read, each with its session; one unless `accounts` was given. */
  private readonly readers: readonly LookupReader[];
  /**
   * Once per source (one run), before anything is fetched: what earlier runs fetched but did
   * not keep is forgotten, and small batches are merged when there are enough (compaction.ts).
   */
  private tidied: Promise<TidyResult> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: LookupSourceOptions,
  ) {
    // Checked here too: a source given a session made elsewhere must still refuse the override.
    if (options.endpoint !== undefined) checkEndpointOverride(options.endpoint);
    this.readers =
      options.accounts && options.accounts.length > 0
        ? options.accounts
        : [{ ...(options.profile ? { profile: options.profile } : {}), session: lookupSession(options) }];
    const who =
      options.accounts && options.accounts.length > 0
        ? `profiles ${options.accounts.map((a) => a.profile).join(', ')}`
        : `profile ${options.profile ?? 'default'}`;
    this.label = `LookupEvents (${who}, ${options.regions.join(', ')}${options.endpoint ? `, endpoint ${options.endpoint}` : ''})`;
  }

  /** `text` without any secret any reader's session has held: one account's error may quote another's token. */
  private redact(text: string): string {
    return this.readers.reduce((redacted, reader) => reader.session.redact(redacted), text);
  }

  private client(reader: AccountReader, region: string): CloudTrailClient {
    const key = `${reader.identity.account}\0${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new CloudTrailClient({
        region,
        // The pacer retries throttled requests itself, at the pace the account allows.
        maxAttempts: 1,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        // One session for every region of an account: credentials resolved once, renewed before they expire.
        credentials: reader.session.provider,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * The steps: tidy the store (once a run), plan what AWS can filter, check the window, sign
   * in every account, fetch every place (account × region × lookup) in parallel, sort out
   * what failed, and say what was done.
   */
  async prepare(
    window: TimeWindow,
    sql: string,
    options: { signal?: AbortSignal; onProgress?: (progress: SourceProgress) => void; onPartial?: (scope: QueryScope) => void } = {},
  ): Promise<PreparedScope> {
    const started = Date.now();
    this.tidied ??= this.store.catalogue.tidy();
    const tidied = await this.tidied;
    const plan = await planLookup(this.store.writer, sql);
    const notes = [...plan.explanation, ...(tidied.failure ? [tidied.failure] : [])];
    const regions = withGlobalRegion(this.options.regions, notes);
    this.checkRetention(window, notes);

    const context = { ...this.options, regions };
    const { accounts, failures, sameAccount } = await identifyReaders(this.readers, context, (text) => this.redact(text), options.signal);
    if (accounts.length === 0) throw nobodyRead(failures);
    notes.unshift(...accounts.map((reader) => `account ${reader.identity.account}, ${reader.identity.via}`));
    notes.push(...sameAccount);

    const run = new FetchRun(this.store, (reader, region) => this.client(reader, region), {
      ...(options.signal ? { signal: options.signal } : {}),
      onPage: () =>
        options.onProgress?.({
          message: `${accounts.length > 1 ? `${plural(accounts.length, 'account')}, ` : ''}${plural(run.pages, 'page')}, ${plural(run.fetchedEvents, 'event')} fetched`,
          elapsedMs: Date.now() - started,
        }),
      ...(options.onPartial
        ? {
            onStored: async (fetchIds) =>
              options.onPartial!({ fileIds: fetchIds, batchFiles: await this.store.catalogue.batchFilesOf(fetchIds), window }),
          }
        : {}),
    });
    const { settled, recent } = settledAndRecent(window.start, window.end, Date.now());
    const fetchFailures = await this.fetchEveryPlace(run, accounts, regions, plan.lookups, { settled, recent }, context, options.signal);

    const unreadAccounts = new Set(fetchFailures.map((f) => f.account));
    const fullyRead = accounts.filter((a) => !unreadAccounts.has(a.identity.account));
    // In the order the profiles were given, sign-in failures and fetch failures alike.
    const order = (failure: AccountFailure): number => this.readers.findIndex((r) => r.profile === failure.profile);
    const allFailures = [...failures, ...fetchFailures].sort((a, b) => order(a) - order(b));
    // Nothing read whole: the run fails (one account: its error as it always was).
    if (fullyRead.length === 0) throw nobodyRead(allFailures);
    return this.describe(run, {
      window,
      regions,
      notes,
      accounts,
      fullyRead,
      allFailures,
      refetchedTail: recent !== undefined,
      elapsedMs: Date.now() - started,
    });
  }

  /** A window older than LookupEvents keeps is refused on AWS (a silent gap), and said in a note elsewhere. */
  private checkRetention(window: TimeWindow, notes: string[]): void {
    // A little slack: a `90d` window computed a moment ago must not fail a moment later.
    const oldest = Date.now() - RETENTION_DAYS * 86_400_000 - 60_000;
    if (window.start.getTime() >= oldest) return;
    const advice = `LookupEvents keeps ${RETENTION_DAYS} days (nothing before ${new Date(oldest).toISOString().slice(0, 19)}Z): choose a window of ${RETENTION_DAYS} days or less, or run this on local logs from the trail's S3 bucket (or Athena) for older events`;
    // AWS would answer with a silent gap; another endpoint (the local one) serves what it has.
    if (!this.options.endpoint)
      throw new LookupSourceError(`the window ${window.label} starts ${window.start.toISOString()}, before what ${advice}`);
    notes.push(advice);
  }

  /**
   * Accounts run in parallel, each at its own rate; so do regions (each has its own limit),
   * and the lookups of a region (an IN list), which share the region's pacer so the rate
   * stays the account's and every value's first rows come early. Within a lookup, one range
   * at a time. Every task runs to its end, so nothing is still writing when this returns.
   * Returns one failure an account and region (its lookups fail alike: the first is said).
   */
  private async fetchEveryPlace(
    run: FetchRun,
    accounts: readonly AccountReader[],
    regions: readonly string[],
    lookups: readonly LookupAttribute[],
    { settled, recent }: { settled?: TimeRange | undefined; recent?: TimeRange | undefined },
    context: LookupErrorContext,
    signal: AbortSignal | undefined,
  ): Promise<AccountFailure[]> {
    const tasks = accounts.flatMap((reader) =>
      regions.flatMap((region) =>
        (lookups.length > 0 ? lookups : [undefined]).map((lookup) =>
          run.place(reader, region, lookup, settled, recent).catch((error: unknown) => {
            throw new PlaceFailure(reader, region, error);
          }),
        ),
      ),
    );
    const failed = (await Promise.allSettled(tasks)).flatMap((o) => (o.status === 'rejected' ? [o.reason as PlaceFailure] : []));
    const cancelled = failed.find((f) => isCancelled(f.cause));
    if (cancelled || signal?.aborted) throw cancelled?.cause ?? abortError(signal);
    const perPlace = new Map<string, AccountFailure>();
    for (const { reader, region, cause } of failed) {
      const key = `${reader.identity.account}\0${region}`;
      if (perPlace.has(key)) continue;
      perPlace.set(key, {
        ...(reader.profile !== undefined ? { profile: reader.profile } : {}),
        account: reader.identity.account,
        region,
        ...explainReaderError(cause, reader, context, (text) => this.redact(text)),
      });
    }
    return [...perPlace.values()];
  }

  /** The scope, and what the result says about how it was got. */
  private async describe(
    run: FetchRun,
    done: {
      window: TimeWindow;
      regions: readonly string[];
      notes: string[];
      accounts: readonly AccountReader[];
      fullyRead: readonly AccountReader[];
      allFailures: readonly AccountFailure[];
      /** The window's last minutes were fetched again (they always are). */
      refetchedTail: boolean;
      elapsedMs: number;
    },
  ): Promise<PreparedScope> {
    const { window, regions, notes, accounts, fullyRead, allFailures } = done;
    const { fetchIds } = run;
    const batchFiles = await this.store.catalogue.batchFilesOf(fetchIds);
    const { requests, throttled } = run.totals();
    if (this.readers.length > 1) {
      notes.unshift(
        `${plural(fullyRead.length, 'account')} read of ${plural(this.readers.length, 'profile')}: ${fullyRead.map((a) => a.identity.account).join(', ') || 'none'}; the account column is recipientAccountId`,
      );
    }
    notes.push(
      `${plural(run.fetchedEvents, 'event')} fetched from ${regions.join(', ')}${accounts.length > 1 ? ` in ${plural(accounts.length, 'account')}` : ''} in ${plural(run.pages, 'page')} ` +
        `(${plural(requests, 'request')}${throttled > 0 ? `, ${throttled} throttled and retried` : ''}) in ${formatElapsed(done.elapsedMs)}` +
        (run.cachedRanges > 0 ? `; ${plural(run.cachedRanges, 'range')} fetched earlier came from the cache` : ''),
    );
    for (const [pair, count] of run.foreign) {
      const [asked, said] = pair.split('\0');
      notes.push(`${plural(count, 'event')} fetched from account ${asked} name account ${said} as recipientAccountId: kept as written`);
    }
    if (done.refetchedTail)
      notes.push(`the last ${SETTLE_MS / 60_000} minutes are fetched again on every run: CloudTrail delivers events late`);
    if ((await eventsInScope(this.store, fetchIds, batchFiles)) === 0) {
      notes.push(
        'nothing came back: LookupEvents matches attributes exactly and case-sensitively, holds management events only ' +
          '(S3 GetObject and other data events never appear: use local logs or Athena), and only the regions listed',
      );
    }
    const problems = [
      ...failureProblems(allFailures),
      ...(await this.store.catalogue.problemsOf(fetchIds)).map((p) => ({
        where: `LookupEvents record ${p.record ?? ''}`.trim(),
        message: p.message,
      })),
    ];
    const partial = allFailures.length > 0 ? partialSummary(fullyRead.length, allFailures) : undefined;
    if (partial) notes.unshift(partial);
    return {
      scope: { fileIds: fetchIds, batchFiles, window },
      notes,
      problems,
      account: accounts.map((a) => a.identity.account).join(', '),
      ...(partial ? { partial } : {}),
    };
  }
}

/** The run fails when no account could be read: one reader's error as it was, or each reader's reason. */
function nobodyRead(failures: readonly AccountFailure[]): LookupSourceError {
  const [only] = failures;
  if (failures.length === 1) return new LookupSourceError(only!.message, only!.errorKind);
  return new LookupSourceError(
    `no account could be read: ${failureProblems(failures)
      .map((p) => `${p.where}: ${p.message}`)
      .join('; ')}`,
    failures.find((f) => f.errorKind)?.errorKind,
  );
}

/** The regions asked, and us-east-1 (where IAM, STS and sign-in log), said in a note when added. */
function withGlobalRegion(asked: readonly string[], notes: string[]): string[] {
  if (asked.includes(GLOBAL_REGION)) return [...asked];
  notes.push(`${GLOBAL_REGION} was added: IAM, STS and console sign-in events are only recorded there`);
  return [...asked, GLOBAL_REGION];
}

/** Events of the scope's fetches, in any window: none means nothing came back at all. */
async function eventsInScope(store: EventStore, fetchIds: readonly number[], batchFiles: readonly string[]): Promise<number> {
  if (batchFiles.length === 0) return 0;
  const [[n]] = (
    await store.writer.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlPathList(batchFiles)}) WHERE ${fileIdPredicate(fetchIds)}`)
  ).getRowsJS() as [[bigint | number]];
  return Number(n);
}

/** A fetch of one account and region that failed: which, and the error. */
class PlaceFailure extends Error {
  constructor(
    readonly reader: AccountReader,
    readonly region: string,
    override readonly cause: unknown,
  ) {
    super(`LookupEvents failed for account ${reader.identity.account} in ${region}`);
  }
}
