// `npm run test:engines`: the cross-engine conformance suite on a real Trino.
//   1. scripts/trino-setup.sh installs Trino (once per machine, cached) and configures one
//      loopback node on a free port in a temporary folder; the server starts while
//   2. the test events (Stratus + a generated trail) are written as local logs and exported
//      from the engine's view to Parquet, then loaded into Trino's Hive catalog;
//   3. node's test runner runs test/engines/*.test.ts against both engines;
//   4. Trino is stopped, and the figures and every difference are printed, ending with
//      `engines: N passed, N failed`.
// Extra arguments filter the test files by path, like scripts/run-tests.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CheckReport } from './support/env';
import { exportParquet, writeLogs } from './support/events';
import { createTables } from './support/trinoTable';
import { freePort, installAndConfigure, startTrino, type RunningTrino } from './support/trinoServer';
import { TrinoClient } from '../../src/sources/trino/client';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const say = (text: string): void => void process.stdout.write(`engines: ${text}\n`);

async function main(): Promise<number> {
  const suiteStarted = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'trailbook-engines-'));
  const reportDir = join(work, 'report');
  mkdirSync(reportDir);
  let server: RunningTrino | undefined;
  let keepWork = false;
  try {
    const port = await freePort();
    const install = installAndConfigure(work, port);
    say(`Trino ${install.version} installed/checked in ${seconds(install.ms)}`);
    const staging = join(work, 'data', 'warehouse', 'staging');
    mkdirSync(staging, { recursive: true });
    // The server takes ~25 s to start: the events are prepared meanwhile.
    const events = (async () => {
      const started = Date.now();
      const logs = await writeLogs(work);
      const count = await exportParquet(logs, join(staging, 'events.parquet'));
      return { logs, count, ms: Date.now() - started };
    })();
    const [running, prepared] = await Promise.allSettled([startTrino(work, port, install), events]);
    if (running.status === 'fulfilled') server = running.value;
    if (running.status === 'rejected') throw running.reason;
    if (prepared.status === 'rejected') throw prepared.reason;
    say(
      `Trino started on ${server!.url} in ${seconds(server!.startupMs)}; ${prepared.value.count} events prepared in ${seconds(prepared.value.ms)}`,
    );

    const loadStarted = Date.now();
    const loaded = await createTables(new TrinoClient({ server: server!.url, user: 'trailbook-conformance' }), 'staging');
    if (loaded !== prepared.value.count) throw new Error(`Trino's table holds ${loaded} events, the export ${prepared.value.count}`);
    say(`${loaded} events loaded into Trino in ${seconds(Date.now() - loadStarted)}`);

    const filters = process.argv.slice(2);
    const here = resolve(__dirname);
    const files = readdirSync(here)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(here, f))
      .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
      .sort();
    if (files.length === 0) throw new Error(`no test file in test/engines matches ${filters.join(' ')}`);
    const testsStarted = Date.now();
    // One file at a time: Trino needs the second core more than the test runner does.
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
      stdio: 'inherit',
      env: {
        ...process.env,
        TRAILBOOK_TRINO_URL: server!.url,
        TRAILBOOK_ENGINES_LOGS: prepared.value.logs,
        TRAILBOOK_ENGINES_REPORT: reportDir,
        TRAILBOOK_ENGINES_WORK: work,
      },
    });
    const testsMs = Date.now() - testsStarted;

    const checks: CheckReport[] = readdirSync(reportDir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(reportDir, f), 'utf8').trim().split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as CheckReport);
    const failures = checks.filter((c) => !c.ok);
    const passed = checks.length - failures.length;
    process.stdout.write('\n');
    if (failures.length > 0) {
      say(`${failures.length} difference(s) between DuckDB and Trino:`);
      for (const f of failures) process.stdout.write(`\n✗ [${f.suite}] ${f.name}\n  ${f.detail ?? ''}\n`);
      process.stdout.write('\n');
    }
    const cells = checks.filter((c) => c.suite === 'runbooks');
    const withRows = cells.filter((c) => (c.rows ?? 0) > 0).length;
    if (cells.length > 0)
      say(`${withRows} of ${cells.length} runbook cell runs returned rows on DuckDB (the others compare empty results)`);
    say(`tests ran in ${seconds(testsMs)}; the whole suite took ${seconds(Date.now() - suiteStarted)}`);
    if (result.status !== 0 && failures.length === 0) {
      say(`the test runner exited with ${result.status ?? result.signal} without reporting a difference: see its output above`);
      process.stdout.write(`${passed} passed, ${Math.max(1, failures.length)} failed\n`);
      return 1;
    }
    process.stdout.write(`${passed} passed, ${failures.length} failed\n`);
    return failures.length === 0 && checks.length > 0 ? 0 : 1;
  } catch (error) {
    keepWork = true;
    process.stderr.write(`engines: ${(error as Error).message}\n`);
    process.stderr.write(`engines: the work folder ${work} is kept (server.log, etc/, data/)\n`);
    return 1;
  } finally {
    if (server) {
      const stopping = Date.now();
      await server.stop();
      say(`Trino stopped in ${seconds(Date.now() - stopping)}`);
    }
    if (!keepWork && existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
