// One measured run in a fresh process, as the CLI would do it: open the store, scan the
// trail (parsing or from the cache), run one query. Prints one JSON line of figures.
import { EventStore } from '../src/engine/eventStore';
import { runQuery } from '../src/engine/query';
import { ALL_TIME } from '../src/engine/timeWindow';
import { LocalLogsSource } from '../src/sources/local/localLogs';

async function main(): Promise<void> {
  const [logs, cacheDir, sql] = process.argv.slice(2);
  if (!logs || !cacheDir || !sql) throw new Error('usage: scanOnce LOGS CACHE_FILE SQL');
  const started = performance.now();
  const store = await EventStore.open({ cacheDir });
  const source = new LocalLogsSource(store, logs);
  const prepared = await source.prepare(ALL_TIME, sql, {});
  const scanned = performance.now();
  const result = await runQuery(store, prepared.scope, sql);
  const finished = performance.now();
  store.close();
  process.stdout.write(
    `${JSON.stringify({
      totalMs: finished - started,
      scanMs: scanned - started,
      queryMs: finished - scanned,
      rows: result.rows.length,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      notes: prepared.notes,
      problems: prepared.problems.length,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
