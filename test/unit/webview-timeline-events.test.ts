// A run's rows as the timeline reads them: typed arrays, extended batch by batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultValue } from '../../src/protocol/results';
import { Outcome, OUTCOME_MASK, ROOT_FLAG } from '../../src/webview/timeline/outcome';
import { lowerBound, RunEvents, upperBound } from '../../src/webview/timeline/runEvents';
import { itemAt } from '../support/itemAt';

const columns = ['eventTime', 'eventName', 'userIdentity', 'errorCode'];
const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' };
const root = { type: 'Root', arn: 'arn:aws:iam::111122223333:root' };

function rowsOf(count: number, start = 0): ResultValue[][] {
  const rows: ResultValue[][] = [];
  for (let i = start; i < start + count; i += 1) {
    rows.push([
      new Date(Date.UTC(2025, 2, 5, 0, 0, i)).toISOString(),
      i % 3 === 0 ? 'ListBuckets' : 'PutObject',
      i % 10 === 0 ? root : alice,
      i % 7 === 0 ? 'AccessDenied' : null,
    ]);
  }
  return rows;
}

test('each batch is read once: times, outcomes, bounds, and rows without a time counted', () => {
  const events = new RunEvents();
  const rows = rowsOf(5);
  assert.equal(events.sync(columns, rows), true);
  assert.equal(events.length, 5);
  assert.equal(events.sync(columns, rows), false, 'nothing new, nothing done');
  rows.push(['not a time', 'GetObject', alice, null], ...rowsOf(3, 5));
  events.sync(columns, rows);
  assert.equal(events.length, 9);
  assert.equal(events.missingTime, 1);
  assert.equal(events.first, Date.UTC(2025, 2, 5, 0, 0, 0));
  assert.equal(events.last, Date.UTC(2025, 2, 5, 0, 0, 7));
  assert.equal(itemAt(events.classes, 0) & OUTCOME_MASK, Outcome.Error, 'row 0: AccessDenied');
  assert.equal(itemAt(events.classes, 0) & ROOT_FLAG, ROOT_FLAG, 'row 0: root');
  assert.equal(itemAt(events.classes, 1) & OUTCOME_MASK, Outcome.Write);
  assert.equal(itemAt(events.classes, 3) & OUTCOME_MASK, Outcome.Read);
  assert.equal(events.sorted, false, 'a row without a time breaks the binary search');
});

test('the arrays grow past their first capacity and keep what was read', () => {
  const events = new RunEvents();
  const rows = rowsOf(1000);
  events.sync(columns, rows);
  rows.push(...rowsOf(4000, 1000));
  events.sync(columns, rows);
  assert.equal(events.length, 5000);
  assert.equal(events.times[4999], Date.UTC(2025, 2, 5, 0, 0, 4999));
  assert.equal(events.times[10], Date.UTC(2025, 2, 5, 0, 0, 10));
  assert.equal(events.sorted, true);
});

test('lane keys are computed when first asked, then extended with new rows only', () => {
  const events = new RunEvents();
  const rows = rowsOf(20);
  events.sync(columns, rows);
  const keys = events.laneKeys('principal', rows);
  assert.equal(keys.length, 20);
  assert.deepEqual(keys.counts, [2, 18]);
  rows.push(...rowsOf(10, 20));
  events.sync(columns, rows);
  assert.equal(events.laneKeys('principal', rows).length, 30);
  assert.equal(events.laneKeys('principal', rows), keys, 'the same keys, extended');
});

test('a new column reads every row again: the parts may be elsewhere now', () => {
  const events = new RunEvents();
  const rows: ResultValue[][] = [['GetObject']];
  events.sync(['eventName'], rows);
  assert.equal(events.hasTimes, false);
  events.sync(['eventName', 'eventTime'], [['GetObject', '2025-03-05T00:00:00Z']]);
  assert.equal(events.hasTimes, true);
  assert.equal(events.missingTime, 0);
});

test('binary search of sorted times: the visible range as row indices', () => {
  const times = Float64Array.from([10, 20, 20, 30, 40]);
  assert.equal(lowerBound(times, 5, 20), 1);
  assert.equal(upperBound(times, 5, 20), 3);
  assert.equal(lowerBound(times, 5, 0), 0);
  assert.equal(upperBound(times, 5, 99), 5);
  assert.equal(upperBound(times, 3, 99), 3, 'only the rows read so far');
});
