// The host answers the view's requests about kept results, checked on arrival, and keeps
// only the latest few: a request about one let go is answered with what to do.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { KeptResults } from '../../src/app/keptResults';
import { KeptResult } from '../../src/engine/keptResult';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { isKeptRequest, MAX_BINS, MAX_FILTER_CHARS, MAX_FILTER_WORDS, MAX_MARKS, MAX_PAGE } from '../../src/protocol/keptResult';
import { isWebviewMessage } from '../../src/protocol/results';
import { generateTrail } from '../../src/testbed/loggen';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

test('requests are checked on arrival: whole numbers, bounded sizes, a run and a request id', () => {
  const good = [
    { type: 'bins', runId: '7', requestId: 1, from: 0, to: 3_600_000, size: 60_000 },
    { type: 'marks', runId: '7', requestId: 2, from: 10, to: 20, limit: MAX_MARKS },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: MAX_PAGE },
    {
      type: 'page',
      runId: '7',
      requestId: 4,
      offset: 0,
      count: 10,
      listing: { sort: { column: 'eventName', direction: 'desc' }, filter: 'assumerole denied' },
    },
    { type: 'page', runId: '7', requestId: 5, offset: 0, count: 10, listing: {} },
    { type: 'bins', runId: '7', requestId: 6, from: 0, to: 3_600_000, size: 60_000, filter: 'assumerole denied' },
    { type: 'marks', runId: '7', requestId: 7, from: 10, to: 20, limit: MAX_MARKS, filter: '' },
    {
      type: 'position',
      runId: '7',
      requestId: 8,
      row: 123_456,
      listing: { sort: { column: 'eventName', direction: 'asc' }, filter: 'get' },
    },
    { type: 'position', runId: '7', requestId: 9, row: 0 },
  ];
  for (const message of good) assert.equal(isWebviewMessage(message), true, JSON.stringify(message));
  const bad = [
    { type: 'bins', runId: '7', requestId: 1, from: 0, to: 1_000, size: 0 },
    { type: 'bins', runId: '7', requestId: 1, from: 0, to: MAX_BINS * 10, size: 1 },
    { type: 'bins', runId: '7', requestId: 1, from: 5, to: 1, size: 1 },
    { type: 'bins', runId: '7', requestId: 1.5, from: 0, to: 1, size: 1 },
    { type: 'marks', runId: '7', requestId: 2, from: 0, to: 1, limit: MAX_MARKS + 1 },
    { type: 'marks', runId: 7, requestId: 2, from: 0, to: 1, limit: 10 },
    { type: 'page', runId: '7', requestId: 3, offset: -1, count: 10 },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: MAX_PAGE + 1 },
    { type: 'page', runId: '7', requestId: 3, offset: '0', count: 10 },
    { type: 'page', runId: '7', offset: 0, count: 10 },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: 10, listing: { sort: { column: 'eventName', direction: 'sideways' } } },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: 10, listing: { sort: { column: 7, direction: 'asc' } } },
    {
      type: 'page',
      runId: '7',
      requestId: 3,
      offset: 0,
      count: 10,
      listing: { sort: { column: 'x'.repeat(MAX_FILTER_CHARS + 1), direction: 'asc' } },
    },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: 10, listing: { filter: 'x'.repeat(MAX_FILTER_CHARS + 1) } },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: 10, listing: { filter: 'w '.repeat(MAX_FILTER_WORDS + 1) } },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: 10, listing: { filter: ['a'] } },
    { type: 'page', runId: '7', requestId: 3, offset: 0, count: 10, listing: 'eventName' },
    { type: 'bins', runId: '7', requestId: 1, from: 0, to: 1_000, size: 1, filter: 'x'.repeat(MAX_FILTER_CHARS + 1) },
    { type: 'marks', runId: '7', requestId: 2, from: 0, to: 1, limit: 10, filter: 'w '.repeat(MAX_FILTER_WORDS + 1) },
    { type: 'marks', runId: '7', requestId: 2, from: 0, to: 1, limit: 10, filter: ['a'] },
    { type: 'position', runId: '7', requestId: 8, row: -1 },
    { type: 'position', runId: '7', requestId: 8, row: 1.5 },
    { type: 'position', runId: '7', requestId: 8, row: '3' },
    { type: 'position', runId: '7', requestId: 8, row: 3, listing: { filter: 7 } },
  ];
  for (const message of bad) {
    assert.equal(isKeptRequest(message), false, JSON.stringify(message));
    assert.equal(isWebviewMessage(message), false, JSON.stringify(message));
  }
});

test('the latest results are kept and answer; older ones are let go and say to run the cell again', async () => {
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: 500, seed: 5 });
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, join(root, 'trail'), ALL_TIME);
  const scope = { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME };
  const kept = new KeptResults(2);
  const sql = 'SELECT eventTime, eventID FROM cloudtrail_logs ORDER BY eventTime';
  const announced = [];
  for (const runId of ['1', '2', '3']) announced.push(kept.keep(runId, await KeptResult.keep(store, scope, sql)));
  assert.deepEqual(
    announced.map((m) => m.type === 'resultKept' && [m.runId, m.rowCount, m.timeColumn]),
    [
      ['1', 500, 'eventTime'],
      ['2', 500, 'eventTime'],
      ['3', 500, 'eventTime'],
    ],
  );
  assert.equal(kept.has('1'), false);
  const gone = await kept.answer({ type: 'page', runId: '1', requestId: 9, offset: 0, count: 5 });
  assert.deepEqual(gone, {
    type: 'keptError',
    runId: '1',
    requestId: 9,
    request: 'page',
    error: 'this result is no longer kept (only the latest runs are): run the cell again',
  });
  const page = await kept.answer({ type: 'page', runId: '3', requestId: 10, offset: 495, count: 100 });
  assert.equal(page.type, 'page');
  assert.equal(page.type === 'page' && page.rows.length, 5);
  const sorted = await kept.answer({
    type: 'page',
    runId: '3',
    requestId: 13,
    offset: 0,
    count: 3,
    listing: { sort: { column: 'eventTime', direction: 'desc' } },
  });
  assert.deepEqual(
    sorted.type === 'page' && [sorted.listed, sorted.rowIndexes],
    [500, [499, 498, 497]],
    'the result is in time order: the latest last',
  );
  const unknown = await kept.answer({
    type: 'page',
    runId: '3',
    requestId: 14,
    offset: 0,
    count: 3,
    listing: { sort: { column: 'nope', direction: 'asc' } },
  });
  assert.deepEqual(unknown, {
    type: 'keptError',
    runId: '3',
    requestId: 14,
    request: 'page',
    error: 'this result has no column "nope" to sort by',
  });
  const summary = itemAt(announced, 2);
  const first = summary.type === 'resultKept' ? summary.first! : 0;
  const last = summary.type === 'resultKept' ? summary.last! : 0;
  const bins = await kept.answer({ type: 'bins', runId: '3', requestId: 11, from: first, to: last, size: 86_400_000 });
  assert.equal(bins.type === 'bins' && bins.counts.reduce((a, b) => a + b, 0), 500);
  assert.equal(bins.type === 'bins' && bins.errors, undefined, 'no errorCode column: no error counts');
  const marks = await kept.answer({ type: 'marks', runId: '3', requestId: 12, from: first, to: last, limit: 100 });
  assert.deepEqual(marks.type === 'marks' && [marks.complete, marks.times.length, marks.requestId], [false, 0, 12]);
  // Where a listing puts a row: the latest event, first when sorted latest first.
  const position = await kept.answer({
    type: 'position',
    runId: '3',
    requestId: 15,
    row: 499,
    listing: { sort: { column: 'eventTime', direction: 'desc' } },
  });
  assert.deepEqual(position, { type: 'position', runId: '3', requestId: 15, row: 499, position: 0, listed: 500 });
  // A filter no row holds: its bins count nothing, and no row is listed.
  const none = await kept.answer({
    type: 'bins',
    runId: '3',
    requestId: 16,
    from: first,
    to: last,
    size: 86_400_000,
    filter: 'no-such-word',
  });
  assert.equal(none.type === 'bins' && none.counts.reduce((a, b) => a + b, 0), 0);
  const unlisted = await kept.answer({ type: 'position', runId: '3', requestId: 17, row: 10, listing: { filter: 'no-such-word' } });
  assert.deepEqual(unlisted.type === 'position' && [unlisted.position, unlisted.listed], [-1, 0]);
  kept.clear();
  assert.equal(kept.has('3'), false);
});
