// The editor's side of a cold cell answered before its cache is written (issue 16): the
// session says the answer at once, shows the cache being written under it (the results view,
// the summary after the block), then says what the whole scan found in the same run's place;
// a run that ends before the cache is written leaves the answer, saying so. Real DuckDB over
// generated logs, through the runner, the session, the view's store and the replay log.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRunbook } from '../../src/app/runbookRunner';
import { ReplayLog } from '../../src/extension/replayLog';
import { outcomeOf, RunSession, type FinishedCell } from '../../src/extension/runSession';
import type { HostMessage } from '../../src/protocol/results';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { generateTrail } from '../../src/testbed/loggen';
import { RunStore } from '../../src/webview/runStore';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const RUNBOOK =
  "# Cold\n\n```cloudtrail id=stopped\nSELECT eventTime, eventName, eventID FROM cloudtrail_logs WHERE eventName = 'ConsoleLogin'\n```\n";

const trail = (async () => {
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: 2_000, seed: 16 });
  return join(root, 'trail');
})();

async function runInSession(options: { stopWhenAnswered?: boolean } = {}) {
  const logs = await trail;
  const store = await openStore({ cacheDir: tempDir() });
  const runbook = parseRunbook(RUNBOOK, 'cold.md');
  const posted: HostMessage[] = [];
  const said: FinishedCell[] = [];
  const session = new RunSession(
    'file:///cold.md',
    'cold.md',
    runbook.cells,
    () => '7',
    (message) => posted.push(message),
    (_cell, finished) => said.push(finished),
  );
  const run = runRunbook(runbook, {
    store,
    source: new LocalLogsSource(store, logs, { answerFirst: true }),
    signal: session.controller.signal,
    onCellStart: (cell) => session.start(cell),
    onProgress: (cell, progress) => session.progress(cell, progress.message),
    onCell: (cellRun) => {
      session.finish(cellRun.cell, outcomeOf(cellRun));
      if (options.stopWhenAnswered) session.controller.abort();
    },
    onCellAmended: (cellRun) => session.amend(cellRun.cell, outcomeOf(cellRun)),
  });
  return { run, posted, said, session };
}

const finishedMessages = (posted: HostMessage[]) => posted.filter((m) => m.type === 'runFinished');

test('answered first: the answer is said at once, the cache write shows under it, then the whole scan’s notes take its place', async () => {
  const { run, posted, said } = await runInSession();
  const [stored] = await run;
  const [answer, amended] = finishedMessages(posted);
  assert.ok(answer && amended && finishedMessages(posted).length === 2, posted.map((m) => m.type).join(' '));
  assert.equal(answer.runId, '7');
  assert.equal(amended.runId, '7', 'the same run, said again');
  assert.match(itemAt(answer.notes, 0), /answered from the \d+ files? holding the values the cell requires/);
  assert.deepEqual(amended.notes, stored!.notes);
  assert.match(itemAt(amended.notes, 0), /parsed/);
  assert.equal(amended.summary, answer.summary, 'the answer’s count, time and finishing time stand');
  assert.equal(amended.rowCount, answer.rowCount);

  // Between the two: the cache write's progress, under the answered run.
  const between = posted.slice(posted.indexOf(answer) + 1, posted.indexOf(amended));
  assert.ok(
    between.length > 0 && between.every((m) => m.type === 'progress' && m.runId === '7' && /^writing the cache: read /.test(m.message)),
  );

  // After the block: the answer, then "writing the cache…" once, then the stored run.
  assert.deepEqual(
    said.map((s) => s.writingCache ?? false),
    [false, true, false],
  );
  assert.equal(said[0]!.cellRun?.answeredFirst, true);
  assert.equal(said[2]!.cellRun, stored, 'looks at its events read the stored run');
  assert.equal(said[2]!.summary, said[0]!.summary);

  // The view, live and replayed: the progress shows under the finished run until the amendment.
  const live = new RunStore();
  const replay = new ReplayLog();
  let progressShown = false;
  for (const message of posted) {
    replay.record(message);
    if (message.type === 'runStarted') live.start(message);
    if (message.type === 'runFinished') live.finish(message);
    if (message.type === 'progress') {
      live.progress(message);
      if (live.get('7')?.finished !== undefined) progressShown = live.get('7')?.progress !== undefined;
    }
  }
  assert.ok(progressShown, 'a finished run shows the cache write');
  assert.equal(live.get('7')?.progress, undefined, 'and not once it is written');
  assert.deepEqual(live.get('7')?.finished?.notes, stored!.notes);
  assert.deepEqual(
    [...replay.messages()].map((m) => m.type),
    ['runStarted', 'runFinished'],
    'a page loaded now gets the stored run only',
  );
});

test('a page loaded while the cache is written gets the answer, then the write’s latest progress', () => {
  const replay = new ReplayLog();
  replay.record({ type: 'runStarted', runId: '3', runbook: 'r.md', cellId: 'c', line: 1, context: { source: 'local' }, startedAt: 1 });
  replay.record({ type: 'progress', runId: '3', message: 'answering from the logs: read 1/2 files', elapsedMs: 5 });
  const answer: HostMessage = {
    type: 'runFinished',
    runId: '3',
    status: 'ok',
    rowCount: 0,
    truncated: false,
    elapsedMs: 9,
    notes: ['answered'],
    problems: [],
    summary: '✓ 0 rows',
  };
  replay.record(answer);
  replay.record({ type: 'progress', runId: '3', message: 'writing the cache: read 1/2 files', elapsedMs: 12 });
  const replayed = [...replay.messages()];
  assert.deepEqual(
    replayed.map((m) => (m.type === 'progress' ? `progress: ${m.message}` : m.type)),
    ['runStarted', 'runFinished', 'progress: writing the cache: read 1/2 files'],
  );
});

test('a run stopped while the cache is written: the answer stays, saying the cache was not written and why', async () => {
  const { run, posted, said, session } = await runInSession({ stopWhenAnswered: true });
  await assert.rejects(run);
  session.cacheNotWritten('the run was cancelled');
  const [answer, again] = finishedMessages(posted);
  assert.ok(answer && again);
  assert.equal(again.status, answer.status);
  assert.equal(again.rowCount, answer.rowCount);
  assert.deepEqual(again.notes.slice(0, -1), answer.notes);
  assert.match(
    again.notes.at(-1) ?? '',
    /^the cache of these logs was not written in full \(the run was cancelled\): the next run reads the rest again, and this result's whole events cannot be shown$/,
  );
  assert.equal(said.at(-1)?.writingCache, undefined, 'the summary no longer says the cache is being written');
  session.cacheNotWritten('again');
  assert.equal(finishedMessages(posted).length, 2, 'said once');
});
