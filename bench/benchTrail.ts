// The generated trail `npm run bench` scans, shared with `npm run bench:athena -- --trino`
// so both figures are over the same events: generated once (seed 2024, two attacks), kept
// under bench/.data (or outside the repository when larger than a million events).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
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

/**
 * Events a file in the small-file trail. The generated trail has about 123 a file, as a busy
 * account's region delivers them; an organisation's trail is mostly quiet regions, whose
 * files (one every 5 minutes) hold a few events each, and a scan's costs per file weigh there.
 */
export const SMALL_FILE_EVENTS = 7;

export const smallFileTrailDir = (events: number): string => `${benchTrailDir(events)}-small-files`;

/**
 * The bench trail's events again, each file split into files of SMALL_FILE_EVENTS (same
 * folders, CloudTrail's names with a suffix): made once from the generated trail, the
 * manifest written last so that an interrupted split is made again.
 */
export async function ensureSmallFileTrail(events: number): Promise<string> {
  const trail = smallFileTrailDir(events);
  const manifest = join(trail, MANIFEST_FILE);
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).events === events) return trail;
  const source = await ensureBenchTrail(events);
  rmSync(trail, { recursive: true, force: true });
  process.stderr.write(`splitting the trail into files of ${SMALL_FILE_EVENTS} events in ${trail} (once; kept for later runs)…\n`);
  const started = Date.now();
  let files = 0;
  for (const name of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.json.gz')) continue;
    const records = (JSON.parse(gunzipSync(readFileSync(join(source, name))).toString('utf8')) as { Records: unknown[] }).Records;
    const folder = join(trail, dirname(name));
    mkdirSync(folder, { recursive: true });
    for (let at = 0; at < records.length; at += SMALL_FILE_EVENTS, files += 1) {
      const part = String(at / SMALL_FILE_EVENTS).padStart(3, '0');
      const text = JSON.stringify({ Records: records.slice(at, at + SMALL_FILE_EVENTS) });
      writeFileSync(join(folder, `${basename(name, '.json.gz')}${part}.json.gz`), gzipSync(text));
    }
  }
  writeFileSync(manifest, JSON.stringify({ events, eventsPerFile: SMALL_FILE_EVENTS, files, from: relative(trail, source) }));
  process.stderr.write(`split into ${files.toLocaleString('en-US')} files in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return trail;
}
