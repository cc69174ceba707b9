// `trailbook run --source athena` and `trailbook athena ddl` as a real process: the CLI
// against the local Athena endpoint (DuckDB backend over the Stratus events), credentials
// from the environment as CI gives them, the scan in --format json; the flags' errors.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { duckdbBackend, startAthenaEndpoint, type AthenaEndpoint, type DuckDBBackend } from '../../src/testbed/athenaEndpoint';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const cache = tempDir();
let backend: DuckDBBackend;
let endpoint: AthenaEndpoint;

before(async () => {
  backend = await duckdbBackend({ logsPath: stratusDir() });
  endpoint = await startAthenaEndpoint({ backend });
});
after(async () => {
  await endpoint?.close();
  await backend?.close();
});

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: tempDir(),
  TRAILBOOK_CACHE_DIR: cache,
  AWS_ACCESS_KEY_ID: endpoint.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: endpoint.credentials.secretAccessKey,
  AWS_REGION: endpoint.region,
});

/** Async: the endpoint lives in this process, so the CLI must not block its event loop. */
function trailbook(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

const sync = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: env() });

test('--source athena runs a runbook on Athena; json carries the SQL as run, the query id, the bytes and the cost', async () => {
  const { status, stdout, stderr } = await trailbook(
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--source',
    'athena',
    '--endpoint',
    endpoint.url,
    '--window',
    '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z',
    '--cell',
    'trail-changes',
    '--format',
    'json',
  );
  assert.equal(status, 1, stderr);
  const out = JSON.parse(stdout) as {
    cells: {
      id: string;
      status: string;
      rowCount: number;
      sql: string;
      notes: string[];
      scan: { engine: string; queryId: string; scannedBytes: number; costUsd: number; pricePerTb: number };
    }[];
  };
  const cell = out.cells.find((c) => c.id === 'trail-changes')!;
  assert.equal(cell.status, 'finding');
  assert.ok(cell.rowCount > 0);
  assert.match(cell.sql, /"default"\."cloudtrail_logs" WHERE .*"timestamp" >= '2024\/01\/01'/);
  assert.equal(cell.scan.engine, 'athena');
  assert.ok(endpoint.executions.includes(cell.scan.queryId));
  assert.ok(cell.scan.scannedBytes > 0);
  assert.equal(cell.scan.pricePerTb, 5);
  assert.match(itemAt(cell.notes, 0), /scanned [\d.]+ KB, about \$0\.\d{5} at \$5\.00 per TB/);
  // The credentials never reach the output.
  assert.ok(!stdout.includes(endpoint.credentials.secretAccessKey) && !stderr.includes(endpoint.credentials.secretAccessKey));
});

test('the Athena flags are checked and say what to write', () => {
  const run = (...flags: string[]) => sync('run', 'runbooks/cloudtrail-tampering.md', ...flags);
  assert.match(
    run('--source', 'athena', '--athena-table', 'default.trail').stderr,
    /--athena-table "default\.trail": write the table name alone/,
  );
  assert.match(
    run('--source', 'athena', '--max-scan', 'lots').stderr,
    /--max-scan "lots": give a number of bytes, such as 50000000000 or 50GB/,
  );
  assert.match(run('--source', 'athena', '--endpoint', 'http://athena.example.com').stderr, /plain http is allowed only to this machine/);
  assert.match(run('--source', 'athena', '--athena-accounts', '12').stderr, /--athena-accounts "12": give 12-digit account ids/);
  assert.match(run('--logs', stratusDir(), '--athena-workgroup', 'w').stderr, /--athena-workgroup goes with --source athena/);
  assert.equal(run('--source', 'athena', '--athena-output', 'https://x').status, 2);
});

test('athena ddl prints the table for an organisation trail; bad values are usage errors', () => {
  const ok = sync(
    'athena',
    'ddl',
    '--bucket',
    's3://org-trail/logs',
    '--org',
    'o-a1b2c3d4e5',
    '--accounts',
    '111122223333,444455556666',
    '--regions',
    'us-east-1',
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^CREATE EXTERNAL TABLE IF NOT EXISTS `default`\.`cloudtrail_logs` \(/);
  assert.match(
    ok.stdout,
    /'storage\.location\.template' = 's3:\/\/org-trail\/logs\/AWSLogs\/o-a1b2c3d4e5\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'\n\);\n$/,
  );
  const bad = sync('athena', 'ddl', '--bucket', "s3://org-trail/it's", '--accounts', '111122223333');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--bucket: the prefix part "it's" holds characters the DDL cannot carry safely/);
  assert.match(sync('athena', 'ddl', '--bucket', 's3://org-trail').stderr, /--accounts is needed/);
  assert.match(
    sync('athena', 'ddl', '--bucket', 's3://org-trail', '--accounts', '111122223333', '--region', 'us-east-1').stderr,
    /--region goes with --apply/,
  );
  assert.match(sync('athena', 'tables').stderr, /the subcommand is ddl/);
});
