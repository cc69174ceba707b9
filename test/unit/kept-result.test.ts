// A result kept on the host answers what the results view shows of it: bins for a span
// that add up to the events in it, the events of a small span, and pages in the result's
// own order; all checked against the same query run whole, over real DuckDB.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binCount, binStart, KeptResult, timeColumnOf } from '../../src/engine/keptResult';
import { runQuery } from '../../src/engine/query';
import { scannedTrail } from '../support/store';
import { itemAt } from '../support/itemAt';

const EVENTS = 4_000;

const trail = scannedTrail(EVENTS, 11);

async function kept(sql: string): Promise<{ result: KeptResult; whole: Awaited<ReturnType<typeof runQuery>> }> {
  const { store, scope } = await trail;
  const result = await KeptResult.keep(store, scope, sql);
  return { result, whole: await runQuery(store, scope, sql) };
}

const SQL = 'SELECT eventTime, eventName, errorCode, eventID FROM cloudtrail_logs ORDER BY eventTime DESC, eventID';

test('the summary counts every row and spans the earliest to the latest event', async () => {
  const { result, whole } = await kept(SQL);
  const times = whole.rows.map((row) => Date.parse(String(row[0])));
  assert.equal(result.summary.rowCount, EVENTS);
  assert.deepEqual(result.summary.columns, ['eventTime', 'eventName', 'errorCode', 'eventID']);
  assert.equal(result.summary.timeColumn, 'eventTime');
  assert.equal(result.summary.first, Math.min(...times));
  assert.equal(result.summary.last, Math.max(...times));
  assert.equal(result.summary.missingTime, 0);
  // The overview comes with the summary: every event in about a thousand bins.
  const overview = result.summary.overview!;
  assert.ok(overview.counts.length <= 1_001);
  assert.equal(
    overview.counts.reduce((a, b) => a + b, 0),
    EVENTS,
  );
  assert.equal(
    overview.errors!.reduce((a, b) => a + b, 0),
    whole.rows.filter((row) => row[2] !== null).length,
  );
  result.close();
});

test('bins over a span count its events, errors among them, on bins aligned to their size', async () => {
  const { result, whole } = await kept(SQL);
  const { first, last } = result.summary;
  const from = first! + Math.floor((last! - first!) / 4);
  const to = last! - Math.floor((last! - first!) / 4);
  const size = 60_000;
  const bins = await result.bins(from, to, size);
  assert.equal(bins.start, binStart(from, size));
  assert.equal(bins.start % size, 0);
  assert.equal(bins.counts.length, binCount(from, to, size));
  const expected = new Array<number>(bins.counts.length).fill(0);
  const expectedErrors = new Array<number>(bins.counts.length).fill(0);
  for (const row of whole.rows) {
    const t = Date.parse(String(row[0]));
    if (t < from || t > to) continue;
    const bin = Math.floor((t - bins.start) / size);
    expected[bin] = itemAt(expected, bin) + 1;
    if (row[2] !== null && row[2] !== '') expectedErrors[bin] = itemAt(expectedErrors, bin) + 1;
  }
  assert.deepEqual(bins.counts, expected);
  assert.deepEqual(bins.errors, expectedErrors);
  assert.ok(
    expectedErrors.some((n) => n > 0),
    'the generated trail has failed calls in the span',
  );
  const everything = await result.bins(first!, last!, 3_600_000);
  assert.equal(
    everything.counts.reduce((a, b) => a + b, 0),
    EVENTS,
  );
  result.close();
});

test('a span with few enough events gives them in time order with their places in the result; a full one says it is not complete', async () => {
  const { result, whole } = await kept(SQL);
  const crowded = await result.events(result.summary.first!, result.summary.last!, 100);
  assert.deepEqual(crowded, { rowIndexes: [], times: [], failed: [], complete: false });
  const sorted = whole.rows.map((row, index) => ({ t: Date.parse(String(row[0])), index })).sort((a, b) => a.t - b.t || a.index - b.index);
  const from = itemAt(sorted, 1_000).t;
  const to = itemAt(sorted, 1_040).t;
  const span = await result.events(from, to, 500);
  assert.equal(span.complete, true);
  const expected = sorted.filter((e) => e.t >= from && e.t <= to).map((e) => e.index);
  assert.deepEqual(span.rowIndexes, expected);
  assert.deepEqual(
    span.times,
    expected.map((index) => Date.parse(String(itemAt(whole.rows, index)[0]))),
  );
  assert.deepEqual(
    span.failed,
    expected.map((index) => (itemAt(whole.rows, index)[2] === null ? 0 : 1)),
  );
  result.close();
});

test('a result not in time order gives a span’s events all the same, in time order', async () => {
  const { result, whole } = await kept('SELECT eventName, eventTime, eventID FROM cloudtrail_logs ORDER BY eventName, eventID');
  const sorted = whole.rows.map((row, index) => ({ t: Date.parse(String(row[1])), index })).sort((a, b) => a.t - b.t || a.index - b.index);
  const from = itemAt(sorted, 2_000).t;
  const to = itemAt(sorted, 2_100).t;
  const expected = sorted.filter((e) => e.t >= from && e.t <= to).map((e) => e.index);
  const span = await result.events(from, to, 1_000);
  assert.ok(
    expected.some((index, i) => i > 0 && index !== itemAt(expected, i - 1) + 1),
    'the span is spread over the result',
  );
  assert.deepEqual(span.rowIndexes, expected);
  assert.deepEqual(
    span.times,
    expected.map((index) => Date.parse(String(itemAt(whole.rows, index)[1]))),
  );
  assert.deepEqual(
    span.failed,
    expected.map(() => 0),
    'no errorCode column: nothing failed',
  );
  result.close();
});

test('pages run through the whole result in its own order, the last one short', async () => {
  const { result, whole } = await kept(SQL);
  const pages = [];
  for (let offset = 0; offset < EVENTS; offset += 1_500) pages.push(...(await result.page(offset, 1_500)));
  assert.deepEqual(pages, whole.rows);
  assert.equal((await result.page(3_900, 1_500)).length, 100);
  assert.deepEqual(await result.page(EVENTS, 10), []);
  result.close();
});

test('requests that overlap are answered each in turn', async () => {
  const { result, whole } = await kept(SQL);
  const [a, b, c] = await Promise.all([
    result.page(0, 10),
    result.bins(result.summary.first!, result.summary.last!, 86_400_000),
    result.page(10, 10),
  ]);
  assert.deepEqual([...a, ...c], whole.rows.slice(0, 20));
  assert.equal(
    b.counts.reduce((x, y) => x + y, 0),
    EVENTS,
  );
  result.close();
});

test('rows without a time are counted as such, not dropped', async () => {
  const { result } = await kept(`SELECT eventName, count(*) AS n FROM cloudtrail_logs GROUP BY eventName`);
  assert.equal(result.summary.timeColumn, undefined);
  assert.equal(result.summary.first, undefined);
  assert.equal(result.summary.missingTime, result.summary.rowCount);
  assert.ok(result.summary.rowCount > 1);
  const page = await result.page(0, 1_000);
  assert.equal(page.length, result.summary.rowCount);
  result.close();
});

test('the time column is found by name as the view finds it', () => {
  assert.equal(timeColumnOf(['eventID', 'event_time']), 'event_time');
  assert.equal(timeColumnOf(['n', 'TIMESTAMP']), 'TIMESTAMP');
  assert.equal(timeColumnOf(['eventName']), undefined);
});

test('a query that is not one SELECT over cloudtrail_logs is refused, and a let-go result says to run the cell again', async () => {
  const { store, scope } = await trail;
  await assert.rejects(KeptResult.keep(store, scope, `SELECT * FROM read_csv('/etc/passwd')`), /cloudtrail_logs/);
  const { result } = await kept(SQL);
  result.close();
  await assert.rejects(result.page(0, 10), /no longer kept: run the cell again/);
});
