// One measured run in a fresh process, as `trailbook run` does it: open the store, scan the
// trail (parsing or from the cache), run one query; on a cold scan answered first, write the
// cache after the answer, as the CLI does while the result prints. Prints one JSON line.
// localScan.ts bundles it as the CLI is bundled, and times are from the process's start
// (performance's time origin), so Node's start and loading the bundle count, as they do
// for someone typing `trailbook run`.
// `answer-only` answers first and leaves the cache unwritten (the bench times the answer alone).
// Then the cell runs once more in the same process, as a new run (`againMs`): the editor's
// extension host runs a responder's next cell so, with Node, the code and DuckDB loaded.
//   scanOnce LOGS CACHE SQL [answer-first|scan-first|answer-only]
import { EventStore } from '../src/engine/eventStore';
import { runQuery } from '../src/engine/query';
import { ALL_TIME } from '../src/engine/timeWindow';
import { LocalLogsSource } from '../src/sources/local/localLogs';

async function main(): Promise<void> {
  const [logs, cacheDir, sql, mode = 'answer-first'] = process.argv.slice(2);
  if (!logs || !cacheDir || !sql) throw new Error('usage: scanOnce LOGS CACHE SQL [answer-first|scan-first|answer-only]');
  const store = await EventStore.open({ cacheDir });
  const source = new LocalLogsSource(store, logs, { answerFirst: mode !== 'scan-first' });
  const prepared = await source.prepare(ALL_TIME, sql, { lastOnSource: true });
  const scanned = performance.now();
  const result = await runQuery(store, prepared.scope, sql);
  const answered = performance.now();
  const stored = prepared.writeCache && mode !== 'answer-only' ? await prepared.writeCache() : prepared;
  const finished = performance.now();
  const again = new LocalLogsSource(store, logs, { answerFirst: mode !== 'scan-first' });
  await runQuery(store, (await again.prepare(ALL_TIME, sql, { lastOnSource: true })).scope, sql);
  const againMs = performance.now() - finished;
  store.close();
  process.stdout.write(
    `${JSON.stringify({
      answeredFirst: prepared.writeCache !== undefined,
      answerMs: answered,
      totalMs: finished,
      scanMs: scanned,
      queryMs: answered - scanned,
      againMs,
      rows: result.rows.length,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      notes: stored.notes,
      answerNotes: prepared.notes,
      problems: stored.problems.length,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
