// What the editor should show, computed honestly: the same fixture cell run through the
// project's CLI on the same logs (instead of numbers copied into the test, which would go
// stale when the fixture or the dataset changes).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { itemAt } from '../support/itemAt';

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
    throw new Error(
      `trailbook run ${runbook} --cell ${cellId} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`,
    );
  }
  return cellOf(result.stdout, runbook, cellId);
}

function cellOf(stdout: string, runbook: string, cellId: string): CliCell {
  const report = JSON.parse(stdout) as { cells: CliCell[] };
  const cell = report.cells.find((c) => c.id === cellId);
  if (!cell) throw new Error(`trailbook run ${runbook} --cell ${cellId} reported no cell ${cellId}: ${stdout.slice(0, 500)}`);
  return cell;
}

export interface LookupCell extends CliCell {
  readonly account?: string;
  readonly notes: readonly string[];
}

/**
 * The same, on LookupEvents: `--source lookup --profile P --region R --endpoint URL`, in
 * `env` only (an AWS config folder, nothing of the person's).
 */
export async function runLookupCell(
  repo: string,
  runbook: string,
  cellId: string,
  target: { profile: string; region: string; endpoint: string },
  env: NodeJS.ProcessEnv,
): Promise<LookupCell> {
  const flags = ['--source', 'lookup', '--profile', target.profile, '--region', target.region, '--endpoint', target.endpoint];
  return (await runCellAsync(repo, runbook, cellId, flags, env)) as LookupCell;
}

export interface AthenaCell extends CliCell {
  readonly notes: readonly string[];
  readonly scan: { readonly engine: string; readonly queryId: string; readonly scannedBytes: number };
}

/** The same, on Athena: `--source athena --profile P --region R --endpoint URL` (the local endpoint of serve-athena). */
export async function runAthenaCell(
  repo: string,
  runbook: string,
  cellId: string,
  target: { profile: string; region: string; endpoint: string },
  env: NodeJS.ProcessEnv,
): Promise<AthenaCell> {
  const flags = ['--source', 'athena', '--profile', target.profile, '--region', target.region, '--endpoint', target.endpoint];
  return (await runCellAsync(repo, runbook, cellId, flags, env)) as AthenaCell;
}

/**
 * Asynchronous, because the endpoint the CLI talks to may live in this very process: a
 * synchronous spawn would stop it.
 */
async function runCellAsync(
  repo: string,
  runbook: string,
  cellId: string,
  flags: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<CliCell> {
  const args = [join(repo, 'out/cli.js'), 'run', runbook, '--cell', cellId, ...flags, '--format', 'json', '--no-cache', '--quiet'];
  const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const status = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  }).finally(() => clearTimeout(timer));
  if (status !== 0 && status !== 1)
    throw new Error(`trailbook run ${runbook} --cell ${cellId} ${flags.slice(0, 2).join(' ')} failed (exit ${status}): ${stderr}`);
  return cellOf(stdout, runbook, cellId);
}

/**
 * The timeline's lanes by principal for these rows: each distinct userIdentity.arn (or
 * `actor` column) with its number of events, busiest first, ties by name (as the view ranks them).
 */
export function principalLanes(rows: readonly Record<string, unknown>[]): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const identity = row.userIdentity as Record<string, unknown> | undefined;
    const arn = row.actor ?? identity?.arn;
    if (typeof arn !== 'string' || arn === '') throw new Error(`a row without a principal ARN: ${JSON.stringify(row).slice(0, 300)}`);
    counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The pivot the editor inserted: its `### heading` line and its fenced block (fence lines included). */
export function insertedBlock(text: string, cellId: string): { heading: string; block: string } {
  const lines = text.split(/\r?\n/);
  const fence = lines.findIndex((line) => /^```cloudtrail\b/.test(line) && line.split(/\s+/).includes(`id=${cellId}`));
  if (fence < 0) throw new Error(`no \`\`\`cloudtrail block with id=${cellId} in the runbook`);
  const end = lines.findIndex((line, i) => i > fence && line.startsWith('```'));
  if (end < 0) throw new Error(`the block id=${cellId} is not closed`);
  // The heading is the nearest non-blank line above the fence.
  let at = fence - 1;
  while (at >= 0 && itemAt(lines, at).trim() === '') at -= 1;
  return { heading: at >= 0 ? itemAt(lines, at) : '', block: lines.slice(fence, end + 1).join('\n') };
}
