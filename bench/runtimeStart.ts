// `npm run bench:runtime`: what the editor's first ▶ Run on local logs costs the extension
// host, without an editor. Builds out/runtime.js as the VSIX has it, then, in many fresh Node
// processes (bench/runtimeStartOnce.ts), requires it and runs one cell on the Stratus Red Team
// logs (test/fixtures) with a warm cache, then lints; prints the median and max of each step.
//   --runs N (default 10)
//   --runtime PATH (repeatable): these bundles instead of building one, runs alternated
//     between them, so an A/B under the same load compares like with like. A bundle finds
//     its workers and the files it loads on first use beside it, and DuckDB in the
//     node_modules above it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { stratusDir } from '../test/support/datasets';
import { alternated, median, textTable as table } from './figures';
import type { RuntimeStart } from './runtimeStartOnce';

const ROOT = join(__dirname, '..');
// Not in out/: the package takes every bundle there into the VSIX.
const ONCE = join(ROOT, 'bench', '.data', 'runtimeStartOnce.js');
const WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';

function option(name: string): string[] {
  return process.argv.flatMap((arg, i) => (arg === name && process.argv[i + 1] !== undefined ? [process.argv[i + 1] as string] : []));
}

async function buildBenchFiles(bundles: readonly string[]): Promise<void> {
  if (bundles.length === 0)
    execFileSync(
      process.execPath,
      [join(ROOT, 'scripts', 'build.mjs'), 'runtime', 'ingestWorker', 'searchThread', 'markdownIt', 'yaml', 'shellParser'],
      {
        stdio: 'inherit',
      },
    );
  await build({
    entryPoints: [join(__dirname, 'runtimeStartOnce.ts')],
    outfile: ONCE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
}

function startOnce(bundle: string, cacheDir: string): RuntimeStart {
  const run = spawnSync(process.execPath, [ONCE, bundle, stratusDir(), cacheDir, WINDOW], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0)
    throw new Error(`the first run with ${bundle} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as RuntimeStart;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

const MEASURES: readonly (readonly [string, (run: RuntimeStart) => number])[] = [
  ['require(runtime.js) (read, compile, evaluate)', (r) => r.requireMs],
  ["first run (createRuntime to the cell's rows, warm cache)", (r) => r.firstRunMs],
  ['require + first run', (r) => r.requireMs + r.firstRunMs],
  ['first lint after it', (r) => r.firstLintMs],
];

function report(bundle: string, runs: readonly RuntimeStart[], load: string): string {
  const row = (name: string, values: readonly number[]): string[] => [name, ms(median(values)), ms(Math.max(...values))];
  return [
    `${bundle}: ${runs.length} fresh processes, load ${load}, ${runs[0]?.rows ?? 0} rows; loaded beside it: ${[...new Set(runs.flatMap((run) => run.loaded))].join(', ') || 'nothing'}`,
    table([['measure', 'median', 'max'], ...MEASURES.map(([name, of]) => row(name, runs.map(of)))]),
  ].join('\n');
}

async function main(): Promise<void> {
  const runs = Number(option('--runs')[0] ?? 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${option('--runs')[0]}: give a whole number of runs, 1 or more`);
  const given = option('--runtime').map((path) => resolve(path));
  await buildBenchFiles(given);
  const bundles = given.length > 0 ? given : [join(ROOT, 'out', 'runtime.js')];
  const caches = mkdtempSync(join(tmpdir(), 'trailbook-bench-runtime-'));
  try {
    const cacheOf = new Map(bundles.map((bundle, i) => [bundle, join(caches, String(i))]));
    // The cache written once per bundle, outside the figures: the first run measured is a warm one.
    for (const bundle of bundles) startOnce(bundle, cacheOf.get(bundle)!);
    const { results, load } = alternated(bundles, runs, (bundle) => startOnce(bundle, cacheOf.get(bundle)!));
    console.log([...results].map(([bundle, done]) => report(bundle, done, load)).join('\n\n'));
  } finally {
    rmSync(caches, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench:runtime: ${error.message}`);
  process.exit(1);
});
