// The webview's runs: rows arrive in batches and in order, and memory stays bounded
// however many runs and rows the host sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultValue } from '../../src/protocol/results';
import { RunStore, type RunFinished, type RunStarted } from '../../src/webview/runStore';
import { itemAt } from '../support/itemAt';

function started(runId: string, cellId = 'new-keys'): RunStarted {
  return {
    type: 'runStarted',
    runId,
    runbook: 'runbooks/keys.md',
    cellId,
    line: 12,
    expect: 'empty',
    context: { source: 'local logs ./incident-42' },
    startedAt: 1_700_000_000_000,
  };
}

function finished(runId: string, rowCount: number): RunFinished {
  return {
    type: 'runFinished',
    runId,
    status: 'finding',
    rowCount,
    truncated: false,
    elapsedMs: 1400,
    notes: ['read 3 files'],
    problems: [],
    summary: '⚠ 2 findings',
  };
}

const rows = (runId: string, columns: string[], values: ResultValue[][]) => ({ type: 'rows' as const, runId, columns, rows: values });

test('rows of several batches are kept in the order they came, with the columns of the first', () => {
  const store = new RunStore();
  store.start(started('r1'));
  store.appendRows(
    rows(
      'r1',
      ['eventName', 'n'],
      [
        ['A', 1],
        ['B', 2],
      ],
    ),
  );
  store.appendRows(rows('r1', ['eventName', 'n'], [['C', 3]]));
  const run = store.finish(finished('r1', 3))!;
  assert.deepEqual(run.columns, ['eventName', 'n']);
  assert.deepEqual(run.rows, [
    ['A', 1],
    ['B', 2],
    ['C', 3],
  ]);
  assert.equal(run.received, 3);
  assert.equal(run.status, 'finding');
  assert.deepEqual(run.finished?.notes, ['read 3 files']);
});

test('a run starts as running, progress replaces progress, and each change bumps the version', () => {
  const store = new RunStore();
  store.start(started('r1'));
  const before = store.get('r1')!.version;
  store.progress({ type: 'progress', runId: 'r1', message: 'page 1', elapsedMs: 500 });
  store.progress({ type: 'progress', runId: 'r1', message: 'page 2', elapsedMs: 900 });
  const run = store.get('r1')!;
  assert.equal(run.status, 'running');
  assert.deepEqual(run.progress, { message: 'page 2', elapsedMs: 900 });
  assert.equal(run.version, before + 2);
  store.finish(finished('r1', 0));
  assert.equal(store.get('r1')!.progress, undefined, 'a finished run has no progress left');
});

test('only the last 20 runs are kept; starting one more reports which were dropped', () => {
  const store = new RunStore();
  for (let i = 1; i <= 20; i += 1) assert.deepEqual(store.start(started(`r${i}`)), []);
  assert.deepEqual(store.start(started('r21')), ['r1']);
  assert.equal(store.size, 20);
  assert.equal(store.get('r1'), undefined);
  assert.equal(itemAt(store.list(), 0).runId, 'r2', 'oldest first');
  assert.equal(store.newest()!.runId, 'r21');
});

test('messages about a run the store does not know are ignored', () => {
  const store = new RunStore();
  assert.equal(store.appendRows(rows('gone', ['a'], [[1]])), undefined);
  assert.equal(store.progress({ type: 'progress', runId: 'gone', message: 'x', elapsedMs: 1 }), undefined);
  assert.equal(store.finish(finished('gone', 1)), undefined);
  assert.equal(store.size, 0);
});

test('a runId started again starts over and becomes the newest', () => {
  const store = new RunStore();
  store.start(started('r1'));
  store.start(started('r2'));
  store.appendRows(rows('r1', ['a'], [[1]]));
  store.start(started('r1', 'again'));
  const run = store.get('r1')!;
  assert.equal(run.started.cellId, 'again');
  assert.deepEqual(run.rows, []);
  assert.equal(store.newest()!.runId, 'r1');
});

test('rows beyond the per-run bound are counted but not kept', () => {
  const store = new RunStore({ maxRuns: 20, maxRowsPerRun: 3 });
  store.start(started('r1'));
  store.appendRows(rows('r1', ['n'], [[1], [2]]));
  store.appendRows(rows('r1', ['n'], [[3], [4], [5]]));
  const run = store.get('r1')!;
  assert.deepEqual(run.rows, [[1], [2], [3]]);
  assert.equal(run.received, 5);
});

test('a batch with the columns in another order, or a new column, still lines up by name', () => {
  const store = new RunStore();
  store.start(started('r1'));
  store.appendRows(rows('r1', ['a', 'b'], [[1, 2]]));
  store.appendRows(rows('r1', ['b', 'a', 'c'], [[20, 10, 30]]));
  const run = store.get('r1')!;
  assert.deepEqual(run.columns, ['a', 'b', 'c']);
  assert.deepEqual(run.rows, [
    [1, 2],
    [10, 20, 30],
  ]);
});

test('clear forgets every run', () => {
  const store = new RunStore();
  store.start(started('r1'));
  store.clear();
  assert.equal(store.size, 0);
  assert.equal(store.newest(), undefined);
});

test("a rows reset starts the run's rows over in a new Run object, keeping its place and status", () => {
  const store = new RunStore();
  store.start(started('r1'));
  store.appendRows(rows('r1', ['eventName'], [['A'], ['B']]));
  const before = store.get('r1')!;
  const fresh = store.resetRows('r1')!;
  assert.notEqual(fresh, before, 'views keyed by the Run object start over');
  assert.deepEqual(fresh.rows, []);
  assert.equal(fresh.received, 0);
  assert.equal(fresh.status, 'running');
  assert.ok(fresh.version > before.version);
  store.appendRows(rows('r1', ['eventName'], [['C']]));
  assert.deepEqual(store.get('r1')!.rows, [['C']]);
  assert.equal(store.resetRows('unknown'), undefined);
});
