// `npm run bench:alarms`: the alarm rate of the bundled detections on ordinary work. A clean
// trail of 1,000,000 generated events (the generator's background, no attack; generated once
// and kept in bench/.data like the scan benchmark's) is read once, and every detection cell
// (expect=empty, not the verify-* cells, which check a response) runs over it with the
// generated organisation's parameters. Prints the rows each returns: figures, not a verdict;
// docs/runbook-library.md keeps them.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runRunbook } from '../src/app/runbookRunner';
import { EventStore } from '../src/engine/eventStore';
import { parseRunbook } from '../src/runbook/parse';
import { LocalLogsSource } from '../src/sources/local/localLogs';
import { generateTrail, MANIFEST_FILE, readManifest } from '../src/testbed/loggen';
import { organisationParams } from '../src/testbed/loggen/orgParams';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROOT = resolve(__dirname, '.data');
const TRAIL = join(ROOT, `clean-trail-${EVENTS}`);
const CACHE = join(ROOT, 'alarms-cache');
const RUNBOOKS = resolve(__dirname, '../runbooks');

async function ensureTrail(): Promise<void> {
  const manifest = join(TRAIL, MANIFEST_FILE);
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).events === EVENTS) return;
  rmSync(TRAIL, { recursive: true, force: true });
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  process.stderr.write(`generating a clean trail of ${EVENTS.toLocaleString('en-US')} events in ${TRAIL} (once; kept for later runs)…\n`);
  const started = Date.now();
  await generateTrail({ outDir: TRAIL, events: EVENTS, seed: 2026, attacks: [] });
  process.stderr.write(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  await ensureTrail();
  const manifest = (await readManifest(TRAIL))!;
  const window = `${manifest.start}/${manifest.end}`;
  const store = await EventStore.open({ cacheDir: CACHE });
  const source = new LocalLogsSource(store, TRAIL);
  const params = organisationParams();
  const figures: Array<{ cell: string; rows: number | string; ms: number }> = [];
  try {
    for (const file of readdirSync(RUNBOOKS)
      .filter((f) => f.endsWith('.md'))
      .sort()) {
      const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
      const detections = runbook.cells.filter((c) => c.expect === 'empty' && !c.id.startsWith('verify-'));
      for (const cell of detections) {
        const started = Date.now();
        const runs = await runRunbook(runbook, { store, source, window, params, cellIds: [cell.id] });
        const run = runs.find((r) => r.cell.id === cell.id)!;
        const rows = run.status === 'ok' || run.status === 'finding' ? run.rows.length : `${run.status}: ${run.error?.message ?? ''}`;
        figures.push({ cell: `${file} ${cell.id}`, rows, ms: Date.now() - started });
        process.stderr.write(`${file} ${cell.id}: ${rows}\n`);
      }
    }
  } finally {
    store.close();
  }
  process.stdout.write(
    `Alarm rate on a clean generated trail: ${manifest.events.toLocaleString('en-US')} events, ${manifest.days} days from ${manifest.start}, seed ${manifest.seed}, no attack\n\n`,
  );
  process.stdout.write('| detection | rows on the clean trail | time |\n|---|---:|---:|\n');
  for (const f of figures) process.stdout.write(`| ${f.cell} | ${f.rows} | ${(f.ms / 1000).toFixed(1)} s |\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
