// `trailbook run --source lookup` through the real SDK, real HTTP and SigV4 against the
// project's local CloudTrail endpoint: the same runbook gives the same rows as on the
// same events read as local logs, and AWS's refusals become messages a person can act on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { startCloudTrailEndpoint, type CloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';

const ROOT = resolve(__dirname, '../..');
const WINDOW = ['--window', '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z'];
const KEYS = {
  ok: { accessKeyId: 'AKIDLOOKUPTEST', secretAccessKey: 'lookup-test-secret', account: '111122223333' },
  expired: { accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret', account: '111122223333', expired: true },
  // Another account: the cache is per account, and the first account's events are cached by then.
  denied: { accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret', account: '999988887777', denied: true },
};
let endpoint: CloudTrailEndpoint;
const cache = tempDir();

before(async () => {
  endpoint = await startCloudTrailEndpoint({ logsPath: stratusDir(), principals: Object.values(KEYS) });
});
after(() => endpoint.close());

function trailbook(
  key: { accessKeyId: string; secretAccessKey: string },
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  // Asynchronous: the endpoint runs in this process and must keep answering meanwhile.
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: tempDir(),
        TRAILBOOK_CACHE_DIR: cache,
        AWS_ACCESS_KEY_ID: key.accessKeyId,
        AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

const lookup = (key: typeof KEYS.ok, ...args: string[]) =>
  trailbook(key, 'run', ...args, '--source', 'lookup', '--region', 'us-east-1', '--endpoint', endpoint.url, ...WINDOW, '--format', 'json');

test('a detection gives the same rows through LookupEvents as on local logs, and says what AWS filtered', async () => {
  const local = await trailbook(
    KEYS.ok,
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    stratusDir(),
    ...WINDOW,
    '--format',
    'json',
    '--cell',
    'trail-changes',
  );
  const remote = await lookup(KEYS.ok, 'runbooks/cloudtrail-tampering.md', '--cell', 'trail-changes');
  assert.equal(local.status, 1, local.stderr);
  assert.equal(remote.status, 1, remote.stderr);
  const rows = (out: string) => JSON.parse(out).cells[0].rows;
  assert.deepEqual(rows(remote.stdout), rows(local.stdout));
  const notes: string[] = JSON.parse(remote.stdout).cells[0].notes;
  assert.ok(
    notes.some((n) => /EventName/.test(n)),
    notes.join('\n'),
  );
  assert.ok(
    notes.some((n) => /3 events fetched from us-east-1 in 7 pages \(\d+ requests/.test(n)),
    notes.join('\n'),
  );
});

test('a query with nothing to push down pages through the whole window and still matches', async () => {
  const local = await trailbook(
    KEYS.ok,
    'run',
    'test/fixtures/cli/by-user.md',
    '--logs',
    stratusDir(),
    ...WINDOW,
    '--param',
    'user=christophe',
    '--format',
    'json',
  );
  const remote = await lookup(KEYS.ok, 'test/fixtures/cli/by-user.md', '--param', 'user=christophe');
  assert.equal(remote.status, 0, remote.stderr);
  const report = JSON.parse(remote.stdout);
  assert.deepEqual(report.cells[0].rows, JSON.parse(local.stdout).cells[0].rows);
  assert.ok(report.cells[0].rowCount > 0);
  assert.ok(
    report.cells[0].notes.some((n: string) => /310 events fetched from us-east-1 in 7 pages/.test(n)),
    report.cells[0].notes.join('\n'),
  );
});

test('refusals name the fix: permission, expired session, unreachable endpoint', async () => {
  const denied = await lookup(KEYS.denied, 'runbooks/cloudtrail-tampering.md', '--cell', 'trail-changes');
  assert.equal(denied.status, 2);
  assert.match(JSON.parse(denied.stdout).cells[0].error.message, /needs the permission cloudtrail:LookupEvents/);
  const expired = await lookup(KEYS.expired, 'runbooks/cloudtrail-tampering.md', '--cell', 'trail-changes');
  assert.equal(expired.status, 2);
  assert.match(
    JSON.parse(expired.stdout).cells[0].error.message,
    /the credentials in the environment \(AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN\) have expired: export new ones/,
  );
  const nowhere = await trailbook(
    KEYS.ok,
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--cell',
    'trail-changes',
    '--source',
    'lookup',
    '--region',
    'us-east-1',
    '--endpoint',
    'http://127.0.0.1:9',
    ...WINDOW,
    '--format',
    'json',
  );
  assert.equal(nowhere.status, 2);
  assert.match(JSON.parse(nowhere.stdout).cells[0].error.message, /cannot reach CloudTrail at http:\/\/127\.0\.0\.1:9/);
  const mixed = await trailbook(KEYS.ok, 'run', 'runbooks/cloudtrail-tampering.md', '--source', 'lookup', '--logs', stratusDir());
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /--logs goes with --source local/);
});
