// The editor's first run or lint on local logs must not evaluate the AWS SDK nor Trino's
// client: out/runtime.js is required on the first ▶ Run, and compiling and evaluating the SDK
// there cost every first run, whatever its source. src/extension/runtime.ts requires the
// account check's session when a response action asks for it, src/app/openSource.ts each
// remote source when a target needs it, and scripts/build.mjs puts the SDK in a file of its
// own (out/packages/awsSdk.js, shared with the CLI). What the first run then costs is
// measured in docs/local-logs.md (CLI start) by `npm run bench:runtime`.
// Nor the sample-trail generator (src/testbed/loggen, some 60 modules): only "Open the sample
// investigation" needs it, and Runtime.sampleTrail requires it then.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stratusDir } from '../support/datasets';
import { evaluatedAtLoad, importGraph, REMOTE_CLIENTS } from '../support/importGraph';
import { tempDir } from '../support/tempDir';

const ROOT = resolve(__dirname, '../..');
const ENTRY = 'src/extension/runtime.ts';
/** The sample trail's generator and the sample organisation's parameters. */
const SAMPLE_TRAIL = /^src\/testbed\//;

test("loading the editor's runtime evaluates neither the AWS SDK, nor the remote sources, nor Trino's client, nor the sample-trail generator", async () => {
  const metafile = await importGraph(ENTRY);
  const inBundle = Object.keys(metafile.inputs);
  // The runtime reaches them (LookupEvents, Athena and Trino runs, the account check), so an empty list would mean the check saw nothing.
  assert.ok(
    REMOTE_CLIENTS.every((remote) => inBundle.some((path) => remote.test(path))),
    'expected the AWS SDK, the remote sources and their clients among the inputs of the runtime',
  );
  const atLoad = [...evaluatedAtLoad(metafile, ENTRY)];
  assert.deepEqual(
    atLoad.filter((path) => REMOTE_CLIENTS.some((remote) => remote.test(path))),
    [],
    "these are evaluated when the editor's runtime loads, whatever the run's source: require them where a remote target needs them (see src/app/openSource.ts, Runtime.awsAccount)",
  );
  assert.ok(
    inBundle.some((path) => path === 'src/testbed/loggen/generate.ts'),
    'expected the sample-trail generator among the inputs of the runtime',
  );
  assert.deepEqual(
    atLoad.filter((path) => SAMPLE_TRAIL.test(path)),
    [],
    "the sample-trail generator is evaluated when the editor's runtime loads: require it in Runtime.sampleTrail, which alone needs it",
  );
  // The local source and DuckDB's store are what a run on local logs needs, and are loaded with it.
  assert.ok(atLoad.includes('src/sources/local/localLogs.ts'));
  assert.ok(atLoad.includes('src/engine/eventStore.ts'));
});

// What load time cannot show: a require() on the way of a local run. A fresh process runs a
// cell on the Stratus Red Team logs and lints the runbook, then lists what it loaded; then asks
// for the sample trail (generated here, ~1.5 s) and lists what it loaded again.
const FIRST_RUN = `
const [root, logsPath, cacheDir] = process.argv.slice(1);
const { createRuntime } = require(root + '/src/extension/runtime.ts');
const runbook = '# First run\\n\\n\`\`\`cloudtrail id=names\\nSELECT DISTINCT eventName FROM cloudtrail_logs ORDER BY eventName\\n\`\`\`\\n';
(async () => {
  const runtime = createRuntime({ cacheDir });
  const runs = await runtime.run({
    runbookText: runbook, runbookPath: 'first-run.md', cellIds: [], params: {}, limit: 1000,
    targets: { preferred: 'local', local: { kind: 'local', logsPath }, lookup: { kind: 'lookup', regions: ['us-east-1'] }, defaultWindow: '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z' },
    signal: new AbortController().signal,
    onCellStart() {}, onProgress() {}, onRows() {}, onRowsReset() {}, onCell() {}, onCellAmended() {},
  });
  const problems = await runtime.lint(runbook, 'first-run.md');
  const loaded = Object.keys(require.cache);
  const sample = await runtime.sampleTrail(() => {});
  runtime.dispose();
  console.log(JSON.stringify({
    runs: runs.map((r) => [r.status, r.rows.length]), problems: problems.length, loaded,
    sample: { window: sample.window, params: Object.keys(sample.params).length, files: require('node:fs').readdirSync(sample.logsPath).length },
    loadedForSample: Object.keys(require.cache).filter((path) => !loaded.includes(path)),
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

test('a first run and lint on local logs load no module of the AWS SDK, the remote clients or the sample-trail generator; the sample trail loads the generator', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', FIRST_RUN, ROOT, stratusDir(), join(tempDir(), 'cache')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const { runs, problems, loaded, sample, loadedForSample } = JSON.parse(child.stdout) as {
    runs: [string, number][];
    problems: number;
    loaded: string[];
    sample: { window: string; params: number; files: number };
    loadedForSample: string[];
  };
  // The cell ran on the logs (the Stratus detonations hold dozens of event names) and the lint found nothing.
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.[0], 'ok');
  assert.ok((runs[0]?.[1] ?? 0) > 10, `expected the Stratus logs' event names, got ${runs[0]?.[1]} rows`);
  assert.equal(problems, 0);
  const paths = loaded.map((path) => path.slice(ROOT.length + 1));
  // DuckDB's API was loaded (the run happened in this process), the SDK and the remote clients were not.
  assert.ok(
    paths.some((path) => path.startsWith('node_modules/@duckdb/')),
    'expected DuckDB among the loaded modules',
  );
  assert.deepEqual(
    paths.filter((path) => REMOTE_CLIENTS.some((remote) => remote.test(path))),
    [],
    'a run or a lint on local logs required these: require them only where a remote target or the account check needs them',
  );
  assert.deepEqual(
    paths.filter((path) => SAMPLE_TRAIL.test(path)),
    [],
    'a run or a lint on local logs required the sample-trail generator: require it only in Runtime.sampleTrail',
  );
  // Asked for, the sample trail was generated (a folder of logs, its window, the organisation's answers) by the generator loaded then.
  assert.match(sample.window, /^\d{4}-\d\d-\d\dT.*\/\d{4}-/);
  assert.ok(sample.params > 0, 'expected the sample organisation to answer the environment parameters');
  assert.ok(sample.files > 0, 'expected the sample trail folder to hold the generated logs');
  const forSample = loadedForSample.map((path) => path.slice(ROOT.length + 1));
  assert.ok(
    forSample.includes('src/testbed/loggen/generate.ts'),
    `expected the generator loaded for the sample trail, got ${forSample.join(', ')}`,
  );
  assert.ok(forSample.includes('src/testbed/loggen/orgParams.ts'));
});
