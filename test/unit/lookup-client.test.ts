// The LookupEvents paging client and its pacer, through the real AWS SDK against the local
// CloudTrail endpoint (which counts what it serves and throttles at AWS's 2 a second).
// Data: the Stratus Red Team detonation logs (310 events, 7 pages).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { busiestSecond, startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import {
  lookupAcrossRegions,
  lookupEventPages,
  LookupThrottledError,
  type LookupEvent,
  type LookupEventPagesOptions,
} from '../../src/sources/lookup/lookupClient';
import { RequestPacer } from '../../src/sources/lookup/pacer';
import { stratusDir } from '../support/datasets';
import { itemAt } from '../support/itemAt';

const dir = stratusDir();
const records: Array<Record<string, unknown>> = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Array<Record<string, unknown>>);
const times = records.map((r) => Date.parse(r.eventTime as string)).sort((a, b) => a - b);
const START = new Date(itemAt(times, 0));
const END = new Date(itemAt(times, times.length - 1));

// Each test that measures the limit uses its own account, so the server's counts are its own.
const principal = (n: number): Principal => ({ accessKeyId: `AKIDLOOKUP${n}`, secretAccessKey: `secret-${n}`, account: `11112222333${n}` });
const FAST = principal(0);
const PRINCIPALS: Principal[] = [0, 1, 2, 3, 4, 5, 6, 7]
  .map(principal)
  .concat({ accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied', account: '999999999999', denied: true });

let fast: CloudTrailEndpoint; // limit raised: functional tests
let paced: CloudTrailEndpoint; // AWS's 2 a second
before(async () => {
  [fast, paced] = await Promise.all([
    startCloudTrailEndpoint({ logsPath: dir, principals: PRINCIPALS, rateLimit: 1000 }),
    startCloudTrailEndpoint({ logsPath: dir, principals: PRINCIPALS }),
  ]);
});
after(async () => {
  await Promise.all([fast?.close(), paced?.close()]);
});

function client(url: string, who: Principal, region = 'us-east-1'): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey },
    maxAttempts: 1,
  });
}

async function collect(
  options: LookupEventPagesOptions,
): Promise<{ events: LookupEvent[]; pages: number; requests: number; throttled: number }> {
  const events: LookupEvent[] = [];
  let last = { page: 0, requests: 0, throttled: 0 };
  for await (const page of lookupEventPages(options)) {
    assert.equal(page.page, last.page + 1);
    assert.ok(page.events.length <= 50);
    events.push(...page.events);
    last = page;
  }
  return { events, pages: last.page, requests: last.requests, throttled: last.throttled };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('paging returns every event exactly once, in our own shape', async () => {
  const got = await collect({
    client: client(fast.url, FAST),
    account: FAST.account,
    region: 'us-east-1',
    start: START,
    end: END,
    pacer: new RequestPacer(1000),
  });
  assert.equal(got.pages, Math.ceil(records.length / 50));
  assert.equal(got.requests, got.pages);
  const ids = got.events.map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), records.map((r) => r.eventID as string).sort());
  const byId = new Map(records.map((r) => [r.eventID as string, r]));
  for (const event of got.events) {
    const record = byId.get(event.eventId)!;
    assert.deepEqual(Object.keys(event).sort(), ['cloudTrailEvent', 'eventId', 'eventName', 'eventTime']);
    assert.equal(event.eventName, record.eventName);
    assert.ok(event.eventTime instanceof Date);
    assert.equal(event.eventTime.getTime(), Date.parse(record.eventTime as string));
    assert.equal((JSON.parse(event.cloudTrailEvent) as { eventID: string }).eventID, event.eventId);
  }
});

test('a lookup by EventName returns exactly the events of that name; other errors propagate unchanged', async () => {
  const name = 'GetSecretValue';
  const expected = records.filter((r) => r.eventName === name).map((r) => r.eventID as string);
  assert.ok(expected.length > 0);
  const got = await collect({
    client: client(fast.url, FAST),
    account: FAST.account,
    region: 'us-east-1',
    lookup: { key: 'EventName', value: name },
    start: START,
    end: END,
    pacer: new RequestPacer(1000),
  });
  assert.deepEqual(got.events.map((e) => e.eventId).sort(), expected.sort());

  const denied = PRINCIPALS.at(-1)!;
  await assert.rejects(
    collect({
      client: client(fast.url, denied),
      account: denied.account,
      region: 'us-east-1',
      start: START,
      end: END,
      pacer: new RequestPacer(1000),
    }),
    {
      name: 'AccessDeniedException',
    },
  );
});

test('the pacer is FIFO, keeps 2 starts a second per key, and rejects promptly on abort', async () => {
  const pacer = new RequestPacer(2, { marginMs: 0 });
  const order: number[] = [];
  const startedAt: number[] = [];
  const t0 = Date.now();
  await pacer.acquire('a/r'); // takes the first slot of this second
  const waits = [0, 1, 2].map((i) =>
    pacer.acquire('a/r').then(() => {
      order.push(i);
      startedAt.push(Date.now() - t0);
    }),
  );
  // A caller queued behind them gives up while waiting: rejected at once, nobody else delayed.
  const aborter = new AbortController();
  const abortedWait = pacer.acquire('a/r', aborter.signal);
  const abortStarted = Date.now();
  setTimeout(() => aborter.abort(), 50);
  await assert.rejects(abortedWait, { name: 'Cancelled' });
  assert.ok(Date.now() - abortStarted < 300, 'the abort is prompt');
  // Another key is not held up by this one.
  const other = Date.now();
  await pacer.acquire('b/r');
  assert.ok(Date.now() - other < 150);
  await Promise.all(waits);
  assert.deepEqual(order, [0, 1, 2]);
  // Starts: 0 (cancelled's), 0, ~1000, ~1000.
  assert.ok(itemAt(startedAt, 0) < 100);
  assert.ok(itemAt(startedAt, 1) >= 990 && itemAt(startedAt, 2) >= 990, `started at ${startedAt.join(', ')}`);
  await assert.rejects(pacer.acquire('a/r', AbortSignal.abort()), { name: 'Cancelled' });
});

test('slowDown halves a key’s rate, then it recovers', async () => {
  const pacer = new RequestPacer(2, { marginMs: 0, recoverAfterMs: 1500 });
  pacer.slowDown('k');
  assert.equal(pacer.currentRate('k'), 1);
  const t0 = Date.now();
  await pacer.acquire('k');
  await pacer.acquire('k');
  assert.ok(Date.now() - t0 >= 990, 'one a second while slowed down');
  await sleep(Math.max(0, 1600 - (Date.now() - t0)));
  assert.equal(pacer.currentRate('k'), 2);
});

test('three queries at once on one region stay within 2 requests a second and never fail on throttling', async () => {
  const who = principal(1);
  // About 120 events: 3 pages each, 9 requests in all. The default pacer is the shared one.
  const options = {
    client: client(paced.url, who),
    account: who.account,
    region: 'us-east-1',
    start: new Date(itemAt(times, 100)),
    end: new Date(itemAt(times, 219)),
  };
  const t0 = Date.now();
  const results = await Promise.all([collect(options), collect(options), collect(options)]);
  const elapsed = Date.now() - t0;
  for (const result of results) assert.equal(result.events.length, 120);
  const log = paced.stats.requests(who.account, 'us-east-1');
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  assert.equal(log.served.length, 9);
  assert.equal(log.served.length + log.throttled, requests);
  assert.ok(busiestSecond(log.served) <= 2, `the server served ${busiestSecond(log.served)} in one second`);
  console.log(`# 3 queries, 9 requests in ${elapsed} ms`);
});

test('a throttled page is retried after slowing down; too many throttles give a clear error', async () => {
  const who = principal(2);
  const sdk = client(paced.url, who);
  // Another tool uses the account's allowance just before us.
  await Promise.all([sdk.send(new LookupEventsCommand({ MaxResults: 1 })), sdk.send(new LookupEventsCommand({ MaxResults: 1 }))]);
  const pacer = new RequestPacer(2);
  const got = await collect({
    client: sdk,
    account: who.account,
    region: 'us-east-1',
    lookup: { key: 'EventName', value: 'GetSecretValue' },
    start: START,
    end: END,
    pacer,
  });
  assert.ok(got.throttled >= 1);
  assert.equal(got.requests, got.throttled + 1);
  assert.ok(got.events.length > 0);
  assert.equal(pacer.currentRate(`${who.account}/us-east-1`), 1);

  const busy = principal(3);
  const busySdk = client(paced.url, busy);
  await Promise.all([busySdk.send(new LookupEventsCommand({ MaxResults: 1 })), busySdk.send(new LookupEventsCommand({ MaxResults: 1 }))]);
  await assert.rejects(
    collect({
      client: busySdk,
      account: busy.account,
      region: 'us-east-1',
      start: START,
      end: END,
      pacer: new RequestPacer(2),
      maxThrottleRetries: 0,
    }),
    (error: unknown) =>
      error instanceof LookupThrottledError && /being throttled/.test(error.message) && error.message.includes(busy.account),
  );
});

test('cancelling after the first page stops at once, with no further requests', async () => {
  // Cancelled between pages: the next pull ends at once without a request.
  const who = principal(4);
  const controller = new AbortController();
  const pages = lookupEventPages({
    client: client(paced.url, who),
    account: who.account,
    region: 'us-east-1',
    start: START,
    end: END,
    signal: controller.signal,
  });
  assert.equal((await pages.next()).done, false);
  controller.abort();
  await assert.rejects(pages.next(), { name: 'Cancelled' });
  assert.equal((await pages.next()).done, true);

  // Cancelled while a page waits for its turn (page 3: the first two used this second).
  const waiting = new AbortController();
  const more = lookupEventPages({
    client: client(paced.url, who, 'eu-west-1'),
    account: who.account,
    region: 'eu-west-1',
    start: START,
    end: END,
    signal: waiting.signal,
  });
  assert.equal((await more.next()).done, false);
  assert.equal((await more.next()).done, false);
  const third = more.next();
  await sleep(100);
  waiting.abort();
  // At once: long before the turn it was waiting for (about 900 ms away) would have come.
  const outcome = await Promise.race([
    third.then(
      () => 'resolved',
      (e: Error) => e.name,
    ),
    sleep(700).then(() => 'still waiting'),
  ]);
  assert.equal(outcome, 'Cancelled');

  await sleep(1200);
  assert.equal(paced.stats.requests(who.account, 'us-east-1').served.length, 1);
  assert.equal(paced.stats.requests(who.account, 'eu-west-1').served.length, 2);
});

test('two regions in parallel each get their own 2 requests a second', async () => {
  const one = principal(5);
  const two = principal(6);
  const base = { start: START, end: END };
  let t0 = Date.now();
  let pages = 0;
  for await (const page of lookupAcrossRegions({
    ...base,
    account: one.account,
    regions: ['eu-west-1'],
    clientFor: (region) => client(paced.url, one, region),
  })) {
    pages = page.pages;
  }
  const single = Date.now() - t0;
  assert.equal(pages, 7);

  t0 = Date.now();
  const ids = new Map<string, Set<string>>();
  let last: { pages: number; totalRequests: number; totalThrottled: number } | undefined;
  for await (const page of lookupAcrossRegions({
    ...base,
    account: two.account,
    regions: ['eu-west-1', 'us-west-2'],
    clientFor: (region) => client(paced.url, two, region),
  })) {
    const seen = ids.get(page.region) ?? new Set<string>();
    for (const event of page.events) seen.add(event.eventId);
    ids.set(page.region, seen);
    last = page;
  }
  const double = Date.now() - t0;
  assert.equal(last?.pages, 14);
  assert.equal(last?.totalRequests, 14 + (last?.totalThrottled ?? 0));
  assert.equal(ids.get('eu-west-1')?.size, records.length);
  assert.equal(ids.get('us-west-2')?.size, records.length);
  const served = ['eu-west-1', 'us-west-2'].map((region) => paced.stats.requests(two.account, region).served);
  // In parallel, not one after the other: each region's paging overlaps the other's (how
  // much faster that is overall is bench:lookup's figure, not a timed assertion here).
  assert.ok(
    itemAt(itemAt(served, 1), 0) < itemAt(served, 0).at(-1)! && itemAt(itemAt(served, 0), 0) < itemAt(served, 1).at(-1)!,
    'the two regions paged at the same time',
  );
  const rates = served.map((times) => {
    assert.ok(busiestSecond(times) <= 2);
    return ((times.length - 1) * 1000) / (times.at(-1)! - itemAt(times, 0));
  });
  console.log(
    `# one region: 7 pages in ${single} ms; two regions: 14 pages in ${double} ms; requests/s per region: ${rates.map((r) => r.toFixed(2)).join(', ')}`,
  );
});

test('stopping a multi-region stream cancels every region', async () => {
  const who = principal(7);
  const regions = ['eu-west-1', 'us-west-2', 'ap-south-1'];
  // Counted where requests start (the client), not where they land: a request sent just
  // before the stop may arrive at the server later on a busy machine.
  let sent = 0;
  const counting = (region: string) => {
    const sdk = client(paced.url, who, region);
    const send = sdk.send.bind(sdk) as (...args: unknown[]) => Promise<unknown>;
    (sdk as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = (...args) => {
      sent += 1;
      return send(...args);
    };
    return sdk;
  };
  let first: string | undefined;
  for await (const page of lookupAcrossRegions({ start: START, end: END, account: who.account, regions, clientFor: counting })) {
    first = page.region;
    break;
  }
  assert.ok(first && regions.includes(first));
  const atStop = sent;
  await sleep(1200);
  assert.equal(sent, atStop, 'no request starts after the stream stopped');
  assert.ok(atStop <= regions.length * 2);
});
