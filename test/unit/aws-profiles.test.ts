// Profiles are listed from both AWS files, as the SDK and the CLI read them: the config
// file's `[profile x]` and `[default]`, the credentials file's `[x]`, merged by name, and
// classified by how each obtains credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIni } from '../../src/sources/aws/ini';
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
  const env = { HOME: folder.home, AWS_CONFIG_FILE: folder.write('elsewhere/cfg', '[profile only]\nregion = sa-east-1\n'), AWS_SHARED_CREDENTIALS_FILE: `${folder.home}/none` };
  assert.deepEqual(await listProfiles(env), [{ name: 'only', kind: 'other', region: 'sa-east-1' }]);
  assert.deepEqual(awsConfigFiles({ HOME: '/home/x' }), { config: '/home/x/.aws/config', credentials: '/home/x/.aws/credentials' });
  assert.deepEqual(await listProfiles({ HOME: `${folder.home}/nobody` }), []);
});

test('the INI reader keeps values with # inside, skips nested settings and comment lines', () => {
  assert.deepEqual(parseIni('[a]\nk = v#1\n; c\nn =\n  x = 1\nm = 2\n'), [{ header: 'a', values: { k: 'v#1', m: '2' } }]);
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
