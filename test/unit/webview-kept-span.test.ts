// The timeline of a result kept by the host asks for bins that cover the span in view
// (whole bins, bounded), marks only once the bins say the span holds few enough, one
// request of a kind at a time, and drops answers to requests it no longer waits for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_BINS, MAX_MARKS, type KeptHostMessage, type KeptRequest, type KeptSummary } from '../../src/protocol/keptResult';
import { binSizeFor, binsRequestFor, eventsAtMost, KeptSpan } from '../../src/webview/timeline/keptSpan';
import { itemAt } from '../support/itemAt';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const summary: KeptSummary = {
  rowCount: 1_000_000,
  columns: ['eventTime', 'eventName', 'errorCode'],
  timeColumn: 'eventTime',
  first: T0,
  last: T0 + 30 * 24 * HOUR,
  missingTime: 0,
};

/** The host's answer to a bins request: `perBin` events in every bin. */
function answerBins(request: Extract<KeptRequest, { type: 'bins' }>, perBin: number): Extract<KeptHostMessage, { type: 'bins' }> {
  const count = Math.floor((request.to - request.from) / request.size) + 1;
  return {
    type: 'bins',
    runId: request.runId,
    requestId: request.requestId,
    start: request.from,
    size: request.size,
    counts: new Array(count).fill(perBin),
  };
}

test('bins are about 3 px wide, of nice sizes, exact below a second, and never more than the host allows', () => {
  assert.equal(binSizeFor(24 * HOUR, 900), 5 * 60_000);
  assert.equal(binSizeFor(60_000, 900), 200);
  assert.equal(binSizeFor(10, 900), 1);
  const request = binsRequestFor({ start: 1_000.5, end: 1_000_000_000 }, 1);
  assert.ok((request.to - request.from) / request.size < MAX_BINS);
  assert.equal(request.from, 1_000);
  const aligned = binsRequestFor({ start: T0 + 90_000, end: T0 + HOUR }, 60_000);
  assert.deepEqual(aligned, { from: T0 + 60_000, to: T0 + HOUR, size: 60_000 });
});

test('the events a range holds, by its bins, count every bin it touches', () => {
  const bins = { start: 0, size: 10, counts: [1, 2, 3, 4] };
  assert.equal(eventsAtMost(bins, { start: 5, end: 25 }), 6);
  assert.equal(eventsAtMost(bins, { start: 10, end: 19 }), 2);
  assert.equal(eventsAtMost(bins, { start: 100, end: 200 }), 0);
});

test('zoomed out: the overview and the bins in view are asked once, and only the latest answer counts', () => {
  const span = new KeptSpan('9', summary);
  const all = span.bounds!;
  const first = span.requests(all, 1000);
  assert.deepEqual(
    first.map((r) => r.type),
    ['bins', 'bins'],
  );
  assert.deepEqual(span.requests(all, 1000), [], 'nothing more while both are in flight');
  const [overview, inView] = first as Extract<KeptRequest, { type: 'bins' }>[];
  assert.ok((overview!.to - overview!.from) / overview!.size <= 500 + 1);
  // A zoom before the answer: the request in flight is not repeated, and its answer still lands.
  const zoomed = { start: all.start, end: all.start + (all.end - all.start) / 4 };
  assert.deepEqual(span.requests(zoomed, 1000), []);
  assert.equal(span.receive(answerBins(inView!, 1_000)), true);
  assert.equal(span.receive(answerBins(overview!, 1_000)), true);
  assert.equal(span.receive({ ...answerBins(inView!, 5), requestId: 999 }), false, 'an answer to nothing asked is dropped');
  assert.equal(span.bins?.counts[0], 1_000);
  // Now the zoomed range wants finer bins; with a thousand per bin it is far too full for marks.
  const next = span.requests(zoomed, 1000);
  assert.deepEqual(
    next.map((r) => r.type),
    ['bins'],
  );
  span.receive(answerBins(next[0] as Extract<KeptRequest, { type: 'bins' }>, 1_000));
  assert.deepEqual(span.requests(zoomed, 1000), []);
  assert.equal(span.marksFor(zoomed), undefined);
});

test('zoomed in to a span of few events: marks are asked, and drawn only while they cover the range', () => {
  const span = new KeptSpan('9', summary);
  const range = { start: T0 + HOUR, end: T0 + HOUR + 60_000 };
  const asked = span.requests(range, 600);
  const bins = asked.find((r): r is Extract<KeptRequest, { type: 'bins' }> => r.type === 'bins' && r.size < 1000)!;
  span.receive(answerBins(bins, 2));
  const marks = span.requests(range, 600).find((r) => r.type === 'marks');
  assert.ok(marks !== undefined && marks.type === 'marks');
  assert.equal(marks.limit, MAX_MARKS);
  assert.deepEqual([marks.from, marks.to], [range.start, range.end]);
  span.receive({
    type: 'marks',
    runId: '9',
    requestId: marks.requestId,
    from: marks.from,
    to: marks.to,
    rowIndexes: [5, 7],
    times: [range.start + 10, range.start + 20],
    failed: [0, 1],
    complete: true,
  });
  const drawn = span.marksFor(range)!;
  assert.deepEqual([...drawn.times], [range.start + 10, range.start + 20]);
  assert.deepEqual([...drawn.failed], [0, 1]);
  assert.equal(span.marksFor({ start: range.start - 1, end: range.end }), undefined, 'a wider range is not covered');
});

test('a span fuller than the bins said keeps its bins; a host error is said, and the next range asks again', () => {
  const span = new KeptSpan('9', summary);
  const range = { start: T0, end: T0 + 10_000 };
  for (const request of span.requests(range, 600)) if (request.type === 'bins') span.receive(answerBins(request, 1));
  const marks = span.requests(range, 600).find((r) => r.type === 'marks')!;
  span.receive({
    type: 'marks',
    runId: '9',
    requestId: marks.requestId,
    from: range.start,
    to: range.end,
    rowIndexes: [],
    times: [],
    failed: [],
    complete: false,
  });
  assert.equal(span.marksFor(range), undefined);
  const again = span.requests(range, 600).find((r) => r.type === 'marks')!;
  span.receive({ type: 'keptError', runId: '9', requestId: again.requestId, request: again.type, error: 'this result is no longer kept' });
  assert.equal(span.error, 'this result is no longer kept');
});

test('an overview sent with the summary is drawn at once, and only the bins in view are asked', () => {
  const overview = { start: T0, size: HOUR, counts: new Array(30 * 24 + 1).fill(1_000) };
  const span = new KeptSpan('9', { ...summary, overview });
  assert.deepEqual(span.overview?.counts, overview.counts);
  assert.equal(span.bins, span.overview, 'the first paint has bins to draw');
  const asked = span.requests(span.bounds!, 1000);
  assert.deepEqual(
    asked.map((r) => r.type),
    ['bins'],
  );
});

test('a result without times asks for nothing', () => {
  const span = new KeptSpan('3', { rowCount: 50_000, columns: ['eventName', 'n'], missingTime: 50_000 });
  assert.equal(span.bounds, undefined);
  assert.deepEqual(span.requests({ start: 0, end: 1 }, 800), []);
});

test('a table page the host could not answer (a superseded sort or filter) is not the timeline’s error', () => {
  const span = new KeptSpan('9', summary);
  assert.equal(
    span.receive({ type: 'keptError', runId: '9', requestId: 1, request: 'page', error: 'another sort or filter was asked for since' }),
    false,
  );
  assert.equal(span.error, undefined);
});

test('the filter narrows the timeline: what was held goes, every request carries the words, answers to older ones are dropped, and clearing it restores the whole', () => {
  const overview = { start: T0, size: HOUR, counts: new Array(30 * 24 + 1).fill(1_000) };
  const span = new KeptSpan('9', { ...summary, overview });
  // Twelve hours of a thousand events an hour: too many for marks, until filtered.
  const range = { start: T0, end: T0 + 12 * HOUR };
  const before = span.requests(range, 600);
  assert.deepEqual(
    before.map((r) => [r.type, 'filter' in r]),
    [['bins', false]],
  );
  assert.equal(span.setFilter(['assumerole', 'denied']), true);
  assert.equal(span.setFilter(['assumerole', 'denied']), false, 'the same words change nothing');
  // Read through a function: the compiler would otherwise take these as undefined from here on.
  const held = (): Pick<KeptSpan, 'overview' | 'bins'> => span;
  assert.equal(held().overview, undefined, 'the whole result’s overview is not the filter’s');
  assert.equal(held().bins, undefined);
  // An answer to the bins asked before the filter is not the filter's: dropped.
  const unfiltered = itemAt(before, 0);
  assert.equal(unfiltered.type === 'bins' && span.receive(answerBins(unfiltered, 1_000)), false);
  assert.equal(
    span.receive({ type: 'keptError', runId: '9', requestId: unfiltered.requestId, request: 'bins', error: 'superseded' }),
    false,
  );
  assert.equal(span.error, undefined, 'an answer no longer waited for is not said');
  const asked = span.requests(range, 600);
  assert.deepEqual(
    asked.map((r) => [r.type, r.type === 'page' || r.type === 'position' ? undefined : r.filter]),
    [
      ['bins', 'assumerole denied'],
      ['bins', 'assumerole denied'],
    ],
    'the filtered overview and the filtered bins in view',
  );
  for (const request of asked) if (request.type === 'bins') span.receive(answerBins(request, 2));
  assert.ok(held().overview?.counts.every((n) => n === 2));
  // Few enough: the marks of the filtered span are asked, with the words.
  const marks = span.requests(range, 600).find((r) => r.type === 'marks');
  assert.equal(marks?.type === 'marks' && marks.filter, 'assumerole denied');
  assert.equal(span.setFilter([]), true);
  assert.deepEqual(held().overview?.counts, overview.counts, 'cleared: the summary’s overview again');
  assert.ok(span.requests(range, 600).every((r) => !('filter' in r)));
});
