// `trailbook run --source trino`: the CLI as a user runs it against their own Trino, through
// the one seam every face uses (SourcePool), compared with the same runbook on local logs.
// Same cells, same statuses, same rows (order-insensitive); the SQL as run shows the window.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { enginesEnv, report } from './support/env';
import { CATALOG, SCHEMA } from './support/trinoTable';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const WINDOW = ['--window', '2000-01-01T00:00:00Z/2100-01-01T00:00:00Z'];
const RUNBOOKS = ['runbooks/cloudtrail-tampering.md', 'runbooks/root-account-activity.md', 'runbooks/iam-policy-changes.md'];

interface Report {
  readonly cells: { id: string; status: string; rows?: unknown[]; sql?: string; error?: { message: string } }[];
}

async function trailbook(...args: string[]): Promise<{ status: number; report: Report; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TRAILBOOK_CACHE_DIR: join(enginesEnv().workDir, 'cli-cache') },
    });
    return { status: 0, report: JSON.parse(stdout) as Report, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code !== 1)
      throw new Error(`trailbook ${args.join(' ')} exited ${failed.code}: ${failed.stderr ?? ''}${failed.stdout ?? ''}`);
    return { status: 1, report: JSON.parse(failed.stdout ?? '') as Report, stderr: failed.stderr ?? '' };
  }
}

const canonical = (rows: unknown[] | undefined): string[] => (rows ?? []).map((row) => JSON.stringify(row)).sort();

for (const runbook of RUNBOOKS) {
  test(`${runbook}: --source trino gives what local logs give`, async () => {
    const env = enginesEnv();
    const name = `trailbook run ${runbook} --source trino`;
    try {
      const local = await trailbook('run', runbook, '--logs', env.logs, ...WINDOW, '--format', 'json', '--limit', '100000');
      const trino = await trailbook(
        'run',
        runbook,
        '--source',
        'trino',
        '--trino-server',
        env.trinoUrl,
        '--trino-user',
        'trailbook-cli',
        '--trino-table',
        `${CATALOG}.${SCHEMA}.cloudtrail_logs`,
        ...WINDOW,
        '--format',
        'json',
        '--limit',
        '100000',
      );
      assert.equal(trino.status, local.status, `exit status: trino ${trino.status}, local ${local.status}`);
      assert.deepEqual(
        trino.report.cells.map((c) => [c.id, c.status]),
        local.report.cells.map((c) => [c.id, c.status]),
      );
      for (const [i, cell] of trino.report.cells.entries()) {
        assert.deepEqual(canonical(cell.rows), canonical(itemAt(local.report.cells, i).rows), `cell ${cell.id}: rows differ`);
        // The window is the engine's, written into the SQL as run.
        assert.match(cell.sql ?? '', /from_iso8601_timestamp\("eventtime"\)\) >= from_iso8601_timestamp\(/, `cell ${cell.id}: SQL as run`);
      }
      assert.ok(
        trino.report.cells.some((c) => (c.rows?.length ?? 0) > 0),
        'some cell returned rows',
      );
      report(env, { suite: 'source', name, ok: true, rows: trino.report.cells.reduce((n, c) => n + (c.rows?.length ?? 0), 0) });
    } catch (error) {
      report(env, { suite: 'source', name, ok: false, detail: (error as Error).message });
      throw error;
    }
  });
}

test('a runbook cannot read another table of the catalog through --source trino', async () => {
  const env = enginesEnv();
  const name = 'the guard holds on Trino';
  try {
    const { writeFileSync } = await import('node:fs');
    const path = join(env.workDir, 'other-table.md');
    writeFileSync(path, `---\ntitle: other table\n---\n\n\`\`\`cloudtrail id=other\nSELECT * FROM ${CATALOG}.${SCHEMA}.staging\n\`\`\`\n`);
    const result = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/main.ts'),
        'run',
        path,
        '--source',
        'trino',
        '--trino-server',
        env.trinoUrl,
        '--trino-table',
        `${CATALOG}.${SCHEMA}.cloudtrail_logs`,
        '--format',
        'json',
      ],
      { cwd: ROOT },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
    );
    assert.equal(result.code, 2);
    assert.match(result.stdout, /unknown table/);
    report(env, { suite: 'source', name, ok: true });
  } catch (error) {
    report(env, { suite: 'source', name, ok: false, detail: (error as Error).message });
    throw error;
  }
});
