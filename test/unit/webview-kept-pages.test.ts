// The table of a result kept by the host asks for the pages under its window once each,
// keeps the latest few, and takes only the answers it asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeptRequest } from '../../src/protocol/keptResult';
import { MAX_PAGE } from '../../src/protocol/keptResult';
import { KeptPages, PAGE_ROWS } from '../../src/webview/keptPages';
import { RunStore } from '../../src/webview/runStore';
import { itemAt } from '../support/itemAt';

type PageRequest = Extract<KeptRequest, { type: 'page' }>;
const rowsOf = (request: PageRequest) => Array.from({ length: request.count }, (_, i) => [request.offset + i]);

test('the pages under the window are asked once, the last one short, none past the end', () => {
  const rowCount = 2 * PAGE_ROWS + 50;
  const pages = new KeptPages('1', rowCount);
  const asked = pages.want(PAGE_ROWS - 10, rowCount + 100) as PageRequest[];
  assert.deepEqual(
    asked.map((r) => [r.offset, r.count]),
    [
      [0, PAGE_ROWS],
      [PAGE_ROWS, PAGE_ROWS],
      [2 * PAGE_ROWS, 50],
    ],
  );
  assert.ok(asked.every((r) => r.count <= MAX_PAGE));
  assert.deepEqual(pages.want(0, rowCount), [], 'in flight: not asked again');
  assert.equal(pages.row(PAGE_ROWS + 1), undefined);
  assert.equal(
    pages.receive({
      type: 'page',
      runId: '1',
      requestId: itemAt(asked, 1).requestId,
      offset: PAGE_ROWS,
      rows: rowsOf(itemAt(asked, 1)),
      rowIndexes: [],
      listed: rowCount,
    }),
    true,
  );
  assert.deepEqual(pages.row(PAGE_ROWS + 1), [PAGE_ROWS + 1]);
  assert.equal(
    pages.receive({ type: 'page', runId: '1', requestId: 999, offset: 0, rows: [[0]], rowIndexes: [0], listed: rowCount }),
    false,
    'an answer to nothing asked is dropped',
  );
  assert.equal(
    pages.receive({
      type: 'page',
      runId: '2',
      requestId: itemAt(asked, 0).requestId,
      offset: 0,
      rows: [[0]],
      rowIndexes: [0],
      listed: rowCount,
    }),
    false,
    'another run’s answer is dropped',
  );
});

test('only the pages read last are kept; a page the host could not send is asked again', () => {
  const pages = new KeptPages('1', 100_000, 3);
  for (const offset of [0, PAGE_ROWS, 2 * PAGE_ROWS, 3 * PAGE_ROWS]) {
    const [request] = pages.want(offset, offset + 10) as PageRequest[];
    pages.receive({
      type: 'page',
      runId: '1',
      requestId: request!.requestId,
      offset,
      rows: rowsOf(request!),
      rowIndexes: [],
      listed: 100_000,
    });
  }
  assert.equal(pages.heldPages, 3);
  assert.equal(pages.row(0), undefined, 'the first page read was let go');
  assert.deepEqual(pages.row(3 * PAGE_ROWS + 1), [3 * PAGE_ROWS + 1]);
  const [failed] = pages.want(50_000, 50_010) as PageRequest[];
  assert.equal(pages.receive({ type: 'keptError', runId: '1', requestId: failed!.requestId, request: 'page', error: 'gone' }), false);
  assert.equal(pages.want(50_000, 50_010).length, 1);
});

test('the run store remembers that the host keeps a run’s result, and for which run', () => {
  const store = new RunStore();
  store.start({ type: 'runStarted', runId: '5', runbook: 'r.md', cellId: 'c', line: 1, context: { source: 'local logs' }, startedAt: 0 });
  const kept = store.keep({
    type: 'resultKept',
    runId: '5',
    rowCount: 2_000_000,
    columns: ['eventTime'],
    timeColumn: 'eventTime',
    first: 1,
    last: 2,
    missingTime: 3,
  });
  assert.deepEqual(kept?.kept, { rowCount: 2_000_000, columns: ['eventTime'], timeColumn: 'eventTime', first: 1, last: 2, missingTime: 3 });
  assert.equal(store.keep({ type: 'resultKept', runId: 'unknown', rowCount: 1, columns: [], missingTime: 0 }), undefined);
});

test('a listing (sorted, filtered) asks its first page with the listing, learns how many rows match, and knows each row’s place in the whole result', () => {
  const listing = { sort: { column: 'eventName', direction: 'desc' as const }, filter: 'assumerole' };
  const pages = new KeptPages('1', 1_000_000, 3, listing);
  assert.equal(pages.listed, undefined, 'how many rows the filter keeps is the host’s to say');
  const [first, ...more] = pages.want(0, 5_000) as PageRequest[];
  assert.deepEqual(more, [], 'only the first page before the count is known');
  assert.deepEqual(first!.listing, listing);
  assert.equal(first!.offset, 0);
  const rowIndexes = Array.from({ length: PAGE_ROWS }, (_, i) => 999_000 - i * 7);
  pages.receive({
    type: 'page',
    runId: '1',
    requestId: first!.requestId,
    offset: 0,
    rows: rowIndexes.map((index) => [index]),
    rowIndexes,
    listed: PAGE_ROWS + 30,
  });
  assert.equal(pages.listed, PAGE_ROWS + 30);
  assert.equal(pages.indexAt(3), 999_000 - 21);
  assert.equal(pages.positionOf(999_000 - 21), 3);
  assert.deepEqual(pages.rowByIndex(999_000 - 21), [999_000 - 21]);
  assert.equal(pages.positionOf(5), -1, 'a row not listed (or not here) has no position');
  assert.equal(pages.indexAt(PAGE_ROWS + 1), undefined, 'its page has not come');
  const asked = pages.want(0, 5_000) as PageRequest[];
  assert.deepEqual(
    asked.map((r) => [r.offset, r.count]),
    [[PAGE_ROWS, 30]],
    'now up to the listing’s end only',
  );
});

test('in the query’s order a row’s place is its position, and request ids never repeat across listings', () => {
  const plain = new KeptPages('1', 500);
  assert.equal(plain.listed, 500);
  assert.equal(plain.indexAt(42), 42);
  assert.equal(plain.positionOf(42), 42);
  const a = plain.want(0, 10) as PageRequest[];
  const b = new KeptPages('1', 500, 3, { sort: { column: 'x', direction: 'asc' } }).want(0, 10) as PageRequest[];
  assert.equal(itemAt(a, 0).listing, undefined);
  assert.notEqual(itemAt(a, 0).requestId, itemAt(b, 0).requestId);
});

test('a row picked on the timeline whose page is not here: its position in the listing is asked once, and known once the host says', () => {
  const listing = { sort: { column: 'eventName', direction: 'asc' as const } };
  const pages = new KeptPages('1', 1_000_000, 3, listing);
  const request = pages.locate(654_321);
  assert.deepEqual(request && { ...request, requestId: 0 }, { type: 'position', runId: '1', requestId: 0, row: 654_321, listing });
  assert.equal(pages.locate(654_321), undefined, 'asked already');
  assert.equal(pages.positionOf(654_321), -1);
  const id = request!.requestId;
  assert.equal(
    pages.receive({ type: 'position', runId: '2', requestId: id, row: 654_321, position: 5, listed: 9 }),
    false,
    'another run’s answer is dropped',
  );
  assert.equal(pages.receive({ type: 'position', runId: '1', requestId: id, row: 654_321, position: 412_345, listed: 1_000_000 }), true);
  assert.equal(pages.positionOf(654_321), 412_345);
  assert.equal(pages.locate(654_321), undefined, 'known: nothing to ask');
  // The page at that position is what the table asks next, as it scrolls there.
  const [page] = pages.want(412_345, 412_346) as PageRequest[];
  assert.equal(page?.offset, Math.floor(412_345 / PAGE_ROWS) * PAGE_ROWS);
  // A row the listing leaves out stays without a position; an error frees it to be asked again.
  const filtered = new KeptPages('1', 1_000_000, 3, { filter: 'assumerole' });
  const out = filtered.locate(7)!;
  assert.equal(filtered.receive({ type: 'position', runId: '1', requestId: out.requestId, row: 7, position: -1, listed: 21_442 }), true);
  assert.equal(filtered.positionOf(7), -1);
  assert.equal(filtered.listed, 21_442, 'the answer says how many rows the filter keeps');
  const again = filtered.locate(7)!;
  assert.equal(filtered.receive({ type: 'keptError', runId: '1', requestId: again.requestId, request: 'position', error: 'x' }), false);
  assert.notEqual(filtered.locate(7), undefined, 'asked again after an error');
  assert.equal(new KeptPages('1', 500).locate(42), undefined, 'in the query’s order a row’s position is its index');
});
