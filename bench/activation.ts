// `npm run bench:activation`: the extension's activation time without an editor. Builds
// out/extension.js as the VSIX has it, then activates it in many fresh Node processes
// (bench/activationOnce.ts, `vscode` answered by bench/vscodeStandIn.ts) with one runbook
// open, and prints the median and max of: the bundle's evaluation and activate() (the two
// parts of the figure the e2e run prints), require() as a whole (reading and compiling the
// file too), the first CodeLens request, and each registration activate() times.
//   --runs N (default 30)
//   --bundle PATH (repeatable): activate these bundles instead of building one, runs
//     alternated between them, so an A/B under the same load compares like with like.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { alternated, median, textTable as table } from './figures';

const ROOT = join(__dirname, '..');
// Not in out/: the package takes every bundle there into the VSIX.
const ONCE = join(ROOT, 'bench', '.data', 'activationOnce.js');
const RUNBOOK = join(ROOT, 'runbooks', 'cloudtrail-tampering.md');

interface Activation {
  readonly requireMs: number;
  readonly bundleMs: number;
  readonly activateMs: number;
  readonly activationMs: number;
  readonly activationCpuMs: number;
  readonly registrations: Record<string, number>;
  readonly firstLensMs: number;
  readonly lenses: number;
  /** The parsers' bundles (out/markdownIt.js …) loaded once the first lens was given. */
  readonly parsers?: readonly string[];
}

function option(name: string): string[] {
  return process.argv.flatMap((arg, i) => (arg === name && process.argv[i + 1] !== undefined ? [process.argv[i + 1] as string] : []));
}

async function buildBenchFiles(bundles: readonly string[]): Promise<void> {
  if (bundles.length === 0)
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'extension', 'shellParser', 'markdownIt', 'yaml'], {
      stdio: 'inherit',
    });
  await build({
    entryPoints: [join(__dirname, 'activationOnce.ts')],
    outfile: ONCE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The stand-in reads the API's names from @types/vscode where it is installed.
    external: ['@types/vscode/*'],
    logLevel: 'warning',
  });
}

function activateOnce(bundle: string, storage: string): Activation {
  const run = spawnSync(process.execPath, [ONCE, bundle, RUNBOOK, storage], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0)
    throw new Error(`activating ${bundle} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as Activation;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** What the first table shows, each a figure of one activation. */
const MEASURES: readonly (readonly [string, (run: Activation) => number])[] = [
  ['activation (bundle evaluated + activate(), as the e2e prints)', (r) => r.activationMs],
  ['  of it on the CPU (as the e2e prints)', (r) => r.activationCpuMs],
  ['  bundle evaluated', (r) => r.bundleMs],
  ['  activate()', (r) => r.activateMs],
  ['require() whole (read, compile, evaluate)', (r) => r.requireMs],
  ['first CodeLens request', (r) => r.firstLensMs],
];

function report(bundle: string, runs: readonly Activation[], load: string): string {
  const row = (name: string, values: readonly number[]): string[] => {
    // A bundle built before the activation line said its CPU time gives none.
    const known = values.filter(Number.isFinite);
    return known.length === 0 ? [name, '–', '–'] : [name, ms(median(known)), ms(Math.max(...known))];
  };
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.registrations)))];
  // A registration under the three slowest of a run is not named in its line: counted as 0 there.
  const registrations = names
    .map((name) => ({ name, values: runs.map((run) => run.registrations[name] ?? 0) }))
    .sort((a, b) => median(b.values) - median(a.values) || Math.max(...b.values) - Math.max(...a.values));
  return [
    `${bundle}: ${runs.length} activations, load ${load}, ${runs[0]?.lenses ?? 0} lenses on ${RUNBOOK.split('/').pop()}; parsers loaded by the first lens: ${[...new Set(runs.flatMap((run) => run.parsers ?? []))].join(', ') || 'none'}`,
    table([['measure', 'median', 'max'], ...MEASURES.map(([name, of]) => row(name, runs.map(of)))]),
    'registrations activate() times (the three slowest of each run are named; others count 0):',
    table([['registration', 'median', 'max'], ...registrations.map(({ name, values }) => row(name, values))]),
  ].join('\n');
}

async function main(): Promise<void> {
  const runs = Number(option('--runs')[0] ?? 30);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${option('--runs')[0]}: give a whole number of runs, 1 or more`);
  const given = option('--bundle');
  await buildBenchFiles(given);
  const bundles = given.length > 0 ? given : [join(ROOT, 'out', 'extension.js')];
  const storage = mkdtempSync(join(tmpdir(), 'trailbook-bench-activation-'));
  try {
    const { results, load } = alternated(bundles, runs, (bundle) => activateOnce(bundle, storage));
    console.log([...results].map(([bundle, done]) => report(bundle, done, load)).join('\n\n'));
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench:activation: ${error.message}`);
  process.exit(1);
});
