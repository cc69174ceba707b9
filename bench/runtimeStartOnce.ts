// The editor's first run on local logs in a fresh process, as the extension host does it on
// the first ▶ Run: require out/runtime.js, createRuntime, run one cell on a folder of logs
// whose cache is warm; then the first lint. Prints one JSON line. runtimeStart.ts bundles it
// and runs it many times.
//   runtimeStartOnce RUNTIME_JS LOGS_DIR CACHE_DIR WINDOW
import { dirname, relative } from 'node:path';
import type { Runtime, RuntimeRunRequest } from '../src/extension/runtime';

export interface RuntimeStart {
  /** require(out/runtime.js): reading, compiling and evaluating it. */
  readonly requireMs: number;
  /** From createRuntime to the cell's result: DuckDB, the store, the query. */
  readonly firstRunMs: number;
  /** The first lint after it: the SQL checker's own DuckDB, the cell checked. */
  readonly firstLintMs: number;
  readonly rows: number;
  /** The files beside out/runtime.js that the run and the lint loaded (out/packages/duckdb.js …). */
  readonly loaded: readonly string[];
}

const RUNBOOK = `# First run

\`\`\`cloudtrail id=by-event
SELECT eventName, count(*) AS events FROM cloudtrail_logs GROUP BY eventName ORDER BY events DESC, eventName
\`\`\`
`;

async function main(): Promise<void> {
  const [bundle, logsPath, cacheDir, window] = process.argv.slice(2);
  if (!bundle || !logsPath || !cacheDir || !window) throw new Error('usage: runtimeStartOnce RUNTIME_JS LOGS_DIR CACHE_DIR WINDOW');
  const started = performance.now();
  const { createRuntime } = require(bundle) as { createRuntime: (options: { cacheDir: string }) => Runtime };
  const required = performance.now();
  const runtime = createRuntime({ cacheDir });
  let rows = 0;
  const request: RuntimeRunRequest = {
    runbookText: RUNBOOK,
    runbookPath: 'first-run.md',
    cellIds: [],
    targets: {
      preferred: 'local',
      local: { kind: 'local', logsPath },
      lookup: { kind: 'lookup', regions: ['us-east-1'] },
      defaultWindow: window,
    },
    params: {},
    limit: 1000,
    signal: new AbortController().signal,
    onCellStart: () => undefined,
    onProgress: () => undefined,
    onRows: (_cell, chunk) => (rows += chunk.length),
    onRowsReset: () => (rows = 0),
    onCell: () => undefined,
    onCellAmended: () => undefined,
  };
  const [run] = await runtime.run(request);
  if (run?.status !== 'ok') throw new Error(`the cell did not run: ${JSON.stringify(run?.error ?? run?.status)}`);
  const ran = performance.now();
  const problems = await runtime.lint(RUNBOOK, 'first-run.md');
  if (problems.length > 0) throw new Error(`the runbook has problems: ${problems.map((p) => p.message).join('; ')}`);
  const linted = performance.now();
  const folder = dirname(bundle);
  const loaded = Object.keys(require.cache)
    .filter((path) => path !== bundle && path.startsWith(`${folder}/`) && !path.includes('/node_modules/'))
    .map((path) => relative(folder, path));
  const figures: RuntimeStart = {
    requireMs: required - started,
    firstRunMs: ran - required,
    firstLintMs: linted - ran,
    rows,
    loaded,
  };
  console.log(JSON.stringify(figures));
  runtime.dispose();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
