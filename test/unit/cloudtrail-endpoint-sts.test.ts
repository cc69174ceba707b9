// The local endpoint's STS, through the real STS client over real HTTP: GetCallerIdentity,
// AssumeRole with and without MFA, and the temporary credentials it issues being accepted
// (with their session token, and only with it) by LookupEvents on the same port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { stratusDir } from '../support/datasets';
import { isolateProcessEnv } from '../support/awsConfigFolder';
import { itemAt } from '../support/itemAt';

isolateProcessEnv();
const ALICE: Principal = { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret', account: '111122223333' };
const EXPIRED: Principal = {
  accessKeyId: 'AKIDOLD',
  secretAccessKey: 'old-secret',
  sessionToken: 'old-token',
  account: '111122223333',
  expired: true,
};
const MFA_DEVICE = 'arn:aws:iam::111122223333:mfa/alice';
const ROLES = [{ arn: 'arn:aws:iam::210987654321:role/Admin', mfaSerial: MFA_DEVICE }, { arn: 'arn:aws:iam::210987654321:role/ReadOnly' }];
let endpoint: CloudTrailEndpoint;
before(async () => {
  endpoint = await startCloudTrailEndpoint({
    logsPath: stratusDir(),
    principals: [ALICE, EXPIRED],
    roles: ROLES,
    mfaCode: '123456',
    rateLimit: 1000,
  });
});
after(() => endpoint.close());

const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new STSClient({ region: 'us-east-1', endpoint: endpoint.url, credentials, maxAttempts: 1 });

async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  )) as Error;
  return { name: error.name, message: error.message };
}

test('GetCallerIdentity names the account and the user', async () => {
  const identity = await sts(ALICE).send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Account, '111122223333');
  assert.equal(identity.Arn, 'arn:aws:iam::111122223333:user/AKIDALICE');
  assert.match(identity.UserId ?? '', /^AIDA/);
});

test('authentication refusals use STS codes: unknown key, bad secret, expired token', async () => {
  assert.equal(
    (await refusal(sts({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})))).name,
    'InvalidClientTokenId',
  );
  assert.equal(
    (await refusal(sts({ ...ALICE, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})))).name,
    'SignatureDoesNotMatch',
  );
  const expired = await refusal(sts(EXPIRED).send(new GetCallerIdentityCommand({})));
  assert.equal(expired.name, 'ExpiredToken');
  assert.match(expired.message, /expired/);
});

test('AssumeRole: MFA required, the code checked, temporary credentials that LookupEvents accepts', async () => {
  const input = { RoleArn: itemAt(ROLES, 0).arn, RoleSessionName: 'alice' };
  const noMfa = await refusal(sts(ALICE).send(new AssumeRoleCommand(input)));
  assert.equal(noMfa.name, 'AccessDenied');
  assert.match(noMfa.message, /not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role\/Admin/);
  const wrong = await refusal(sts(ALICE).send(new AssumeRoleCommand({ ...input, SerialNumber: MFA_DEVICE, TokenCode: '000000' })));
  assert.equal(wrong.name, 'AccessDenied');
  assert.match(wrong.message, /MultiFactorAuthentication failed/);
  const unknown = await refusal(
    sts(ALICE).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/Nope', RoleSessionName: 'alice' })),
  );
  assert.equal(unknown.name, 'AccessDenied');

  const { Credentials, AssumedRoleUser } = await sts(ALICE).send(
    new AssumeRoleCommand({ ...input, SerialNumber: MFA_DEVICE, TokenCode: '123456' }),
  );
  assert.match(Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
  assert.ok(Credentials?.SecretAccessKey && Credentials.SessionToken);
  assert.ok(Credentials.Expiration instanceof Date && Credentials.Expiration.getTime() > Date.now() + 3500_000);
  assert.equal(AssumedRoleUser?.Arn, 'arn:aws:sts::210987654321:assumed-role/Admin/alice');
  const session = {
    accessKeyId: Credentials.AccessKeyId!,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  };

  const who = await sts(session).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, '210987654321');
  assert.equal(who.Arn, 'arn:aws:sts::210987654321:assumed-role/Admin/alice');
  const cloudtrail = new CloudTrailClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: session, maxAttempts: 1 });
  const page = await cloudtrail.send(new LookupEventsCommand({ MaxResults: 5 }));
  assert.equal(page.Events?.length, 5);
  assert.equal(endpoint.stats.requests('210987654321', 'us-east-1').served.length, 1, 'counted for the role account');
  const withoutToken = new CloudTrailClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { ...session, sessionToken: 'forged' },
    maxAttempts: 1,
  });
  assert.equal((await refusal(withoutToken.send(new LookupEventsCommand({ MaxResults: 5 })))).name, 'UnrecognizedClientException');
});

test('a role without MFA is assumed by any principal; parameters are validated', async () => {
  const { Credentials } = await sts(ALICE).send(
    new AssumeRoleCommand({ RoleArn: itemAt(ROLES, 1).arn, RoleSessionName: 'ci', DurationSeconds: 900 }),
  );
  assert.ok(Credentials?.Expiration && Math.abs(Credentials.Expiration.getTime() - (Date.now() + 900_000)) < 5000);
  const tooLong = await refusal(
    sts(ALICE).send(new AssumeRoleCommand({ RoleArn: itemAt(ROLES, 1).arn, RoleSessionName: 'ci', DurationSeconds: 7200 })),
  );
  assert.equal(tooLong.name, 'ValidationError');
  const badName = await refusal(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: itemAt(ROLES, 1).arn, RoleSessionName: 'a b' })));
  assert.equal(badName.name, 'ValidationError');
});
