// The generated trail `npm run bench` scans, shared with `npm run bench:athena -- --trino`
// so both figures are over the same events: generated once (seed 2024, two attacks), kept
// under bench/.data (or outside the repository when larger than a million events).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTrail, MANIFEST_FILE } from '../src/testbed/loggen';

/** Where the trail of `events` events and its caches live. */
export function benchRoot(events: number): string {
  return events > 1_000_000
    ? resolve(process.env.TRAILBOOK_BENCH_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'trailbook-bench'))
    : resolve(__dirname, '.data');
}

export const benchTrailDir = (events: number): string => join(benchRoot(events), `trail-${events}`);

/** Generates the trail unless a trail of that size is already there; returns its folder. */
export async function ensureBenchTrail(events: number): Promise<string> {
  const trail = benchTrailDir(events);
  const manifest = join(trail, MANIFEST_FILE);
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).events === events) return trail;
  rmSync(trail, { recursive: true, force: true });
  mkdirSync(benchRoot(events), { recursive: true });
  process.stderr.write(`generating ${events.toLocaleString('en-US')} events in ${trail} (once; kept for later runs)…\n`);
  const started = Date.now();
  await generateTrail({ outDir: trail, events, seed: 2024, attacks: ['stop-logging', 'access-denied-enumeration'] });
  process.stderr.write(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return trail;
}
