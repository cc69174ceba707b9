// The results panel's replay log: a page that loads late (or again, after being hidden)
// gets the last runs as they are now, in order, within the memory bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../src/protocol/results';
import { ReplayLog } from '../../src/extension/replayLog';

const started = (runId: string): HostMessage => ({
  type: 'runStarted',
  runId,
  runbook: 'r.md',
  cellId: `cell-${runId}`,
  line: 1,
  context: { source: 'local logs · x · all events' },
  startedAt: 0,
});
const rows = (runId: string, n: number): HostMessage => ({
  type: 'rows',
  runId,
  columns: ['a'],
  rows: Array.from({ length: n }, (_, i) => [i]),
});
const finished = (runId: string): HostMessage => ({
  type: 'runFinished',
  runId,
  status: 'ok',
  rowCount: 0,
  truncated: false,
  elapsedMs: 1,
  notes: [],
  problems: [],
  summary: '✓',
});
const progress = (runId: string, message: string): HostMessage => ({ type: 'progress', runId, message, elapsedMs: 5 });

test('replays each run as started, rows, finished; only the latest progress of a running run', () => {
  const log = new ReplayLog();
  for (const m of [
    started('1'),
    progress('1', 'read 1/2'),
    rows('1', 2),
    progress('1', 'read 2/2'),
    rows('1', 1),
    finished('1'),
    started('2'),
    progress('2', 'page 1'),
    progress('2', 'page 2'),
  ])
    log.record(m);
  const replay = [...log.messages()];
  assert.deepEqual(
    replay.map((m) => `${m.type}:${'runId' in m ? m.runId : ''}`),
    ['runStarted:1', 'rows:1', 'rows:1', 'runFinished:1', 'runStarted:2', 'progress:2'],
  );
  assert.equal((replay[5] as { message: string }).message, 'page 2');
});

test('keeps the last 20 runs, and a revealed run comes last so the page selects it', () => {
  const log = new ReplayLog();
  for (let i = 1; i <= 25; i++) log.record(started(String(i)));
  log.record({ type: 'reveal', runId: '10' });
  const replay = [...log.messages()];
  const ids = replay.filter((m) => m.type === 'runStarted').map((m) => (m as { runId: string }).runId);
  assert.deepEqual(
    ids,
    Array.from({ length: 20 }, (_, i) => String(i + 6)),
  );
  assert.deepEqual(replay.at(-1), { type: 'reveal', runId: '10' });
});

test('rows are capped per run and in total, dropping the oldest runs first', () => {
  const log = new ReplayLog();
  log.record(started('big'));
  log.record(rows('big', 120_000));
  const kept = [...log.messages()]
    .filter((m) => m.type === 'rows')
    .reduce((n, m) => n + (m as { rows: readonly unknown[] }).rows.length, 0);
  assert.equal(kept, 100_000);
  for (const id of ['b', 'c']) {
    log.record(started(id));
    log.record(rows(id, 90_000));
  }
  const runs = [...log.messages()].filter((m) => m.type === 'runStarted').map((m) => (m as { runId: string }).runId);
  assert.deepEqual(runs, ['b', 'c']);
});

test('clear forgets everything; rows of an unknown run are ignored', () => {
  const log = new ReplayLog();
  log.record(rows('ghost', 3));
  assert.deepEqual([...log.messages()], []);
  log.record(started('1'));
  log.record({ type: 'clear' });
  assert.deepEqual([...log.messages()], []);
});

test('a rows reset drops the provisional rows: a late page gets only what follows', () => {
  const log = new ReplayLog();
  for (const m of [started('1'), rows('1', 50), { type: 'rowsReset', runId: '1' } as HostMessage, rows('1', 120), finished('1')])
    log.record(m);
  const replay = [...log.messages()];
  assert.deepEqual(
    replay.map((m) => m.type),
    ['runStarted', 'rows', 'runFinished'],
  );
  assert.equal((replay[1] as { rows: readonly unknown[] }).rows.length, 120);
});

test('a result the host keeps is announced again after the run finished; answers to a page’s requests are not replayed', () => {
  const log = new ReplayLog();
  const kept: HostMessage = {
    type: 'resultKept',
    runId: '1',
    rowCount: 1_000_000,
    columns: ['eventTime'],
    timeColumn: 'eventTime',
    first: 0,
    last: 10,
    missingTime: 0,
  };
  for (const m of [started('1'), rows('1', 3), finished('1'), kept]) log.record(m);
  log.record({ type: 'bins', runId: '1', requestId: 4, start: 0, size: 1, counts: [1] });
  log.record({ type: 'page', runId: '1', requestId: 5, offset: 0, rows: [[1]], rowIndexes: [0], listed: 1_000_000 });
  const replay = [...log.messages()];
  assert.deepEqual(
    replay.map((m) => m.type),
    ['runStarted', 'rows', 'runFinished', 'resultKept'],
  );
  assert.deepEqual(replay[3], kept);
});
