// A kept result of 20,000+ rows, sorted, filtered and exported by the host over real DuckDB,
// checked against the query's full rows put through the view's own rules for a small result
// (src/webview/sortRows.ts, rowFilter.ts) and the editor's export of rows in memory.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { KeptResult, SUPERSEDED } from '../../src/engine/keptResult';
import { runQuery, type CellValue } from '../../src/engine/query';
import { exportChunks } from '../../src/app/rowsExport';
import { writeChunksAtomic } from '../../src/app/writeAtomic';
import { exportRows } from '../../src/extension/exportRows';
import { EXPORT_FORMATS } from '../../src/protocol/results';
import type { KeptListing } from '../../src/protocol/keptResult';
import { filterTerms, rowMatches } from '../../src/webview/rowFilter';
import { sortedRowOrder } from '../../src/webview/sortRows';
import { scannedTrail } from '../support/store';
import { itemAt } from '../support/itemAt';

const EVENTS = 24_000;

// Strings, a struct (JSON text), numbers whole and not, a time as TIMESTAMPTZ, nulls (errorCode).
const SQL = `SELECT eventName, userIdentity, errorCode, sourceIPAddress, length(eventName) AS letters,
  length(eventName) / 4 AS quarters, from_iso8601_timestamp(eventTime) AS at, eventID
  FROM cloudtrail_logs ORDER BY eventTime, eventID`;

const kept = (async () => {
  const { store, scope, root } = await scannedTrail(EVENTS, 31);
  const whole = await runQuery(store, scope, SQL);
  const { result, kept: keptResult } = await KeptResult.run(store, scope, SQL, { limit: 10_000 });
  return { whole, first: result, kept: keptResult!, root };
})();

/** Every row of a listing, read in pages of `size` as the table reads them. */
async function listAll(
  result: KeptResult,
  listing: KeptListing,
  size = 1_777,
): Promise<{ rows: CellValue[][]; rowIndexes: number[]; listed: number }> {
  const rows: CellValue[][] = [];
  const rowIndexes: number[] = [];
  let listed = 0;
  for (let offset = 0; offset === 0 || offset < listed; offset += size) {
    const page = await result.listed(offset, size, listing);
    listed = page.listed;
    rows.push(...page.rows);
    rowIndexes.push(...page.rowIndexes);
  }
  return { rows, rowIndexes, listed };
}

/** What the view lists for a small result: its filter, then its sort (both stable). */
function expected(rows: readonly CellValue[][], columns: readonly string[], listing: KeptListing): number[] {
  const terms = filterTerms(listing.filter ?? '');
  const order =
    listing.sort === undefined
      ? rows.map((_, i) => i)
      : sortedRowOrder(rows, { column: columns.indexOf(listing.sort.column), direction: listing.sort.direction });
  return order.filter((i) => rowMatches(itemAt(rows, i), terms));
}

test('the kept result holds every row, 20,000 and more', async () => {
  const { whole, first, kept: result } = await kept;
  assert.equal(whole.rows.length, EVENTS);
  assert.equal(first.truncated, true);
  assert.equal(result.rowCount, EVENTS);
});

for (const listing of [
  { sort: { column: 'eventName', direction: 'asc' } },
  { sort: { column: 'errorCode', direction: 'desc' } },
  { sort: { column: 'letters', direction: 'desc' } },
  { sort: { column: 'at', direction: 'desc' } },
] satisfies KeptListing[]) {
  test(`sorted by ${listing.sort.column} ${listing.sort.direction}: the rows as the view sorts them (nulls last, ties in the query's order)`, async () => {
    const { whole, kept: result } = await kept;
    const order = expected(whole.rows, whole.columns, listing);
    const got = await listAll(result, listing);
    assert.equal(got.listed, EVENTS);
    assert.deepEqual(got.rowIndexes, order);
    assert.deepEqual(
      got.rows,
      order.map((i) => whole.rows[i]),
    );
  });
}

for (const filter of ['AssumeRole', 'accessdenied  describe', '.000z', '"arn', '2.5 assumerole', "' OR 1=1 --", '2.5']) {
  test(`filtered by ${JSON.stringify(filter)}: the rows the view's filter keeps, none more, none fewer`, async () => {
    const { whole, kept: result } = await kept;
    const order = expected(whole.rows, whole.columns, { filter });
    const got = await listAll(result, { filter });
    assert.equal(got.listed, order.length);
    assert.deepEqual(got.rowIndexes, order);
    assert.deepEqual(
      got.rows,
      order.map((i) => whole.rows[i]),
    );
  });
}

test('the filter finds what the words name: a sanity check on the data the tests above compare', async () => {
  const { whole } = await kept;
  for (const filter of ['AssumeRole', '2.5', '2.5 assumerole']) {
    const count = expected(whole.rows, whole.columns, { filter }).length;
    assert.ok(count > 0 && count < EVENTS, `${filter}: ${count}`);
  }
  // Only the TIMESTAMPTZ column reads with milliseconds (eventTime is text without them).
  assert.equal(expected(whole.rows, whole.columns, { filter: '.000z' }).length, EVENTS);
});

test('sorted and filtered at once, paged in odd sizes, past the end empty', async () => {
  const { whole, kept: result } = await kept;
  const listing: KeptListing = { sort: { column: 'sourceIPAddress', direction: 'asc' }, filter: 'describe' };
  const order = expected(whole.rows, whole.columns, listing);
  const got = await listAll(result, listing, 333);
  assert.deepEqual(got.rowIndexes, order);
  assert.deepEqual(
    got.rows,
    order.map((i) => whole.rows[i]),
  );
  assert.deepEqual(await result.listed(order.length + 5, 10, listing), { rows: [], rowIndexes: [], listed: order.length });
});

test('a column the result does not have is an error that names it', async () => {
  const { kept: result } = await kept;
  await assert.rejects(
    result.listed(0, 10, { sort: { column: 'eventName" DESC; --', direction: 'asc' } }),
    /no column "eventName\\" DESC; --" to sort by/,
  );
});

test('exported whole, a chunk at a time: the same text as the rows exported from memory, in every format', async () => {
  const { whole, kept: result, root } = await kept;
  for (const format of EXPORT_FORMATS) {
    const path = join(root, `whole.${format}`);
    await writeChunksAtomic(path, exportChunks(format, whole.columns, result.chunks(4_096)));
    const text = await readFile(path, 'utf8');
    assert.equal(text, exportRows(format, whole.columns, whole.rows), format);
  }
});

test('an export of no rows is the same text as exporting none from memory', async () => {
  for (const format of EXPORT_FORMATS) {
    let text = '';
    for await (const chunk of exportChunks(format, ['a', 'b'], [])) text += chunk;
    assert.equal(text, exportRows(format, ['a', 'b'], []), format);
  }
});

test('a listing asked for while another waits its turn, and superseded by a third, is not computed: the latest one is', async () => {
  const { whole, kept: result } = await kept;
  const waits = result.page(0, 5_000);
  const stale = result.listed(0, 5, { filter: 'assumerole get' });
  const latest = result.listed(0, 5, { filter: 'assumerole' });
  await waits;
  await assert.rejects(stale, { message: SUPERSEDED });
  assert.deepEqual((await latest).rowIndexes, expected(whole.rows, whole.columns, { filter: 'assumerole' }).slice(0, 5));
});

for (const listing of [
  { sort: { column: 'eventName', direction: 'asc' } },
  { sort: { column: 'errorCode', direction: 'desc' } },
  { sort: { column: 'at', direction: 'desc' } },
  { filter: 'describe' },
  { sort: { column: 'sourceIPAddress', direction: 'asc' }, filter: 'assumerole' },
  {},
] satisfies KeptListing[]) {
  test(`the position of a row in the listing ${JSON.stringify(listing)} is its place in the whole listed order; a row left out is -1`, async () => {
    const { kept: result } = await kept;
    const all = await listAll(result, listing);
    const placeOf = new Map(all.rowIndexes.map((row, position) => [row, position]));
    // Rows spread over the result (the first, the last, every 997th), listed or not.
    const rows = [0, EVENTS - 1, ...Array.from({ length: Math.floor(EVENTS / 997) }, (_, i) => (i + 1) * 997)];
    let listedOnes = 0;
    for (const row of rows) {
      const expectedPosition = placeOf.get(row) ?? -1;
      if (expectedPosition >= 0) listedOnes += 1;
      assert.deepEqual(await result.position(row, listing), { position: expectedPosition, listed: all.listed }, `row ${row}`);
    }
    assert.ok(listedOnes > 0, 'some of the rows asked are listed');
    if (listing.filter !== undefined) assert.ok(listedOnes < rows.length, 'and, filtered, some are not');
    assert.equal((await result.position(EVENTS + 10, listing)).position, -1, 'past the result: not listed');
  });
}
