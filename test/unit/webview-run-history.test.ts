// The run list's history (issue 14, item 6): a press of Run all is one entry with its
// cells, the newest run of each cell is listed, runs that ran again since are folded; and
// the one filter box's mask, shared by the table and the timeline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterMask } from '../../src/webview/filterMask';
import { filterTerms } from '../../src/webview/rowFilter';
import { groupRuns, statusCounts } from '../../src/webview/runGroups';
import { RunStore, type RunStarted } from '../../src/webview/runStore';
import { itemAt } from '../support/itemAt';

function started(runId: string, cellId: string, line: number, startedAt: number, runbook = 'runbooks/keys.md'): RunStarted {
  return { type: 'runStarted', runId, runbook, cellId, line, context: { source: 'local logs ./incident-42' }, startedAt };
}

function finish(store: RunStore, runId: string, status: 'ok' | 'finding' | 'error'): void {
  store.finish({
    type: 'runFinished',
    runId,
    status,
    rowCount: 0,
    truncated: false,
    elapsedMs: 10,
    notes: [],
    problems: [],
    summary: status,
  });
}

test('the cells of one Run all are one entry, in the runbook order; a single run is its own', () => {
  const store = new RunStore();
  // Run all at t=1000: three cells (they share the press's startedAt), then one cell alone.
  store.start(started('1', 'new-keys', 10, 1000));
  store.start(started('2', 'attach-policy', 20, 1000));
  store.start(started('3', 'stop-logging', 30, 1000));
  finish(store, '1', 'ok');
  finish(store, '2', 'finding');
  finish(store, '3', 'error');
  store.start(started('4', 'whoami', 40, 2000));
  const groups = groupRuns(store.list().reverse());
  assert.deepEqual(
    groups.map((g) => ({ runAll: g.runAll, runs: g.runs.map((r) => r.started.cellId), earlier: g.earlier })),
    [
      { runAll: false, runs: ['whoami'], earlier: false },
      { runAll: true, runs: ['new-keys', 'attach-policy', 'stop-logging'], earlier: false },
    ],
  );
  assert.deepEqual(statusCounts(itemAt(groups, 1).runs), [
    { status: 'ok', count: 1 },
    { status: 'finding', count: 1 },
    { status: 'error', count: 1 },
  ]);
});

test('the newest run of each cell is listed; what ran again since is folded under earlier runs', () => {
  const store = new RunStore();
  store.start(started('1', 'new-keys', 10, 1000));
  store.start(started('2', 'attach-policy', 20, 1000));
  store.start(started('3', 'new-keys', 10, 2000));
  store.start(started('4', 'new-keys', 10, 3000));
  const groups = groupRuns(store.list().reverse());
  const listed = groups.filter((g) => !g.earlier).map((g) => g.runs.map((r) => r.runId));
  const earlier = groups.filter((g) => g.earlier).map((g) => g.runs.map((r) => r.runId));
  assert.deepEqual(listed, [['4'], ['1', '2']], 'the Run all stays: attach-policy has not run again');
  assert.deepEqual(earlier, [['3']]);
  assert.deepEqual([...groups.find((g) => g.runAll)!.superseded], ['1'], 'its new-keys ran again: shown as superseded');
});

test('the same cell name in two runbooks is two cells', () => {
  const store = new RunStore();
  store.start(started('1', 'whoami', 10, 1000, 'runbooks/a.md'));
  store.start(started('2', 'whoami', 10, 2000, 'runbooks/b.md'));
  assert.equal(groupRuns(store.list().reverse()).filter((g) => g.earlier).length, 0);
});

test('one filter mask for the table and the timeline, extended as rows arrive, renewed when the words change', () => {
  const rows: (string | number)[][] = [
    ['AssumeRole', '203.0.113.7'],
    ['GetObject', '10.0.0.1'],
  ];
  const mask = new FilterMask();
  mask.sync(rows, filterTerms('assumerole'));
  assert.deepEqual([...mask.mask.subarray(0, mask.length)], [1, 0]);
  const first = mask.mask;
  rows.push(['AssumeRole', '10.0.0.2']);
  mask.sync(rows, filterTerms('assumerole'));
  assert.deepEqual([...mask.mask.subarray(0, mask.length)], [1, 0, 1]);
  assert.equal(mask.matched, 2);
  mask.sync(rows, filterTerms('10.0.0'));
  assert.notEqual(mask.mask, first, 'new words: a new array, so the timeline places its events again');
  assert.deepEqual([...mask.mask.subarray(0, mask.length)], [0, 1, 1]);
});
