// The filter narrows a kept result's timeline as it narrows its table: the host's bins and
// marks for a filter count only the rows the filter keeps. Checked over real DuckDB against
// the query's whole rows put through the view's own filter for a small result
// (src/webview/rowFilter.ts), binned here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binCount, binStart, KeptResult, SUPERSEDED } from '../../src/engine/keptResult';
import { runQuery, type CellValue } from '../../src/engine/query';
import { filterTerms, rowMatches } from '../../src/webview/rowFilter';
import { scannedTrail } from '../support/store';
import { itemAt } from '../support/itemAt';

const EVENTS = 12_000;
const SQL = `SELECT eventTime, eventName, errorCode, sourceIPAddress, awsRegion, userIdentity, eventID
  FROM cloudtrail_logs ORDER BY eventName, eventID`;

const kept = (async () => {
  const { store, scope } = await scannedTrail(EVENTS, 47);
  const whole = await runQuery(store, scope, SQL);
  const { kept: result } = await KeptResult.run(store, scope, SQL, { limit: 2_000 });
  assert.ok(result !== undefined, 'more rows than the limit: the result is kept');
  await result.summarize();
  return { whole, result };
})();

const timeOf = (row: readonly CellValue[]): number => Date.parse(String(row[0]));
const failed = (row: readonly CellValue[]): boolean => row[2] !== null && row[2] !== '';

/** The bins of the rows `filter` keeps, binned here as the host bins (bins aligned to their size, both ends included). */
function expectedBins(rows: readonly CellValue[][], filter: string, from: number, to: number, size: number) {
  const start = binStart(from, size);
  const counts = new Array<number>(binCount(from, to, size)).fill(0);
  const errors = new Array<number>(counts.length).fill(0);
  const terms = filterTerms(filter);
  for (const row of rows) {
    const t = timeOf(row);
    if (!(t >= from && t <= to) || !rowMatches(row, terms)) continue;
    const bin = Math.floor((t - start) / size);
    counts[bin] = itemAt(counts, bin) + 1;
    if (failed(row)) errors[bin] = itemAt(errors, bin) + 1;
  }
  return { start, size, counts, errors };
}

/** The rows `filter` keeps in [from, to], in time order (ties in the result's order): what the marks are. */
function expectedMarks(rows: readonly CellValue[][], filter: string, from: number, to: number): number[] {
  const terms = filterTerms(filter);
  return rows
    .map((row, index) => ({ t: timeOf(row), index, row }))
    .filter((e) => e.t >= from && e.t <= to && rowMatches(e.row, terms))
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .map((e) => e.index);
}

for (const filter of ['AssumeRole', 'accessdenied', 'describe us-east-1', "' OR 1=1 --", 'ASSUMEROLE  ']) {
  test(`filtered by ${JSON.stringify(filter)}: the bins count exactly the rows the filter keeps, over all time and a span`, async () => {
    const { whole, result } = await kept;
    const { first, last } = result.summary;
    assert.ok(first !== undefined && last !== undefined);
    const overview = await result.bins(first, last, 3_600_000, filter);
    assert.deepEqual(overview, expectedBins(whole.rows, filter, first, last, 3_600_000));
    const from = first + Math.floor((last - first) / 3);
    const to = last - Math.floor((last - first) / 3);
    assert.deepEqual(await result.bins(from, to, 60_000, filter), expectedBins(whole.rows, filter, from, to, 60_000));
  });
}

test('the filters above keep some rows and not all: a sanity check on the data the tests compare', async () => {
  const { whole } = await kept;
  for (const filter of ['AssumeRole', 'accessdenied', 'describe us-east-1']) {
    const count = whole.rows.filter((row) => rowMatches(row, filterTerms(filter))).length;
    assert.ok(count > 0 && count < EVENTS, `${filter}: ${count}`);
  }
  assert.ok(
    whole.rows.some((row) => rowMatches(row, filterTerms('accessdenied')) && failed(row)),
    'the filtered bins have errors to count',
  );
  assert.equal(whole.rows.filter((row) => rowMatches(row, filterTerms("' OR 1=1 --"))).length, 0, 'words that read as SQL match as text');
});

test('the marks of a filtered span are the matching rows only, in time order, where a whole span would be too full', async () => {
  const { whole, result } = await kept;
  const { first, last } = result.summary;
  assert.ok(first !== undefined && last !== undefined);
  const filter = 'describe us-east-1';
  const matching = expectedMarks(whole.rows, filter, first, last);
  assert.ok(matching.length > 0 && matching.length < 5_000, `some, and few enough to be marks: ${matching.length}`);
  const unfiltered = await result.events(first, last, 5_000);
  assert.equal(unfiltered.complete, false, 'all of it is too many marks');
  const marks = await result.events(first, last, 5_000, filter);
  assert.equal(marks.complete, true);
  assert.deepEqual(marks.rowIndexes, matching);
  assert.deepEqual(
    marks.times,
    matching.map((index) => timeOf(itemAt(whole.rows, index))),
  );
  assert.deepEqual(
    marks.failed,
    matching.map((index) => (failed(itemAt(whole.rows, index)) ? 1 : 0)),
  );
});

test('a cleared filter gives the whole result again; the filtered set is the one the table lists', async () => {
  const { whole, result } = await kept;
  const { first, last } = result.summary;
  assert.ok(first !== undefined && last !== undefined);
  await result.bins(first, last, 86_400_000, 'assumerole');
  const cleared = await result.bins(first, last, 86_400_000, '');
  assert.deepEqual(cleared, expectedBins(whole.rows, '', first, last, 86_400_000));
  assert.equal(
    cleared.counts.reduce((a, b) => a + b, 0),
    EVENTS,
  );
  // The table's listing of the same filter: the same rows the timeline counts.
  const filtered = await result.bins(first, last, 86_400_000, 'AssumeRole');
  const page = await result.listed(0, 2_000, { filter: 'assumerole' });
  assert.equal(
    filtered.counts.reduce((a, b) => a + b, 0),
    page.listed,
  );
});

test('bins asked for a filter the view has left behind are not computed: the latest filter is', async () => {
  const { whole, result } = await kept;
  const { first, last } = result.summary;
  assert.ok(first !== undefined && last !== undefined);
  const waits = result.page(0, 2_000);
  const stale = result.bins(first, last, 86_400_000, 'getobject listbuckets');
  const latest = result.bins(first, last, 86_400_000, 'getobject');
  await waits;
  await assert.rejects(stale, { message: SUPERSEDED });
  assert.deepEqual(await latest, expectedBins(whole.rows, 'getobject', first, last, 86_400_000));
});
