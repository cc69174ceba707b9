// What the editor should show, computed honestly: the same fixture cell run through the
// project's CLI on the same logs (instead of numbers copied into the test, which would go
// stale when the fixture or the dataset changes).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface CliCell {
  readonly id: string;
  readonly status: string;
  readonly rowCount: number;
  readonly rows: readonly Record<string, unknown>[];
}

export function runCell(repo: string, runbook: string, logs: string, cellId: string, params: Record<string, string> = {}): CliCell {
  const args = [join(repo, 'out/cli.js'), 'run', runbook, '--logs', logs, '--cell', cellId, '--format', 'json', '--no-cache', '--quiet'];
  for (const [name, value] of Object.entries(params)) args.push('--param', `${name}=${value}`);
  const result = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  // 0: every expectation holds; 1: a detection found rows. Both print the results.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`trailbook run ${runbook} --cell ${cellId} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
  }
  const report = JSON.parse(result.stdout) as { cells: CliCell[] };
  const cell = report.cells.find((c) => c.id === cellId);
  if (!cell) throw new Error(`trailbook run ${runbook} --cell ${cellId} reported no cell ${cellId}: ${result.stdout.slice(0, 500)}`);
  return cell;
}
