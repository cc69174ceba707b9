// LookupEvents as an EventSource: the planner picks what AWS can filter, the client pages
// through every region asked (and us-east-1, where global services log), the events land
// in the event store, and DuckDB runs the whole query on them. The notes say what was
// filtered where, how much was fetched, and why a result may be empty.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EventSource, PreparedScope, SourceProgress } from '../../engine/eventSource';
import type { EventStore } from '../../engine/eventStore';
import { formatElapsed } from '../../protocol/elapsed';
import { plural } from '../../protocol/plural';
import type { TimeWindow } from '../../engine/timeWindow';
import { ingestRecords, storedFiles } from '../local/ingest';
import { fileIdPredicate, type QueryScope } from '../../engine/query';
import { sqlString } from '../../engine/sqlText';
import { lookupEventPages } from './lookupClient';
import { abortError } from './pacer';
import { isCancelled } from '../../protocol/cancelled';
import { SETTLE_MS, missingRanges, settledAndRecent, type TimeRange } from './fetchRanges';
import type { ErrorKind, KindedError } from '../../engine/errorKind';
import { LOOKUP_DEFAULT_WINDOW } from './defaults';
import { planLookup } from './planner';
import { LOOKUP_FILE_PREFIX, removeUnkeptFetches } from './unkeptFetches';
import { AwsSession } from '../aws/awsSession';
import type { MfaCodeProvider } from '../aws/credentials';
import { explainReaderError, failureProblems, identifyReaders, partialSummary, type AccountFailure, type AccountReader, type LookupReader } from './lookupAccounts';
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
/** How often fetched events are stored while paging, when the caller shows rows as they come. */
const PARTIAL_EVERY_MS = 1000;

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

type LookupAttribute = { readonly key: string; readonly value: string };

/** How a lookup is remembered with its fetched ranges: `EventName=StopLogging`, or '' for none. */
const attributeKey = (lookup: LookupAttribute | undefined): string => (lookup ? `${lookup.key}=${lookup.value}` : '');

export class LookupEventsSource implements EventSource {
  readonly label: string;
  readonly defaultWindow = LOOKUP_DEFAULT_WINDOW;
  private readonly clients = new Map<string, CloudTrailClient>();
  /** The profiles read, each with its session; one unless `accounts` was given. */
  private readonly readers: readonly LookupReader[];
  /** Once per source (one run): what earlier runs fetched but did not keep goes first. */
  private cleanup: Promise<number> | undefined;

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
    const who = options.accounts && options.accounts.length > 0 ? `profiles ${options.accounts.map((a) => a.profile).join(', ')}` : `profile ${options.profile ?? 'default'}`;
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

  async prepare(
    window: TimeWindow,
    sql: string,
    options: { signal?: AbortSignal; onProgress?: (progress: SourceProgress) => void; onPartial?: (scope: QueryScope) => void } = {},
  ): Promise<PreparedScope> {
    const started = Date.now();
    this.cleanup ??= removeUnkeptFetches(this.store);
    await this.cleanup;
    const plan = await planLookup(this.store.writer, sql);
    const notes = [...plan.explanation];
    const regions = [...this.options.regions];
    if (!regions.includes(GLOBAL_REGION)) {
      regions.push(GLOBAL_REGION);
      notes.push(`${GLOBAL_REGION} was added: IAM, STS and console sign-in events are only recorded there`);
    }
    // A little slack: a `90d` window computed a moment ago must not fail a moment later.
    const oldest = Date.now() - RETENTION_DAYS * 86_400_000 - 60_000;
    if (window.start.getTime() < oldest) {
      const advice = `LookupEvents keeps ${RETENTION_DAYS} days (nothing before ${new Date(oldest).toISOString().slice(0, 19)}Z): choose a window of ${RETENTION_DAYS} days or less, or run this on local logs from the trail's S3 bucket (or Athena) for older events`;
      // AWS would answer with a silent gap; another endpoint (the local one) serves what it has.
      if (!this.options.endpoint) throw new LookupSourceError(`the window ${window.label} starts ${window.start.toISOString()}, before what ${advice}`);
      notes.push(advice);
    }

    const context = { ...this.options, regions };
    const { accounts, failures, sameAccount } = await identifyReaders(this.readers, context, (text) => this.redact(text), options.signal);
    if (accounts.length === 0) {
      // Nobody could sign in: the run fails, with each reader's reason (one reader: its error as it was).
      const [only] = failures;
      if (failures.length === 1) throw new LookupSourceError(only!.message, only!.errorKind);
      throw new LookupSourceError(`no account could be read: ${failureProblems(failures).map((p) => `${p.where}: ${p.message}`).join('; ')}`, failures.find((f) => f.errorKind)?.errorKind);
    }
    notes.unshift(...accounts.map((reader) => `account ${reader.identity.account}, ${reader.identity.via}`));
    notes.push(...sameAccount);
    const lookups = plan.lookups.length > 0 ? plan.lookups : [undefined];
    const { settled, recent } = settledAndRecent(window.start, window.end, Date.now());
    const fileIds: number[] = [];
    let fetchedEvents = 0;
    let cachedRanges = 0;
    let requests = 0;
    let throttled = 0;
    let pages = 0;
    /** Records whose recipientAccountId is another account than the one LookupEvents was asked. */
    const foreign = new Map<string, number>();
    const progress = (): void =>
      options.onProgress?.({
        message: `${accounts.length > 1 ? `${plural(accounts.length, 'account')}, ` : ''}${plural(pages, 'page')}, ${plural(fetchedEvents, 'event')} fetched`,
        elapsedMs: Date.now() - started,
      });

    const lastCounts = new Map<string, { requests: number; throttled: number }>();
    const seen = new Set<string>();
    let writes: Promise<void> = Promise.resolve();
    // One range of one account, region and lookup: fetched, stored, and kept if settled. With
    // onPartial, what has come is stored about once a second (the first page at once) so the
    // cell's rows can be shown while paging goes on; otherwise once, at the end.
    const fetchRange = async (reader: AccountReader, region: string, lookup: LookupAttribute | undefined, range: TimeRange, keep: boolean): Promise<void> => {
      const { account } = reader.identity;
      const name = `${LOOKUP_FILE_PREFIX}${account} ${region} ${attributeKey(lookup) || 'all'} ${new Date(range.start).toISOString()}/${new Date(range.end).toISOString()}`;
      let records: unknown[] = [];
      const rangeFileIds: number[] = [];
      let parts = 0;
      let lastStored = 0;
      const store = async (partial: boolean): Promise<void> => {
        const batch = records;
        records = [];
        parts += 1;
        // Accounts and regions fetch in parallel, but the store has one writing connection:
        // its transactions must not interleave, so writes take turns.
        const write = writes.then(async () => {
          const stored = await ingestRecords(this.store, parts === 1 ? name : `${name} part ${parts}`, batch, options.signal);
          rangeFileIds.push(...stored.fileIds);
          fileIds.push(...stored.fileIds);
          return partial ? { fileIds: [...fileIds], window, batchFiles: (await storedFiles(this.store, fileIds)).batchFiles } : undefined;
        });
        writes = write.then(() => undefined, () => undefined);
        const scope = await write;
        lastStored = Date.now();
        if (scope) options.onPartial?.(scope);
      };
      for await (const page of lookupEventPages({
        client: this.client(reader, region),
        // The limit is per account and region: one pacer key for each.
        account,
        region,
        ...(lookup ? { lookup } : {}),
        start: new Date(range.start),
        // LookupEvents includes its EndTime; ranges here exclude their end.
        end: new Date(range.end - 1000),
        ...(options.signal ? { signal: options.signal } : {}),
      })) {
        pages += 1;
        for (const event of page.events) {
          // An event is in one region only on AWS; the local endpoint serves every region.
          // Two accounts' events never stand for each other: the account is part of the key.
          const key = `${account}\0${event.eventId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          records.push(withRecipient(JSON.parse(event.cloudTrailEvent), account, foreign));
        }
        fetchedEvents += page.events.length;
        progress();
        // Each page carries this fetch's running totals; the last one counts.
        lastCounts.set(`${account}|${region}|${attributeKey(lookup)}|${range.start}`, { requests: page.requests, throttled: page.throttled });
        if (options.onPartial && records.length > 0 && Date.now() - lastStored >= PARTIAL_EVERY_MS) await store(true);
      }
      // An empty range is stored too: its pseudo-file is what marks it fetched.
      if (records.length > 0 || parts === 0) await store(false);
      if (keep) {
        // Kept only once every page is in: a cancelled range is fetched again next time.
        const write = writes.then(() =>
          this.store.writer.run(
            `INSERT INTO store.lookup_ranges VALUES ${rangeFileIds
              .map((id) => `(${sqlString(account)}, ${sqlString(region)}, ${sqlString(attributeKey(lookup))}, ${range.start}, ${range.end}, ${id})`)
              .join(', ')}`,
          ),
        );
        writes = write.then(() => undefined, () => undefined);
        await write;
      }
    };

    // Accounts run in parallel, each at its own rate; so do regions (each has its own limit),
    // and the lookups of a region (an IN list), which share the region's pacer so the rate
    // stays the account's and every value's first rows come early. Within a lookup, one range
    // at a time. Every task runs to its end, so nothing is still writing when this returns.
    const tasks = accounts.flatMap((reader) =>
      regions.flatMap((region) =>
        lookups.map(async (lookup) => {
          try {
            if (settled) {
              // Through the store's one writing connection, in turn with the writes.
              const read = writes.then(() => this.fetchedRanges(reader.identity.account, region, lookup, settled));
              writes = read.then(() => undefined, () => undefined);
              const have = await read;
              // A range stored in parts has a row per part: count ranges, not rows.
              cachedRanges += new Set(have.map((h) => `${h.start}/${h.end}`)).size;
              fileIds.push(...have.map((h) => h.fileId));
              for (const range of missingRanges(settled, have)) await fetchRange(reader, region, lookup, range, true);
            }
            if (recent) await fetchRange(reader, region, lookup, recent, false);
          } catch (error) {
            throw new PlaceFailure(reader, region, error);
          }
        }),
      ),
    );
    const outcomes = await Promise.allSettled(tasks);
    const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as PlaceFailure] : []));
    const cancelled = failed.find((f) => isCancelled(f.cause));
    if (cancelled || options.signal?.aborted) throw cancelled?.cause ?? abortError(options.signal);
    // One failure an account and region (its lookups fail alike): the first said.
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
    const fetchFailures = [...perPlace.values()];
    const unreadAccounts = new Set(fetchFailures.map((f) => f.account));
    const fullyRead = accounts.filter((a) => !unreadAccounts.has(a.identity.account));
    // In the order the profiles were given, sign-in failures and fetch failures alike.
    const order = (failure: AccountFailure): number => this.readers.findIndex((r) => r.profile === failure.profile);
    const allFailures = [...failures, ...fetchFailures].sort((a, b) => order(a) - order(b));
    if (fullyRead.length === 0) {
      // Nothing read whole: the run fails (one account: its error as it always was).
      if (allFailures.length === 1) throw new LookupSourceError(allFailures[0]!.message, allFailures[0]!.errorKind);
      throw new LookupSourceError(
        `no account could be read: ${failureProblems(allFailures).map((p) => `${p.where}: ${p.message}`).join('; ')}`,
        allFailures.find((f) => f.errorKind)?.errorKind,
      );
    }
    for (const counts of lastCounts.values()) {
      requests += counts.requests;
      throttled += counts.throttled;
    }

    const stored = { fileIds, ...(await storedFiles(this.store, fileIds)) };
    if (this.readers.length > 1) {
      notes.unshift(`${plural(fullyRead.length, 'account')} read of ${plural(this.readers.length, 'profile')}: ${fullyRead.map((a) => a.identity.account).join(', ') || 'none'}; the account column is recipientAccountId`);
    }
    notes.push(
      `${plural(fetchedEvents, 'event')} fetched from ${regions.join(', ')}${accounts.length > 1 ? ` in ${plural(accounts.length, 'account')}` : ''} in ${plural(pages, 'page')} ` +
        `(${plural(requests, 'request')}${throttled > 0 ? `, ${throttled} throttled and retried` : ''}) in ${formatElapsed(Date.now() - started)}` +
        (cachedRanges > 0 ? `; ${plural(cachedRanges, 'range')} fetched earlier came from the cache` : ''),
    );
    for (const [pair, count] of foreign) {
      const [asked, said] = pair.split('\0');
      notes.push(`${plural(count, 'event')} fetched from account ${asked} name account ${said} as recipientAccountId: kept as written`);
    }
    if (recent) notes.push(`the last ${SETTLE_MS / 60_000} minutes are fetched again on every run: CloudTrail delivers events late`);
    const [[inScope]] = (await this.store.writer.runAndReadAll(
      stored.batchFiles.length === 0
        ? 'SELECT 0'
        : `SELECT count(*) FROM read_parquet([${stored.batchFiles.map(sqlString).join(', ')}]) WHERE ${fileIdPredicate(fileIds)}`,
    )).getRowsJS() as [[bigint | number]];
    if (Number(inScope) === 0) {
      notes.push(
        'nothing came back: LookupEvents matches attributes exactly and case-sensitively, holds management events only ' +
          '(S3 GetObject and other data events never appear: use local logs or Athena), and only the regions listed',
      );
    }
    const problems = [
      ...failureProblems(allFailures),
      ...stored.problems.map((p) => ({ where: `LookupEvents record ${p.record ?? ''}`.trim(), message: p.message })),
    ];
    const partial = allFailures.length > 0 ? partialSummary(fullyRead.length, allFailures) : undefined;
    if (partial) notes.unshift(partial);
    return {
      scope: { fileIds, batchFiles: stored.batchFiles, window },
      notes,
      problems,
      account: accounts.map((a) => a.identity.account).join(', '),
      ...(partial ? { partial } : {}),
    };
  }

  /** Settled ranges fetched before for this account, region and lookup that overlap `range`. */
  private async fetchedRanges(account: string, region: string, lookup: LookupAttribute | undefined, range: TimeRange): Promise<Array<TimeRange & { fileId: number }>> {
    const result = await this.store.writer.runAndReadAll(
      `SELECT start_ms, end_ms, file_id FROM store.lookup_ranges
       WHERE account = ${sqlString(account)} AND region = ${sqlString(region)} AND attribute = ${sqlString(attributeKey(lookup))}
         AND end_ms > ${range.start} AND start_ms < ${range.end}`,
    );
    return result.getRowsJS().map(([start, end, fileId]) => ({ start: Number(start), end: Number(end), fileId: Number(fileId) }));
  }
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

/**
 * The record as stored: LookupEvents of an account holds the account's events, so a record
 * without recipientAccountId gets the account it was fetched from (the account column of
 * every row). One that names another account is kept as written, and counted for a note.
 */
function withRecipient(record: unknown, account: string, foreign: Map<string, number>): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const said = (record as { recipientAccountId?: unknown }).recipientAccountId;
  if (said === undefined || said === null || said === '') return { ...record, recipientAccountId: account };
  if (said !== account) {
    const key = `${account}\0${String(said)}`;
    foreign.set(key, (foreign.get(key) ?? 0) + 1);
  }
  return record;
}
