// The LookupEvents source keeps what it fetched: a settled range is never fetched twice,
// the last 15 minutes always are, and a wider window fetches only what it adds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runQuery } from '../../src/engine/query';
import { parseWindow } from '../../src/engine/timeWindow';
import { startCloudTrailEndpoint, type CloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { LookupEventsSource } from '../../src/sources/lookup/lookupSource';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const KEY = { accessKeyId: 'AKIDSOURCETEST', secretAccessKey: 'source-test-secret', account: '444455556666' };
let endpoint: CloudTrailEndpoint;
before(async () => {
  endpoint = await startCloudTrailEndpoint({ logsPath: stratusDir(), principals: [KEY] });
});
after(() => endpoint.close());

const served = (): number => endpoint.stats.requests(KEY.account, 'us-east-1').served.length;
const SQL = `SELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'`;

test('a settled range is fetched once; the cache answers the next run, even in a new process', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const window = parseWindow('2024-07-31T00:00:00Z/2024-08-01T00:00:00Z');
  const first = await openStore({ cacheDir });
  const source = new LookupEventsSource(first, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  const before1 = served();
  const prepared = await source.prepare(window, SQL);
  assert.ok(served() > before1, 'the first run asks AWS');
  const rows = (await runQuery(first, prepared.scope, SQL)).rows;
  assert.equal(rows.length, 1);
  first.close();

  const second = await openStore({ cacheDir });
  const again = new LookupEventsSource(second, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  const before2 = served();
  const cached = await again.prepare(window, SQL);
  assert.equal(served(), before2, 'no request for a range already fetched');
  assert.deepEqual((await runQuery(second, cached.scope, SQL)).rows, rows);
  assert.ok(
    cached.notes.some((n) => /1 range fetched earlier came from the cache/.test(n)),
    cached.notes.join('\n'),
  );

  // A wider window fetches only the day it adds.
  const wider = parseWindow('2024-07-30T00:00:00Z/2024-08-01T00:00:00Z');
  const before3 = served();
  const widened = await again.prepare(wider, SQL);
  assert.equal(served() - before3, 1, 'one request for the one missing day');
  assert.deepEqual((await runQuery(second, widened.scope, SQL)).rows, rows);
});

test('the last 15 minutes are fetched again on every run', async () => {
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const source = new LookupEventsSource(store, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  const window = parseWindow('10m');
  const before1 = served();
  const first = await source.prepare(window, SQL);
  const before2 = served();
  await source.prepare(window, SQL);
  assert.ok(before2 > before1 && served() > before2, 'both runs asked AWS');
  assert.ok(first.notes.some((n) => /last 15 minutes are fetched again/.test(n)));
});

test('regions fetched in parallel store their events one write at a time, each event once', async () => {
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const source = new LookupEventsSource(store, { regions: ['eu-west-1', 'ap-southeast-2'], endpoint: endpoint.url, credentials: KEY });
  const sql = 'SELECT count(*), count(DISTINCT eventID) FROM cloudtrail_logs';
  const prepared = await source.prepare(parseWindow('2024-01-01T00:00:00Z/2025-01-01T00:00:00Z'), sql);
  assert.deepEqual((await runQuery(store, prepared.scope, sql)).rows, [[310, 310]]);
  assert.ok(prepared.notes.some((n) => /us-east-1 was added/.test(n)));
});

test("a window reaching past AWS's 90 days is refused before any request, with what to do instead", async () => {
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  // No endpoint: this is AWS. Nothing is sent (the check comes first), so no network is needed.
  const source = new LookupEventsSource(store, { regions: ['us-east-1'], credentials: KEY });
  await assert.rejects(source.prepare(parseWindow('100d'), SQL), /the window 100d starts .*LookupEvents keeps 90 days.*local logs/);
  // Another endpoint (the local one) serves what it has, and the result says what AWS would not.
  const local = new LookupEventsSource(store, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  const prepared = await local.prepare(parseWindow('2024-07-31T00:00:00Z/2024-08-01T00:00:00Z'), SQL);
  assert.ok(
    prepared.notes.some((n) => /LookupEvents keeps 90 days/.test(n)),
    prepared.notes.join('\n'),
  );
});

test('what a run fetched but did not keep (the last 15 minutes) is removed when the next run starts; kept ranges stay', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const store = await openStore({ cacheDir });
  const fetchedFiles = async (): Promise<number> =>
    Number(itemAt((await store.writer.runAndReadAll(`SELECT count(*) FROM store.fetches`)).getRowsJS(), 0)[0]);
  const settled = parseWindow('2024-07-31T00:00:00Z/2024-08-01T00:00:00Z');

  const run1 = new LookupEventsSource(store, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  await run1.prepare(settled, SQL);
  const kept = await fetchedFiles();
  await run1.prepare(parseWindow('10m'), SQL);
  await run1.prepare(parseWindow('10m'), SQL);
  assert.ok((await fetchedFiles()) > kept, 'within a run, each cell fetches the recent tail');

  const run2 = new LookupEventsSource(store, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  const beforeRequests = served();
  const again = await run2.prepare(settled, SQL);
  assert.equal(served(), beforeRequests, 'the kept range is still answered from the cache');
  assert.equal(await fetchedFiles(), kept, "run 1's tails are gone, the kept range is not");
  assert.equal((await runQuery(store, again.scope, SQL)).rows.length, 1);
});
