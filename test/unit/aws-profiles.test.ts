// Profiles are listed from both AWS files, as the SDK and the CLI read them: the config
// file's `[profile x]` and `[default]`, the credentials file's `[x]`, merged by name, and
// classified by how each obtains credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsConfigFiles, listProfiles } from '../../src/sources/aws/profiles';
import { awsFolder } from '../support/awsConfigFolder';

const CONFIG = `
# comments and blank lines are ignored
[default]
region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-west-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile admin]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/alice ; an inline comment
s3 =
  max_concurrent_requests = 20
region = eu-central-1

[profile vault]
credential_process = /usr/local/bin/vault-creds --account prod

[profile web]
web_identity_token_file = /var/run/token
role_arn = arn:aws:iam::111122223333:role/Web

[services local]
cloudtrail =
  endpoint_url = http://127.0.0.1:4599

[notaprofile]
region = us-east-1
`;

const CREDENTIALS = `
[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret

[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret
`;

test('profiles of both files, merged by name, classified and sorted', async () => {
  const folder = awsFolder(CONFIG, CREDENTIALS);
  assert.deepEqual(await listProfiles(folder.env), [
    { name: 'admin', kind: 'assume-role', region: 'eu-central-1', mfaSerial: 'arn:aws:iam::111122223333:mfa/alice' },
    { name: 'base', kind: 'static' },
    { name: 'default', kind: 'static', region: 'eu-west-1' },
    { name: 'dev', kind: 'sso', region: 'us-west-2' },
    { name: 'vault', kind: 'process' },
    { name: 'web', kind: 'other' },
  ]);
});

test('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are honoured; missing files are no profiles', async () => {
  const folder = awsFolder('', '');
  const env = {
    HOME: folder.home,
    AWS_CONFIG_FILE: folder.write('elsewhere/cfg', '[profile only]\nregion = sa-east-1\n'),
    AWS_SHARED_CREDENTIALS_FILE: `${folder.home}/none`,
  };
  assert.deepEqual(await listProfiles(env), [{ name: 'only', kind: 'other', region: 'sa-east-1' }]);
  assert.deepEqual(awsConfigFiles({ HOME: '/home/x' }), { config: '/home/x/.aws/config', credentials: '/home/x/.aws/credentials' });
  assert.deepEqual(await listProfiles({ HOME: `${folder.home}/nobody` }), []);
});

test("values keep a # inside, comment lines are skipped, and a nested setting is not the profile's own", async () => {
  const folder = awsFolder('[profile a]\nregion = eu-west-1#1\n; region = us-east-1\ns3 =\n  region = ap-south-1\nmfa_serial = x\n');
  assert.deepEqual(await listProfiles(folder.env), [{ name: 'a', kind: 'other', region: 'eu-west-1#1' }]);
});

// The project's own INI reader took these headers otherwise than the SDK, so a profile the
// editor offered was one the SDK then could not find, or the other way round.
test('headers mean what they mean to the SDK: quoted names, no loose spacing, no section without settings', async () => {
  const folder = awsFolder(
    '[profile "quoted"]\nregion = eu-west-1\n\n[profile  two-spaces]\nregion = us-east-1\n\n[ profile padded ]\nregion = us-east-2\n\n[profile empty]\n# nothing yet\n',
    '[profile not-here]\naws_access_key_id = AKIDX\naws_secret_access_key = s\n',
  );
  assert.deepEqual(await listProfiles(folder.env), [{ name: 'quoted', kind: 'other', region: 'eu-west-1' }]);
});

test('a file changed since the last read is read again', async () => {
  const folder = awsFolder('[profile first]\nregion = eu-west-1\n');
  assert.deepEqual(
    (await listProfiles(folder.env)).map((p) => p.name),
    ['first'],
  );
  folder.write('.aws/config', '[profile second]\nregion = eu-west-1\n');
  assert.deepEqual(
    (await listProfiles(folder.env)).map((p) => p.name),
    ['second'],
  );
});

test('error messages never carry a secret key or token, and keep paths and ARNs', async () => {
  const { scrub } = await import('../../src/sources/aws/credentialsError');
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  assert.equal(scrub(`failed: aws_secret_access_key = ${secret}`), 'failed: aws_secret_access_key = …');
  assert.equal(scrub(`got ${secret} back`), 'got … back');
  assert.equal(scrub('"SessionToken":"IQoJb3JpZ2luX2VjEXAMPLE"'), '"SessionToken":"…"');
  const kept = 'in /home/alice/work/infrastructure/runbooks/aws/config for arn:aws:iam::111122223333:role/Admin';
  assert.equal(scrub(kept), kept);
});
