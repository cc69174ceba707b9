// `npm run bench:athena -- --trino`: the same runbooks on Trino and on DuckDB over the same
// million generated events (issue 11: "print both; a ratio, not a goal"). Opt-in, and not in
// CI: it needs Java 25 and Trino 476 (scripts/trino-setup.sh installs and caches them) and
// a minute of both cores.
//   - The trail is `npm run bench`'s (bench/benchTrail.ts), generated once.
//   - Trino is started and loaded as the conformance suite does it (test/engines/support:
//     the events leave DuckDB's own view as Parquet, Trino writes the day-partitioned
//     `cloudtrail_logs` from them), once a run.
//   - Each runbook runs with the real runner through SourcePool, the seam both faces use:
//     local logs with a warm cache (a first run fills it), and `source: trino`. Each side
//     runs twice; the second run is the figure (the first is printed too: Trino's JVM and
//     DuckDB's cache both warm up on it).
// Rows are compared as multisets (order-insensitive), as the conformance suite does.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runRunbook, type CellRun } from '../src/app/runbookRunner';
import { SourcePool, type RunTarget } from '../src/app/openSource';
import { parseRunbook } from '../src/runbook/parse';
import { TrinoClient } from '../src/sources/trino/client';
import { MANIFEST_FILE } from '../src/testbed/loggen';
import { organisationParams } from '../src/testbed/loggen/orgParams';
import { difference } from '../test/engines/support/compare';
import { exportParquet } from '../test/engines/support/events';
import { CATALOG, SCHEMA, createTables } from '../test/engines/support/trinoTable';
import { freePort, installAndConfigure, startTrino, type RunningTrino } from '../test/engines/support/trinoServer';
import { benchRoot, ensureBenchTrail } from './benchTrail';
import { columnWidths, oneMinuteLoad } from './figures';
import { firstLine } from '../src/protocol/firstLine';

const EVENTS = 1_000_000;
/**
 * The trail's attacks are StopLogging and an AccessDenied enumeration: tampering and
 * access-denied find them, iam-policy-changes reads the background's policy edits, and
 * root-account-activity finds nothing here (empty results must agree too).
 */
const RUNBOOKS = ['cloudtrail-tampering.md', 'access-denied.md', 'root-account-activity.md', 'iam-policy-changes.md'];
const RUNBOOK_DIR = resolve(__dirname, '../runbooks');
const LIMIT = 1_000_000;
/** Small enough for the test server's 512 MB a query (see exportParquet). */
const ROW_GROUP = 20_000;

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const say = (text: string): void => void process.stdout.write(`trino-vs-duckdb: ${text}\n`);
const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;
const seconds = (value: number): string => `${(value / 1000).toFixed(1)} s`;

interface SideRun {
  readonly runs: CellRun[];
  readonly totalMs: number;
}

/** The whole trail's days: the runbooks' own relative windows would miss a trail of 2025. */
function trailWindow(trail: string): string {
  const manifest = JSON.parse(readFileSync(join(trail, MANIFEST_FILE), 'utf8')) as { start: string; end: string };
  return `${manifest.start}/${manifest.end}`;
}

/**
 * The events as Parquet, exported once per trail and kept beside it: the export is a cold
 * scan of the million events (the figure compares queries, not that).
 */
async function parquetOf(trail: string): Promise<string> {
  const file = join(benchRoot(EVENTS), `trino-events-${EVENTS}-rg${ROW_GROUP}.parquet`);
  const manifest = join(trail, MANIFEST_FILE);
  if (existsSync(file) && statSync(file).mtimeMs > statSync(manifest).mtimeMs) return file;
  const started = Date.now();
  const partial = `${file}.partial`;
  const count = await exportParquet(trail, partial, ROW_GROUP);
  if (count !== EVENTS) throw new Error(`the Parquet export of ${trail} holds ${count} events, the trail ${EVENTS}`);
  // Renamed only when whole, so a run stopped mid-export never leaves a short file behind.
  renameSync(partial, file);
  say(`${count.toLocaleString('en-US')} events exported to Parquet in ${seconds(Date.now() - started)} (kept: ${file})`);
  return file;
}

async function runSide(pool: SourcePool, target: RunTarget, file: string, window: string): Promise<SideRun> {
  const runbook = parseRunbook(readFileSync(join(RUNBOOK_DIR, file), 'utf8'), file);
  const { source, store } = await pool.open(target);
  const started = performance.now();
  const runs = await runRunbook(runbook, { store, source, window, params: organisationParams(), limit: LIMIT });
  return { runs, totalMs: performance.now() - started };
}

/** Equal rows (order-insensitive), or why not; a cell that did not run on both is not "equal". */
function verdict(duck: CellRun, trino: CellRun): string {
  if (duck.status === 'error' || duck.status === 'skipped' || duck.status === 'unconfigured')
    return `DuckDB ${duck.status}: ${duck.error?.message ?? ''}`;
  if (trino.status === 'error' || trino.status === 'skipped' || trino.status === 'unconfigured')
    return `Trino ${trino.status}: ${trino.error?.message ?? ''}`;
  const why = difference({ columns: duck.columns, rows: duck.rows }, { columns: trino.columns, rows: trino.rows }, undefined);
  return why === undefined ? 'equal' : `DIFFERENT: ${why}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(rows);
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

export async function trinoVersusDuckdb(): Promise<number> {
  const trail = await ensureBenchTrail(EVENTS);
  const window = trailWindow(trail);
  const work = mkdtempSync(join(tmpdir(), 'trailbook-bench-trino-'));
  const pool = new SourcePool(benchRoot(EVENTS));
  let server: RunningTrino | undefined;
  let differences = 0;
  const details: string[] = [];
  try {
    const port = await freePort();
    const install = installAndConfigure(work, port);
    say(`Trino ${install.version} installed/checked in ${seconds(install.ms)}; load ${load()}`);
    const staging = join(work, 'data', 'warehouse', 'staging');
    mkdirSync(staging, { recursive: true });
    // The server takes ~25 s to start: the Parquet export (first run only) meanwhile.
    const [running, parquet] = await Promise.allSettled([startTrino(work, port, install), parquetOf(trail)]);
    if (running.status === 'fulfilled') server = running.value;
    if (running.status === 'rejected') throw running.reason;
    if (parquet.status === 'rejected') throw parquet.reason;
    copyFileSync(parquet.value, join(staging, 'events.parquet'));
    say(`Trino started on ${server!.url} in ${seconds(server!.startupMs)}; load ${load()}`);

    const loadStarted = Date.now();
    const loaded = await createTables(new TrinoClient({ server: server!.url, user: 'trailbook-bench' }), 'staging');
    if (loaded !== EVENTS) throw new Error(`Trino's table holds ${loaded} events, the trail ${EVENTS}`);
    say(
      `${loaded.toLocaleString('en-US')} events loaded into Trino's day-partitioned ${CATALOG}.${SCHEMA}.cloudtrail_logs in ${seconds(Date.now() - loadStarted)}; load ${load()}`,
    );

    const local: RunTarget = { kind: 'local', logsPath: trail };
    const trino: RunTarget = { kind: 'trino', server: server!.url, user: 'trailbook-bench', table: `${CATALOG}.${SCHEMA}.cloudtrail_logs` };
    const rows: string[][] = [['cell', 'DuckDB', 'Trino', 'Trino/DuckDB', 'rows DuckDB/Trino', 'load', 'rows equal']];
    let duckTotal = 0;
    let trinoTotal = 0;
    for (const file of RUNBOOKS) {
      const duckFirst = await runSide(pool, local, file, window);
      const duck = await runSide(pool, local, file, window);
      const trinoFirst = await runSide(pool, trino, file, window);
      const onTrino = await runSide(pool, trino, file, window);
      say(
        `${file}: first runs DuckDB ${ms(duckFirst.totalMs)}, Trino ${ms(trinoFirst.totalMs)}; ` +
          `measured runs DuckDB ${ms(duck.totalMs)}, Trino ${ms(onTrino.totalMs)}; load ${load()}`,
      );
      duckTotal += duck.totalMs;
      trinoTotal += onTrino.totalMs;
      for (const [i, d] of duck.runs.entries()) {
        const t = onTrino.runs[i];
        if (t === undefined) {
          differences += 1;
          details.push(`${file} ${d.cell.id}: did not run on Trino`);
          continue;
        }
        const equal = verdict(d, t);
        if (equal !== 'equal') {
          differences += 1;
          details.push(`${file} ${d.cell.id}: ${equal}`);
        }
        rows.push([
          `${file.replace(/\.md$/, '')} ${d.cell.id}`,
          ms(d.elapsedMs),
          ms(t.elapsedMs),
          d.elapsedMs > 0 ? `${(t.elapsedMs / d.elapsedMs).toFixed(1)}×` : '-',
          `${d.rows.length}/${t.rows.length}`,
          oneMinuteLoad(),
          firstLine(equal),
        ]);
      }
    }
    rows.push([
      'total (the runbooks, end to end)',
      ms(duckTotal),
      ms(trinoTotal),
      `${(trinoTotal / duckTotal).toFixed(1)}×`,
      '',
      oneMinuteLoad(),
      differences === 0 ? 'all equal' : `${differences} differ`,
    ]);
    process.stdout.write(`\n${table(rows)}\n\n`);
    for (const detail of details) say(detail);
    say(
      `${EVENTS.toLocaleString('en-US')} events, window ${window}; DuckDB over local logs with a warm cache, Trino ${install.version} one node on loopback; load average ${load()} on ${availableParallelism()} cores (shared)`,
    );
    return differences === 0 ? 0 : 1;
  } finally {
    await pool.close();
    if (server) await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
