// `trailbook` as people type it: out/cli.js, built from these sources as `npm run build`
// builds it (with the files it loads on first use), run in a process of its own and timed
// from spawn to exit, so Node's start and loading the CLI count as they do at a terminal.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, oneMinuteLoad } from './figures';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'out', 'cli.js');

export function buildCli(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'cli', 'ingestWorker', 'searchThread'], { stdio: 'inherit' });
}

export interface CliFigure {
  /** The median of the runs, from spawn to exit. */
  readonly ms: number;
  readonly load: string;
}

/** Runs `trailbook ARGS` `times` times; fails on an exit status other than 0 or 1 (1: a finding). */
export function timeCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, times = 3): CliFigure {
  const loadAtStart = oneMinuteLoad();
  const runs: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    runs.push(performance.now() - started);
    if (result.status !== 0 && result.status !== 1)
      throw new Error(
        `trailbook ${args.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr.toString().slice(-2000)}`,
      );
  }
  return { ms: median(runs), load: `${loadAtStart}–${oneMinuteLoad()}` };
}

/** `trailbook run` of one cell holding `sql`, over the logs at `logs`, its cache under `cacheRoot`. */
export function timeCliRun(sql: string, logs: string, cacheRoot: string, times = 3): CliFigure {
  const dir = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
  try {
    const runbook = join(dir, 'one-cell.md');
    writeFileSync(runbook, `# One cell\n\n\`\`\`cloudtrail id=cell\n${sql}\n\`\`\`\n`);
    return timeCli(['run', runbook, '--logs', logs], { TRAILBOOK_CACHE_DIR: cacheRoot }, times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
