// What one prepare fetches from LookupEvents, place by place (an account, a region, a lookup
// attribute): settled ranges fetched before come from the store, the missing ones and the
// recent tail are paged through and stored as fetches (fetchedEvents.ts). It counts what it
// did for the run's notes: pages, events, requests, ranges from the cache, foreign records.
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EventStore } from '../../engine/eventStore';
import { missingRanges, type TimeRange } from './fetchRanges';
import { storeFetch } from './fetchedEvents';
import type { AccountReader } from './lookupAccounts';
import { lookupEventPages } from './lookupClient';

export type LookupAttribute = { readonly key: string; readonly value: string };

/** How a lookup is remembered with its fetched ranges: `EventName=StopLogging`, or '' for none. */
export const attributeKey = (lookup: LookupAttribute | undefined): string => (lookup ? `${lookup.key}=${lookup.value}` : '');

/** How often fetched events are stored while paging, when the caller shows rows as they come. */
const PARTIAL_EVERY_MS = 1000;

export interface FetchRunOptions {
  readonly signal?: AbortSignal;
  /** After each page. */
  readonly onPage?: () => void;
  /**
   * Set when the caller shows rows as they come: what has come is stored about once a second
   * (the first page at once), and this is called with every fetch stored so far.
   */
  readonly onStored?: (fetchIds: readonly number[]) => Promise<void>;
}

export class FetchRun {
  /** Every fetch the run's scope holds: from the cache and fetched now. */
  readonly fetchIds: number[] = [];
  pages = 0;
  fetchedEvents = 0;
  /** Settled ranges answered from the store. */
  cachedRanges = 0;
  /** Records whose recipientAccountId is another account than the one asked: `asked\0said` → count. */
  readonly foreign = new Map<string, number>();
  /** Each fetch's requests and throttles so far, by account, region, lookup and range: the last page's count. */
  private readonly counts = new Map<string, { requests: number; throttled: number }>();
  /** An event is stored once a run, even when two regions or ranges return it (the local endpoint serves every region). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly client: (reader: AccountReader, region: string) => CloudTrailClient,
    private readonly options: FetchRunOptions,
  ) {}

  /** One account, region and lookup over the window's settled part and its recent tail. */
  async place(
    reader: AccountReader,
    region: string,
    lookup: LookupAttribute | undefined,
    settled: TimeRange | undefined,
    recent: TimeRange | undefined,
  ): Promise<void> {
    if (settled) {
      const have = await this.store.catalogue.keptRanges(
        { account: reader.identity.account, region, attribute: attributeKey(lookup) },
        settled,
      );
      // A range stored in parts has a row per part: count ranges, not rows.
      this.cachedRanges += new Set(have.map((h) => `${h.start}/${h.end}`)).size;
      this.fetchIds.push(...have.map((h) => h.id));
      for (const range of missingRanges(settled, have)) await this.range(reader, region, lookup, range, true);
    }
    if (recent) await this.range(reader, region, lookup, recent, false);
  }

  /** Requests sent and throttled, over every fetch of the run. */
  totals(): { requests: number; throttled: number } {
    let requests = 0;
    let throttled = 0;
    for (const counts of this.counts.values()) {
      requests += counts.requests;
      throttled += counts.throttled;
    }
    return { requests, throttled };
  }

  /** One range: paged through, stored (in parts when the caller shows rows as they come), and kept if settled. */
  private async range(
    reader: AccountReader,
    region: string,
    lookup: LookupAttribute | undefined,
    range: TimeRange,
    keep: boolean,
  ): Promise<void> {
    const { account } = reader.identity;
    const fetch = { account, region, attribute: attributeKey(lookup), start: range.start, end: range.end };
    const parts: number[] = [];
    let texts: string[] = [];
    let lastStored = 0;
    const store = async (): Promise<void> => {
      const stored = await storeFetch(this.store, fetch, texts, this.options.signal);
      texts = [];
      parts.push(stored.id);
      this.fetchIds.push(stored.id);
      for (const [said, n] of stored.foreign) this.foreign.set(`${account}\0${said}`, (this.foreign.get(`${account}\0${said}`) ?? 0) + n);
      lastStored = Date.now();
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
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    })) {
      this.pages += 1;
      for (const event of page.events) {
        // Two accounts' events never stand for each other: the account is part of the key.
        const key = `${account}\0${event.eventId}`;
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        texts.push(event.cloudTrailEvent);
      }
      this.fetchedEvents += page.events.length;
      this.options.onPage?.();
      // Each page carries this fetch's running totals; the last one counts.
      this.counts.set(`${account}|${region}|${fetch.attribute}|${range.start}`, { requests: page.requests, throttled: page.throttled });
      if (this.options.onStored && texts.length > 0 && Date.now() - lastStored >= PARTIAL_EVERY_MS) {
        await store();
        await this.options.onStored([...this.fetchIds]);
      }
    }
    // An empty range is stored too: its fetch row is what marks it fetched.
    if (texts.length > 0 || parts.length === 0) await store();
    // Kept only once every page is in: a cancelled range is fetched again next time.
    if (keep) await this.store.catalogue.keepFetches(parts);
  }
}
