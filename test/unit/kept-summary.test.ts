// The summary of a run past the row limit (issue 16): when the host keeps the whole result
// (the editor's runs), the summary after the block, the results view's header and its run
// list count every row, as the view pages through them; when the result was only cut (nothing
// kept, or keeping it failed), they say the limit was reached. Real DuckDB over generated logs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRunbook } from '../../src/app/runbookRunner';
import { outcomeOf, RunSession, withoutKept, type FinishedCell } from '../../src/extension/runSession';
import type { HostMessage } from '../../src/protocol/results';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { generateTrail } from '../../src/testbed/loggen';
import { rowCountOf, RunStore } from '../../src/webview/runStore';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';

const EVENTS = 310;
const LIMIT = 50;
const RUNBOOK = [
  '# Kept',
  '',
  '```cloudtrail id=everything',
  'SELECT eventTime, eventName, eventID FROM cloudtrail_logs ORDER BY eventTime, eventID',
  '```',
  '',
  '```cloudtrail id=all-findings expect=empty',
  'SELECT eventTime, eventID FROM cloudtrail_logs ORDER BY eventTime, eventID',
  '```',
  '',
].join('\n');

const trail = (async () => {
  const store = await openStore();
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: EVENTS, seed: 16 });
  return { store, source: new LocalLogsSource(store, join(root, 'trail')) };
})();

/** Finishes each run in a session as the editor's RunController does: what it posted, and what stays after each block. */
function finishInSession(runs: Awaited<ReturnType<typeof runRunbook>>): { posted: HostMessage[]; finished: Map<string, FinishedCell> } {
  const posted: HostMessage[] = [];
  const finished = new Map<string, FinishedCell>();
  let next = 1;
  const session = new RunSession(
    'file:///kept.md',
    'kept.md',
    runs.map((run) => run.cell),
    () => String(next++),
    (message) => posted.push(message),
    (cell, done) => finished.set(cell.id, done),
  );
  for (const run of runs) session.finish(run.cell, outcomeOf(run));
  return { posted, finished };
}

test('kept by the host: the summary after the block counts every row, findings too, and the view’s run list agrees', async () => {
  const { store, source } = await trail;
  const runs = await runRunbook(parseRunbook(RUNBOOK, 'kept.md'), { store, source, limit: LIMIT, keepBeyondLimit: true });
  try {
    const [rows, findings] = runs;
    assert.equal(rows!.rows.length, LIMIT, 'the first rows only travel with the run');
    assert.equal(rows!.kept?.rowCount, EVENTS);
    assert.equal(findings!.status, 'finding');
    assert.equal(findings!.kept?.rowCount, EVENTS);
    const { posted, finished } = finishInSession(runs);
    assert.match(finished.get('everything')!.summary, /^✓ 310 rows \(kept by the host\) · \d/);
    assert.match(finished.get('all-findings')!.summary, /^⚠ 310 findings \(kept by the host\) · \d/);
    assert.ok(!finished.get('everything')!.summary.includes('limit reached'));
    // The rows held for pivots and actions are still the first ones.
    assert.equal(finished.get('everything')!.rowCount, LIMIT);
    const done = posted.find((m) => m.type === 'runFinished' && m.summary.startsWith('✓'));
    assert.ok(done?.type === 'runFinished' && done.summary === finished.get('everything')!.summary, 'the view’s summary is the same');

    // The view: before the host's summary of the kept result arrives it counts what came; after, every row.
    const view = new RunStore();
    const started = posted.find((m) => m.type === 'runStarted' && m.cellId === 'everything');
    assert.ok(started?.type === 'runStarted');
    view.start(started);
    view.appendRows({ type: 'rows', runId: started.runId, columns: rows!.columns.slice(), rows: rows!.rows.map((r) => r.slice()) });
    assert.equal(rowCountOf(view.get(started.runId)!), LIMIT);
    await rows!.kept!.summarize();
    view.keep({ type: 'resultKept', runId: started.runId, ...rows!.kept!.summary });
    assert.equal(rowCountOf(view.get(started.runId)!), EVENTS);
  } finally {
    for (const run of runs) run.kept?.close();
  }
});

test('cut, not kept: the summary says the limit was reached, and so it says again when keeping the whole result failed', async () => {
  const { store, source } = await trail;
  const runbook = parseRunbook(RUNBOOK, 'kept.md');
  // The CLI's way: the limit alone, nothing kept.
  const cut = await runRunbook(runbook, { store, source, limit: LIMIT, cellIds: ['everything'] });
  assert.equal(cut[0]!.kept, undefined);
  assert.match(finishInSession(cut).finished.get('everything')!.summary, /^✓ 50 rows \(limit reached\) · \d/);

  const kept = await runRunbook(runbook, { store, source, limit: LIMIT, keepBeyondLimit: true, cellIds: ['everything'] });
  try {
    const finished = finishInSession(kept).finished.get('everything')!;
    assert.match(finished.summary, /^✓ 310 rows \(kept by the host\)/);
    const unkept = withoutKept(finished);
    assert.equal(unkept.summary.replace(/ · .*/, ''), '✓ 50 rows (limit reached)');
    assert.equal(
      unkept.summary.split(' · ').slice(1).join(' · '),
      finished.summary.split(' · ').slice(1).join(' · '),
      'same time and clock',
    );
    assert.equal(withoutKept(unkept), unkept, 'said once');
  } finally {
    kept[0]!.kept?.close();
  }
});

test('within the limit nothing is kept and the count is the rows', async () => {
  const { store, source } = await trail;
  const runs = await runRunbook(parseRunbook(RUNBOOK, 'kept.md'), {
    store,
    source,
    limit: EVENTS,
    keepBeyondLimit: true,
    cellIds: ['everything'],
  });
  assert.equal(runs[0]!.kept, undefined);
  assert.match(finishInSession(runs).finished.get('everything')!.summary, /^✓ 310 rows · \d/);
});
