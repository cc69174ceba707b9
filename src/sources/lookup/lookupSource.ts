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
import { SETTLE_MS, missingRanges, settledAndRecent, type TimeRange } from './fetchRanges';
import { explainLookupError, lookupErrorKind } from './lookupErrors';
import type { ErrorKind, KindedError } from '../../engine/errorKind';
import { LOOKUP_DEFAULT_WINDOW } from './defaults';
import { planLookup } from './planner';
import { LOOKUP_FILE_PREFIX, removeUnkeptFetches } from './unkeptFetches';
import { AwsSession, type AwsIdentity } from '../aws/awsSession';
import type { MfaCodeProvider } from '../aws/credentials';
import { AwsCredentialsError } from '../aws/credentialsError';
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
  private readonly session: AwsSession;
  /** Once per source (one run): what earlier runs fetched but did not keep goes first. */
  private cleanup: Promise<number> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: LookupSourceOptions,
  ) {
    // Checked here too: a source given a session made elsewhere must still refuse the override.
    if (options.endpoint !== undefined) checkEndpointOverride(options.endpoint);
    this.session = lookupSession(options);
    this.label = `LookupEvents (profile ${options.profile ?? 'default'}, ${options.regions.join(', ')}${options.endpoint ? `, endpoint ${options.endpoint}` : ''})`;
  }

  private client(region: string): CloudTrailClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new CloudTrailClient({
        region,
        // The pacer retries throttled requests itself, at the pace the account allows.
        maxAttempts: 1,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        // One session for every region: credentials resolved once, renewed before they expire.
        credentials: this.session.provider,
      });
      this.clients.set(region, client);
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

    let identity: AwsIdentity;
    try {
      identity = await this.session.identity(options.signal);
    } catch (error) {
      if (error instanceof AwsCredentialsError) throw new LookupSourceError(error.message, error.errorKind, { cause: error });
      throw new LookupSourceError(this.session.redact(explainLookupError(error, { ...this.options, regions })), lookupErrorKind(error, this.options));
    }
    // LookupEvents' 2 requests a second are the account's in each region, whichever profile asks.
    const { account } = identity;
    notes.unshift(`account ${account}, ${identity.via}`);
    const lookups = plan.lookups.length > 0 ? plan.lookups : [undefined];
    const { settled, recent } = settledAndRecent(window.start, window.end, Date.now());
    const fileIds: number[] = [];
    let fetchedEvents = 0;
    let cachedRanges = 0;
    let requests = 0;
    let throttled = 0;
    let pages = 0;
    const progress = (): void =>
      options.onProgress?.({ message: `${plural(pages, 'page')}, ${plural(fetchedEvents, 'event')} fetched`, elapsedMs: Date.now() - started });

    const lastCounts = new Map<string, { requests: number; throttled: number }>();
    const seen = new Set<string>();
    let writes: Promise<void> = Promise.resolve();
    // One range of one region and one lookup: fetched, stored, and kept if settled. With
    // onPartial, what has come is stored about once a second (the first page at once) so the
    // cell's rows can be shown while paging goes on; otherwise once, at the end.
    const fetchRange = async (region: string, lookup: LookupAttribute | undefined, range: TimeRange, keep: boolean): Promise<void> => {
      const name = `${LOOKUP_FILE_PREFIX}${region} ${attributeKey(lookup) || 'all'} ${new Date(range.start).toISOString()}/${new Date(range.end).toISOString()}`;
      let records: unknown[] = [];
      const rangeFileIds: number[] = [];
      let parts = 0;
      let lastStored = 0;
      const store = async (partial: boolean): Promise<void> => {
        const batch = records;
        records = [];
        parts += 1;
        // Regions fetch in parallel, but the store has one writing connection: its
        // transactions must not interleave, so writes take turns.
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
        client: this.client(region),
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
          if (seen.has(event.eventId)) continue;
          seen.add(event.eventId);
          records.push(JSON.parse(event.cloudTrailEvent));
        }
        fetchedEvents += page.events.length;
        progress();
        // Each page carries this fetch's running totals; the last one counts.
        lastCounts.set(`${region}|${attributeKey(lookup)}|${range.start}`, { requests: page.requests, throttled: page.throttled });
        if (options.onPartial && records.length > 0 && Date.now() - lastStored >= PARTIAL_EVERY_MS) await store(true);
      }
      // An empty range is stored too: its pseudo-file is what marks it fetched.
      if (records.length > 0 || parts === 0) await store(false);
      if (keep) {
        // Kept only once every page is in: a cancelled range is fetched again next time.
        const write = writes.then(() =>
          this.store.writer.run(
            `INSERT INTO store.lookup_ranges VALUES ${rangeFileIds
              .map((id) => `(${sqlString(region)}, ${sqlString(attributeKey(lookup))}, ${range.start}, ${range.end}, ${id})`)
              .join(', ')}`,
          ),
        );
        writes = write.then(() => undefined, () => undefined);
        await write;
      }
    };

    try {
      // Regions run in parallel (each has its own limit), and so do the lookups of a region
      // (an IN list): they share the region's pacer, so the rate stays the account's, and
      // every value's first rows come early. Within a lookup, one range at a time.
      await Promise.all(
        regions.flatMap((region) =>
          lookups.map(async (lookup) => {
            if (settled) {
              // Through the store's one writing connection, in turn with the writes.
              const read = writes.then(() => this.fetchedRanges(region, lookup, settled));
              writes = read.then(() => undefined, () => undefined);
              const have = await read;
              // A range stored in parts has a row per part: count ranges, not rows.
              cachedRanges += new Set(have.map((h) => `${h.start}/${h.end}`)).size;
              fileIds.push(...have.map((h) => h.fileId));
              for (const range of missingRanges(settled, have)) await fetchRange(region, lookup, range, true);
            }
            if (recent) await fetchRange(region, lookup, recent, false);
          }),
        ),
      );
    } catch (error) {
      // A server's error text may echo what it was sent: the session token, say.
      throw new LookupSourceError(this.session.redact(explainLookupError(error, { ...this.options, regions })), lookupErrorKind(error, this.options));
    }
    for (const counts of lastCounts.values()) {
      requests += counts.requests;
      throttled += counts.throttled;
    }

    const stored = { fileIds, ...(await storedFiles(this.store, fileIds)) };
    notes.push(
      `${plural(fetchedEvents, 'event')} fetched from ${regions.join(', ')} in ${plural(pages, 'page')} ` +
        `(${plural(requests, 'request')}${throttled > 0 ? `, ${throttled} throttled and retried` : ''}) in ${formatElapsed(Date.now() - started)}` +
        (cachedRanges > 0 ? `; ${plural(cachedRanges, 'range')} fetched earlier came from the cache` : ''),
    );
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
    const problems = stored.problems.map((p) => ({ where: `LookupEvents record ${p.record ?? ''}`.trim(), message: p.message }));
    return { scope: { fileIds, batchFiles: stored.batchFiles, window }, notes, problems, account };
  }

  /** Settled ranges fetched before for this region and lookup that overlap `range`. */
  private async fetchedRanges(region: string, lookup: LookupAttribute | undefined, range: TimeRange): Promise<Array<TimeRange & { fileId: number }>> {
    const result = await this.store.writer.runAndReadAll(
      `SELECT start_ms, end_ms, file_id FROM store.lookup_ranges
       WHERE region = ${sqlString(region)} AND attribute = ${sqlString(attributeKey(lookup))}
         AND end_ms > ${range.start} AND start_ms < ${range.end}`,
    );
    return result.getRowsJS().map(([start, end, fileId]) => ({ start: Number(start), end: Number(end), fileId: Number(fileId) }));
  }
}
