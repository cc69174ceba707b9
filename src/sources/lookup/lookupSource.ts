// LookupEvents as an EventSource: the planner picks what AWS can filter, the client pages
// through every region asked (and us-east-1, where global services log), the events land
// in the event store, and DuckDB runs the whole query on them. The notes say what was
// filtered where, how much was fetched, and why a result may be empty.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EventSource, PreparedScope, SourceProgress } from '../../engine/eventSource';
import type { EventStore } from '../../engine/eventStore';
import { plural } from '../../engine/plural';
import type { TimeWindow } from '../../engine/timeWindow';
import { ingestRecords } from '../local/ingest';
import { lookupAcrossRegions } from './lookupClient';
import { explainLookupError } from './lookupErrors';
import { planLookup } from './planner';

export interface LookupSourceOptions {
  readonly regions: readonly string[];
  /** A named profile of the AWS config files; without one, the SDK's default chain. */
  readonly profile?: string;
  /** Another endpoint than AWS's (the local endpoint of `trailbook serve-cloudtrail`). */
  readonly endpoint?: string;
  /** Credentials given directly (tests); otherwise the profile's. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** IAM, STS and console sign-in record their events in us-east-1 only. */
const GLOBAL_REGION = 'us-east-1';
const RETENTION_DAYS = 90;

export class LookupSourceError extends Error {}

export class LookupEventsSource implements EventSource {
  readonly label: string;
  readonly defaultWindow = '24h';
  private readonly clients = new Map<string, CloudTrailClient>();

  constructor(
    private readonly store: EventStore,
    private readonly options: LookupSourceOptions,
  ) {
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
        ...(this.options.profile ? { profile: this.options.profile } : {}),
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
      });
      this.clients.set(region, client);
    }
    return client;
  }

  async prepare(
    window: TimeWindow,
    sql: string,
    options: { signal?: AbortSignal; onProgress?: (progress: SourceProgress) => void } = {},
  ): Promise<PreparedScope> {
    const started = Date.now();
    const plan = await planLookup(this.store.writer, sql);
    const notes = [...plan.explanation];
    const regions = [...this.options.regions];
    if (!regions.includes(GLOBAL_REGION)) {
      regions.push(GLOBAL_REGION);
      notes.push(`${GLOBAL_REGION} was added: IAM, STS and console sign-in events are only recorded there`);
    }
    const oldest = Date.now() - RETENTION_DAYS * 86_400_000;
    if (window.start.getTime() < oldest) {
      notes.push(`LookupEvents keeps ${RETENTION_DAYS} days: nothing before ${new Date(oldest).toISOString()} can come back; use local logs from the trail's S3 bucket for older events`);
    }

    const records = new Map<string, unknown>();
    let requests = 0;
    let throttled = 0;
    let pages = 0;
    try {
      const lookups = plan.lookups.length > 0 ? plan.lookups : [undefined];
      for (const lookup of lookups) {
        // Totals run per lookup; these add the lookups up.
        const before = { requests, throttled };
        for await (const page of lookupAcrossRegions({
          // One pacer key per profile and region: the limit is per account and region.
          account: this.options.profile ?? this.options.credentials?.accessKeyId ?? 'default',
          regions,
          clientFor: (region) => this.client(region),
          ...(lookup ? { lookup } : {}),
          start: window.start,
          end: window.end,
          ...(options.signal ? { signal: options.signal } : {}),
        })) {
          pages += 1;
          for (const event of page.events) records.set(event.eventId, JSON.parse(event.cloudTrailEvent));
          options.onProgress?.({ message: `${plural(pages, 'page')}, ${plural(records.size, 'event')} fetched`, elapsedMs: Date.now() - started });
          requests = before.requests + page.totalRequests;
          throttled = before.throttled + page.totalThrottled;
        }
      }
    } catch (error) {
      throw new LookupSourceError(explainLookupError(error, { ...this.options, regions }));
    }

    const stored = await ingestRecords(this.store, `LookupEvents ${regions.join(',')} ${window.label}`, [...records.values()], options.signal);
    notes.push(
      `${plural(records.size, 'event')} fetched from ${regions.join(', ')} in ${plural(pages, 'page')} ` +
        `(${plural(requests, 'request')}${throttled > 0 ? `, ${throttled} throttled and retried` : ''}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (records.size === 0) {
      notes.push(
        'nothing came back: LookupEvents matches attributes exactly and case-sensitively, holds management events only ' +
          '(S3 GetObject and other data events never appear: use local logs or Athena), and only the regions listed',
      );
    }
    const problems = stored.problems.map((p) => ({ where: `LookupEvents record ${p.record ?? ''}`.trim(), message: p.message }));
    return { scope: { fileIds: stored.fileIds, batchFiles: stored.batchFiles, window }, notes, problems };
  }
}
