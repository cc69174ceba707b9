// The CLI's side of credentials: `trailbook profiles` lists what --profile can name, and
// `run --source lookup --profile P` names the account in its results, reads an MFA code
// from a terminal, and says what to do when there is no terminal to read one from.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { terminalMfaPrompt } from '../../src/cli/mfaPrompt';
import { startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { awsFolder } from '../support/awsConfigFolder';

const ROOT = resolve(__dirname, '../..');
const BASE: Principal = { accessKeyId: 'AKIDCLIBASE', secretAccessKey: 'cli-base-secret', account: '777788889999' };
const ROLE = 'arn:aws:iam::777788889999:role/Responder';
const MFA_DEVICE = 'arn:aws:iam::777788889999:mfa/oncall';
const folder = awsFolder(
  `[profile responder]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = ${MFA_DEVICE}\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n`,
  `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
);
const cache = tempDir();
let endpoint: CloudTrailEndpoint;
before(async () => {
  endpoint = await startCloudTrailEndpoint({
    logsPath: stratusDir(),
    principals: [BASE],
    roles: [{ arn: ROLE, mfaSerial: MFA_DEVICE }],
    mfaCode: '112233',
    rateLimit: 1000,
  });
});
after(() => endpoint.close());

function trailbook(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // Standard input is a pipe, not a terminal, as in CI.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...folder.env, TRAILBOOK_CACHE_DIR: cache },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

const lookup = (profile: string) =>
  trailbook(
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--cell',
    'trail-changes',
    '--source',
    'lookup',
    '--profile',
    profile,
    '--region',
    'us-east-1',
    '--endpoint',
    endpoint.url,
    '--window',
    '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z',
    '--format',
    'json',
  );

test('trailbook profiles lists names, kinds and regions from the files AWS_CONFIG_FILE names', async () => {
  const table = await trailbook('profiles');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^profile\s+credentials\s+region\n/);
  assert.match(table.stdout, /\nbase\s+static\s*\n/);
  assert.match(table.stdout, /\nresponder\s+assume-role \(MFA\)\s+eu-west-1\n/);
  assert.ok(!table.stdout.includes('corp'), 'an sso-session is not a profile');
  assert.ok(table.stderr.includes(folder.config));
  const json = JSON.parse((await trailbook('profiles', '--format', 'json')).stdout);
  assert.deepEqual(
    json.profiles.map((p: { name: string }) => p.name),
    ['base', 'responder'],
  );
});

test('run --profile names the account in the notes and in the json', async () => {
  const run = await lookup('base');
  assert.equal(run.status, 1, run.stderr);
  const [cell] = JSON.parse(run.stdout).cells;
  assert.equal(cell.account, '777788889999');
  assert.equal(cell.notes[0], 'account 777788889999, profile base');
});

test('an MFA profile without a terminal fails with what to do, and the run exits 2', async () => {
  const run = await lookup('responder');
  assert.equal(run.status, 2, run.stderr);
  const [cell] = JSON.parse(run.stdout).cells;
  assert.match(
    cell.error.message,
    /an MFA code for arn:aws:iam::777788889999:mfa\/oncall is needed and standard input is not a terminal to type it in: run trailbook in a terminal/,
  );
});

test('on a terminal, the MFA prompt names the device and returns what was typed', async () => {
  const input = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
  const output = new PassThrough() as unknown as NodeJS.WriteStream;
  let shown = '';
  (output as unknown as PassThrough).on('data', (d) => (shown += d));
  const code = terminalMfaPrompt(input, output)(MFA_DEVICE);
  (input as unknown as PassThrough).write('112233\n');
  assert.equal(await code, '112233');
  assert.match(shown, /MFA code for arn:aws:iam::777788889999:mfa\/oncall: /);
});
