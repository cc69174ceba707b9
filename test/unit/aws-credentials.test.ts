// Credentials for a profile through the real SDK (fromIni, fromSSO), real HTTP and the
// local endpoint's STS, with a temporary AWS config folder: keys, a role behind MFA whose
// code the endpoint checks, credential_process, expired sessions and SSO logins, a missing
// profile; then the account they belong to, in a LookupEvents run's notes and results.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, test } from 'node:test';
import { parseRunbook } from '../../src/runbook/parse';
import { runRunbook } from '../../src/app/runbookRunner';
import { parseWindow } from '../../src/engine/timeWindow';
import { AwsSession, renewalDue, resolveAccount } from '../../src/sources/aws/awsSession';
import { forgetCachedCredentials, resolveCredentials } from '../../src/sources/aws/credentials';
import { AwsCredentialsError } from '../../src/sources/aws/credentialsError';
import { startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { LookupEventsSource } from '../../src/sources/lookup/lookupSource';
import { sharedPacer } from '../../src/sources/lookup/pacer';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';
import { awsFolder, isolateProcessEnv, type AwsFolder } from '../support/awsConfigFolder';

isolateProcessEnv();
const BASE: Principal = { accessKeyId: 'AKIDBASEUSER', secretAccessKey: 'base-user-secret-value', account: '111122223333' };
const PROCESS_KEY: Principal = { accessKeyId: 'AKIDFROMPROCESS', secretAccessKey: 'process-secret-value', account: '444455556666' };
const OLD: Principal = {
  accessKeyId: 'ASIAOLDSESSION',
  secretAccessKey: 'old-session-secret',
  sessionToken: 'old-session-token',
  account: '111122223333',
  expired: true,
};
const SECRETS = [BASE, PROCESS_KEY, OLD].flatMap((p) => [p.secretAccessKey, p.sessionToken ?? p.secretAccessKey]);
const MFA_DEVICE = 'arn:aws:iam::111122223333:mfa/alice';
const ADMIN_ROLE = 'arn:aws:iam::210987654321:role/Admin';

let endpoint: CloudTrailEndpoint;
// Made at the top level, where its removal at the end of the file is registered.
const folder: AwsFolder = makeFolder();
before(async () => {
  endpoint = await startCloudTrailEndpoint({
    logsPath: stratusDir(),
    principals: [BASE, PROCESS_KEY, OLD],
    roles: [{ arn: ADMIN_ROLE, mfaSerial: MFA_DEVICE }],
    mfaCode: '246810',
    rateLimit: 1000,
  });
});
after(() => endpoint.close());
beforeEach(() => forgetCachedCredentials());

function makeFolder(): AwsFolder {
  const folder = awsFolder(
    `[default]
region = us-east-1

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = base
mfa_serial = ${MFA_DEVICE}
role_session_name = alice

[profile admin-again]
role_arn = ${ADMIN_ROLE}
source_profile = base
mfa_serial = ${MFA_DEVICE}

[profile tool]
credential_process = "${process.execPath}" "HOME/creds.js"

[profile broken-tool]
credential_process = "${process.execPath}" "HOME/fail.js"

[profile corp]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile legacy-sso]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
`,
    `[base]
aws_access_key_id = ${BASE.accessKeyId}
aws_secret_access_key = ${BASE.secretAccessKey}

[old]
aws_access_key_id = ${OLD.accessKeyId}
aws_secret_access_key = ${OLD.secretAccessKey}
aws_session_token = ${OLD.sessionToken}
`,
  );
  // The config names the scripts by a placeholder: the folder's path is only known now.
  folder.write('.aws/config', readFileSync(folder.config, 'utf8').replaceAll('HOME/', `${folder.home}/`));
  folder.write(
    'creds.js',
    `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: '${PROCESS_KEY.accessKeyId}', SecretAccessKey: '${PROCESS_KEY.secretAccessKey}', Expiration: new Date(Date.now() + 3600e3).toISOString() }));\n`,
  );
  folder.write(
    'fail.js',
    `process.stdout.write('{"AccessKeyId":"AKIDLEAK","SecretAccessKey":"leaked-secret-value"}'); process.stderr.write('vault: session locked, run vault login\\n'); process.exit(3);\n`,
  );
  // One login that ended an hour ago, for the sso-session and for the legacy start URL.
  const expired = JSON.stringify({
    accessToken: 'sso-access-token-value',
    expiresAt: new Date(Date.now() - 3600e3).toISOString(),
    region: 'eu-west-1',
    startUrl: 'https://corp.awsapps.com/start',
  });
  folder.write(`.aws/sso/cache/${createHash('sha1').update('corp').digest('hex')}.json`, expired);
  return folder;
}

const options = (profile: string, extra: object = {}) => ({
  profile,
  env: folder.env,
  endpoint: endpoint.url,
  region: 'us-east-1',
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<AwsCredentialsError> {
  const error = await promise.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AwsCredentialsError, `an AwsCredentialsError, not ${String(error)}`);
  for (const secret of [...SECRETS, 'leaked-secret-value', 'sso-access-token-value'])
    assert.ok(!error.message.includes(secret), `no secret in: ${error.message}`);
  return error;
}

test('a static profile gives its keys, and GetCallerIdentity its account', async () => {
  const resolved = await resolveCredentials(options('base'));
  assert.equal(resolved.credentials.accessKeyId, BASE.accessKeyId);
  assert.equal(resolved.kind, 'static');
  const identity = await resolveAccount(options('base'));
  assert.deepEqual(identity, {
    account: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/AKIDBASEUSER',
    profile: 'base',
    via: 'profile base',
  });
});

test('AWS_PROFILE chooses the profile; without one, environment keys are used', async () => {
  assert.equal((await resolveAccount({ env: { ...folder.env, AWS_PROFILE: 'base' }, endpoint: endpoint.url })).account, '111122223333');
  const fromEnv = await resolveAccount({
    env: { ...folder.env, AWS_ACCESS_KEY_ID: PROCESS_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: PROCESS_KEY.secretAccessKey },
    endpoint: endpoint.url,
  });
  assert.deepEqual([fromEnv.account, fromEnv.via, fromEnv.profile], ['444455556666', 'credentials from the environment', undefined]);
});

test('a role behind MFA: the callback gets the serial, the endpoint checks the code, the code is asked once', async () => {
  const asked: string[] = [];
  const mfaCodeProvider = async (serial: string) => {
    asked.push(serial);
    return '246810';
  };
  const resolved = await resolveCredentials(options('admin', { mfaCodeProvider }));
  assert.deepEqual(asked, [MFA_DEVICE]);
  assert.match(resolved.credentials.accessKeyId, /^ASIA/);
  assert.ok(resolved.credentials.sessionToken && resolved.credentials.expiration);
  const session = new AwsSession(options('admin', { mfaCodeProvider }));
  assert.deepEqual(await session.identity(), {
    account: '210987654321',
    arn: 'arn:aws:sts::210987654321:assumed-role/Admin/alice',
    profile: 'admin',
    via: 'profile admin',
  });
  assert.deepEqual(asked, [MFA_DEVICE], 'the temporary credentials were kept: no second prompt');
});

test('a wrong MFA code, a code that is not six digits, and no way to ask are each said plainly', async () => {
  const wrong = await failure(resolveCredentials(options('admin-again', { mfaCodeProvider: async () => '135791' })));
  assert.match(
    wrong.message,
    /the MFA code for arn:aws:iam::111122223333:mfa\/alice was not accepted when profile admin-again assumed arn:aws:iam::210987654321:role\/Admin/,
  );
  const typo = await failure(resolveCredentials(options('admin-again', { mfaCodeProvider: async () => '12 34' })));
  assert.match(typo.message, /must be the six digits/);
  const none = await failure(resolveCredentials(options('admin-again')));
  assert.match(
    none.message,
    /profile admin-again assumes arn:aws:iam::210987654321:role\/Admin with MFA \(arn:aws:iam::111122223333:mfa\/alice\), and there is no way to ask for a code here/,
  );
});

test('credential_process: its credentials are used; its failure names the profile and exit status, never its command line or output', async () => {
  assert.equal((await resolveAccount(options('tool'))).account, '444455556666');
  const broken = await failure(resolveCredentials(options('broken-tool')));
  assert.match(
    broken.message,
    /^the credential_process of profile broken-tool exited with status 3: vault: session locked, run vault login\. Run the command in a terminal/,
  );
  // Command lines can carry a token: neither the program nor its arguments are quoted.
  assert.ok(!broken.message.includes('fail.js') && !broken.message.includes(process.execPath), broken.message);
  assert.ok(!broken.message.includes('AKIDLEAK'));
});

test('expired session credentials: the fix is named, for STS and for LookupEvents alike', async () => {
  const expired = await failure(resolveAccount(options('old')));
  assert.match(expired.message, /the credentials of profile old have expired: run `aws sso login --profile old`/);
  const store = await openStore();
  const source = new LookupEventsSource(store, { regions: ['us-east-1'], profile: 'old', env: folder.env, endpoint: endpoint.url });
  await assert.rejects(source.prepare(parseWindow('1h'), 'SELECT 1 FROM cloudtrail_logs'), /the credentials of profile old have expired/);
});

test('an expired or missing SSO login asks for `aws sso login --profile X`, without going to the network', async () => {
  const started = Date.now();
  const corp = await failure(resolveCredentials(options('corp')));
  assert.match(corp.message, /the SSO session of profile corp expired at .*: run `aws sso login --profile corp` and try again/);
  const legacy = await failure(resolveCredentials(options('legacy-sso')));
  assert.match(legacy.message, /there is no login on this machine: run `aws sso login --profile legacy-sso`/);
  assert.ok(Date.now() - started < 2000);
});

test('a missing profile lists the profiles that exist and the files read', async () => {
  const missing = await failure(resolveCredentials(options('prod')));
  assert.match(
    missing.message,
    /there is no profile prod in \S+\/\.aws\/config or \S+\/\.aws\/credentials: the profiles there are admin, admin-again, base, broken-tool, corp, default, legacy-sso, old, tool\./,
  );
});

test('the account is in a LookupEvents run: notes, the prepared scope, CellRun.account, and the pacer key', async () => {
  const store = await openStore();
  const source = new LookupEventsSource(store, {
    regions: ['us-east-1'],
    profile: 'admin',
    env: folder.env,
    endpoint: endpoint.url,
    mfaCodeProvider: async () => '246810',
  });
  const keys = new Set<string>();
  const acquire = sharedPacer.acquire.bind(sharedPacer);
  sharedPacer.acquire = (key, signal) => (keys.add(key), acquire(key, signal));
  let prepared;
  try {
    prepared = await source.prepare(
      parseWindow('2024-07-31T00:00:00Z/2024-08-01T00:00:00Z'),
      "SELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'",
    );
  } finally {
    sharedPacer.acquire = acquire;
  }
  // Any profile of the account shares its 2 requests a second in each region.
  assert.deepEqual([...keys], ['210987654321/us-east-1']);
  assert.equal(prepared.account, '210987654321');
  assert.equal(prepared.notes[0], 'account 210987654321, profile admin');
  assert.ok(endpoint.stats.requests('210987654321', 'us-east-1').served.length > 0);

  const runbook = parseRunbook(
    "# t\n\n```cloudtrail id=stops\nSELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n```\n",
    'inline.md',
  );
  const [run] = await runRunbook(runbook, { store, source, window: '2024-07-31T00:00:00Z/2024-08-01T00:00:00Z' });
  assert.equal(run?.status, 'ok', run?.error?.message);
  assert.equal(run?.account, '210987654321');
  assert.ok(run?.notes.includes('account 210987654321, profile admin'));
});

test('temporary credentials are renewed a minute before they expire, or a quarter of their life when that is shorter', () => {
  const obtained = Date.parse('2026-01-01T00:00:00Z');
  const hour = new Date(obtained + 3_600_000);
  assert.equal(renewalDue(hour, obtained, obtained + 3_600_000 - 61_000), false);
  assert.equal(renewalDue(hour, obtained, obtained + 3_600_000 - 60_000), true);
  const short = new Date(obtained + 8_000);
  assert.equal(renewalDue(short, obtained, obtained + 5_999), false, 'not at once: a request still has most of their life');
  assert.equal(renewalDue(short, obtained, obtained + 6_000), true);
  assert.equal(renewalDue(undefined, obtained, obtained + 10 * 3_600_000), false, 'long-term keys never expire');
});
