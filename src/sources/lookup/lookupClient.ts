// Pages through LookupEvents for one account and region: 50 events a page, the same time
// range and lookup attribute on every page (a NextToken is bound to them), each request
// paced by the process-wide pacer, ThrottlingException retried after slowing down, and
// cancellation passed to the SDK so an aborted query stops at once. Pages are yielded as
// they arrive, as Trailbook's own event shape: callers never see the SDK's.
import {
  LookupEventsCommand,
  type CloudTrailClient,
  type LookupAttributeKey,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { isCancelled } from '../../protocol/cancelled';
import { abortError, sharedPacer, type RequestPacer } from './pacer';

export interface LookupEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventTime: Date;
  /** The event's CloudTrail record, as JSON text. */
  readonly cloudTrailEvent: string;
}

export interface LookupPage {
  readonly events: LookupEvent[];
  /** 1 for the first page. */
  readonly page: number;
  /** LookupEvents requests sent so far for this query, throttled ones included. */
  readonly requests: number;
  /** Of those, how many were throttled (and retried). */
  readonly throttled: number;
}

export interface LookupEventPagesOptions {
  readonly client: CloudTrailClient;
  readonly account: string;
  readonly region: string;
  /** The one lookup attribute LookupEvents filters by (e.g. EventName), exact and case-sensitive. */
  readonly lookup?: { readonly key: string; readonly value: string };
  readonly start: Date;
  readonly end: Date;
  /** Default: the process-wide `sharedPacer`. */
  readonly pacer?: RequestPacer;
  readonly signal?: AbortSignal;
  /** Throttled retries of one page before giving up (default 8). */
  readonly maxThrottleRetries?: number;
}

export const PAGE_SIZE = 50;
const DEFAULT_MAX_THROTTLE_RETRIES = 8;

/** LookupEvents kept refusing an account and region with ThrottlingException. */
export class LookupThrottledError extends Error {
  override readonly name = 'LookupThrottledError';
  constructor(
    readonly account: string,
    readonly region: string,
    readonly retries: number,
    options?: ErrorOptions,
  ) {
    super(
      `CloudTrail LookupEvents is being throttled for account ${account} in ${region}: ${retries + 1} attempts in a row were refused. ` +
        'Another tool or query is probably using the same account and region; try again later.',
      options,
    );
  }
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || isCancelled(error);
}

function toEvent(event: NonNullable<LookupEventsCommandOutput['Events']>[number]): LookupEvent {
  return {
    eventId: event.EventId ?? '',
    eventName: event.EventName ?? '',
    eventTime: event.EventTime instanceof Date ? event.EventTime : new Date(event.EventTime ?? 0),
    cloudTrailEvent: event.CloudTrailEvent ?? '{}',
  };
}

export async function* lookupEventPages(options: LookupEventPagesOptions): AsyncGenerator<LookupPage> {
  const { client, account, region, lookup, start, end, signal } = options;
  const pacer = options.pacer ?? sharedPacer;
  const maxRetries = options.maxThrottleRetries ?? DEFAULT_MAX_THROTTLE_RETRIES;
  const key = `${account}/${region}`;
  let requests = 0;
  let throttled = 0;
  let page = 0;
  let nextToken: string | undefined;
  do {
    let output: LookupEventsCommandOutput | undefined;
    for (let retries = 0; output === undefined;) {
      if (signal?.aborted) throw abortError(signal);
      await pacer.acquire(key, signal);
      const command = new LookupEventsCommand({
        MaxResults: PAGE_SIZE,
        StartTime: start,
        EndTime: end,
        ...(lookup ? { LookupAttributes: [{ AttributeKey: lookup.key as LookupAttributeKey, AttributeValue: lookup.value }] } : {}),
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      requests += 1;
      try {
        output = await client.send(command, signal === undefined ? {} : { abortSignal: signal });
      } catch (error) {
        if (isAbort(error, signal)) throw abortError(signal);
        if (!(error instanceof Error) || error.name !== 'ThrottlingException') throw error;
        throttled += 1;
        pacer.slowDown(key);
        if (retries >= maxRetries) throw new LookupThrottledError(account, region, retries, { cause: error });
        retries += 1;
      }
    }
    if (signal?.aborted) throw abortError(signal);
    page += 1;
    nextToken = output.NextToken || undefined;
    yield { events: (output.Events ?? []).map(toEvent), page, requests, throttled };
  } while (nextToken);
}

export interface LookupAcrossRegionsOptions extends Omit<LookupEventPagesOptions, 'client' | 'region'> {
  readonly regions: readonly string[];
  /** The SDK client for a region (the region is part of the client). */
  readonly clientFor: (region: string) => CloudTrailClient;
}

export interface RegionLookupPage extends LookupPage {
  readonly region: string;
  /** Pages yielded so far across all regions, this one included. */
  readonly pages: number;
  /** Requests and throttled requests summed over all regions (`requests`, `throttled` are this region's). */
  readonly totalRequests: number;
  readonly totalThrottled: number;
}

/**
 * Runs `lookupEventPages` in every region at once (each region has its own pacer key, so
 * its own allowance) and yields their pages as they arrive, in whatever order. The first
 * error ends the whole stream and cancels the other regions; so does the caller stopping.
 */
export async function* lookupAcrossRegions(options: LookupAcrossRegionsOptions): AsyncGenerator<RegionLookupPage> {
  const { regions, clientFor, signal, ...rest } = options;
  if (signal?.aborted) throw abortError(signal);
  const inner = new AbortController();
  const forward = (): void => inner.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });

  const streams = regions.map((region, index) => ({
    index,
    region,
    pages: lookupEventPages({ ...rest, client: clientFor(region), region, signal: inner.signal }),
  }));
  type Stream = (typeof streams)[number];
  const counts = regions.map(() => ({ requests: 0, throttled: 0 }));
  type Next = { stream: Stream; result: IteratorResult<LookupPage> };
  const pending = new Map<Stream, Promise<Next>>();
  const pull = (stream: Stream): void => {
    pending.set(
      stream,
      stream.pages.next().then((result) => ({ stream, result })),
    );
  };
  streams.forEach(pull);
  let pages = 0;
  try {
    while (pending.size > 0) {
      const { stream, result } = await Promise.race(pending.values());
      pending.delete(stream);
      if (result.done) continue;
      counts[stream.index] = { requests: result.value.requests, throttled: result.value.throttled };
      pages += 1;
      pull(stream);
      yield {
        ...result.value,
        region: stream.region,
        pages,
        totalRequests: counts.reduce((sum, c) => sum + c.requests, 0),
        totalThrottled: counts.reduce((sum, c) => sum + c.throttled, 0),
      };
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (pending.size > 0) {
      // Stop the other regions' requests; their pending pages end in Cancelled, not wanted.
      inner.abort(abortError());
      await Promise.allSettled([...pending.values()]);
      await Promise.allSettled(streams.map((stream) => stream.pages.return(undefined)));
    }
  }
  if (signal?.aborted) throw abortError(signal);
}
