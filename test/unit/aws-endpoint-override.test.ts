// The endpoint override (`--endpoint`, `trailbook.endpoint`) decides where signed requests
// and session tokens go. One rule, in one function: https, or http to 127.0.0.1, [::1] or
// localhost written as such; STS only to a loopback override. Tried on the function, then
// with a real listener on loopback that the refused spellings of loopback would reach if they
// were let through (0x7f000001, 127.1, [::ffff:127.0.0.1], user@127.0.0.1): it must see no
// connection from GetCallerIdentity, the session, the credential resolver, the LookupEvents
// source or the CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { AwsSession } from '../../src/sources/aws/awsSession';
import { getCallerIdentity } from '../../src/sources/aws/callerIdentity';
import { forgetCachedCredentials, resolveCredentials } from '../../src/sources/aws/credentials';
import { checkEndpointOverride, EndpointOverrideError, stsEndpointFor } from '../../src/sources/aws/endpointOverride';
import { LookupEventsSource } from '../../src/sources/lookup/lookupSource';
import { awsFolder, isolateProcessEnv } from '../support/awsConfigFolder';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

isolateProcessEnv();
const ROOT = resolve(__dirname, '../..');
const KEY = {
  accessKeyId: 'AKIDOVERRIDE',
  secretAccessKey: 'override-secret-value-0123456789',
  sessionToken: 'override-session-token-0123456789',
};

let listener: Server;
let port: number;
let connections = 0;
before(async () => {
  // Counts connections and answers none: any request that reaches it has already leaked.
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
  port = (listener.address() as { port: number }).port;
});
after(() => new Promise<void>((done) => listener.close(() => done())));

test('accepted: https anywhere, http to loopback names; STS follows only a loopback override', () => {
  const accepted: Array<[string, string | undefined]> = [
    ['http://127.0.0.1:4599', 'http://127.0.0.1:4599'],
    ['http://localhost:4599/', 'http://localhost:4599/'],
    ['HTTP://LOCALHOST:4599', 'HTTP://LOCALHOST:4599'],
    ['http://[::1]:4599', 'http://[::1]:4599'],
    ['https://127.0.0.1:8443', 'https://127.0.0.1:8443'],
    [' http://127.0.0.1:4599 ', 'http://127.0.0.1:4599'],
    ['https://cloudtrail.example.internal', undefined],
    ['https://vpce-0abc.cloudtrail.us-east-1.vpce.amazonaws.com:443/', undefined],
  ];
  for (const [value, sts] of accepted) {
    const checked = checkEndpointOverride(value);
    assert.equal(checked.cloudTrail, value.trim());
    assert.equal(checked.sts, sts, value);
    assert.equal(checked.loopback, sts !== undefined, value);
    assert.equal(stsEndpointFor(value), sts);
  }
  assert.equal(stsEndpointFor(undefined), undefined);
});

test('refused: plain http elsewhere, look-alikes of loopback, other spellings of it, user info; each message names the value and the fix', () => {
  const refused: Array<[string, RegExp]> = [
    ['http://cloudtrail.example.com', /plain http is allowed only to this machine .*Use https:\/\//],
    ['http://127.0.0.1.evil.com:4599', /plain http is allowed only to this machine/],
    ['http://localhost.example:4599', /plain http is allowed only to this machine/],
    ['http://127.0.0.2:4599', /plain http is allowed only to this machine/],
    ['http://[::ffff:127.0.0.1]:4599', /plain http is allowed only to this machine/],
    ['http://0x7f000001:4599', /write the host as 127\.0\.0\.1:4599/],
    ['http://127.1:4599', /write the host as 127\.0\.0\.1:4599/],
    ['https://2130706433', /write the host as 127\.0\.0\.1/],
    ['http://127.0.0.1@evil.com', /must not carry a user name or password/],
    ['http://127.0.0.1:4599@evil.com', /must not carry a user name or password/],
    ['http://127.0.0.1\\@evil.com', /write the host as 127\.0\.0\.1/],
    ['ftp://127.0.0.1', /must be an https:\/\/ URL/],
    ['127.0.0.1:4599', /must be an https:\/\/ URL|is not a URL/],
    ['http://127.0.0.1:4599/?x=1', /must not carry a query/],
    ['http://127.0.0.1:4599/\u202e', /printable ASCII/],
    ['', /is empty/],
  ];
  for (const [value, why] of refused) {
    assert.throws(
      () => checkEndpointOverride(value, '--endpoint'),
      (error: Error) => {
        assert.ok(error instanceof EndpointOverrideError, value);
        assert.match(error.message, why, value);
        assert.ok(error.message.startsWith('--endpoint '), error.message);
        assert.ok(!/[\u0000-\u001f\u202e]/.test(error.message), `shown escaped: ${error.message}`);
        return true;
      },
    );
  }
  // The value is named, but a password in it is not.
  assert.throws(
    () => checkEndpointOverride('http://admin:hunter2-password@127.0.0.1:4599'),
    (error: Error) => {
      assert.match(error.message, /^the endpoint override http:\/\/…@127\.0\.0\.1:4599: must not carry/);
      assert.ok(!error.message.includes('hunter2'));
      return true;
    },
  );
});

test('a refused override sends nothing: no connection from the session, AssumeRole, the LookupEvents source or trailbook run', async () => {
  const folder = awsFolder(
    `[profile base]\nregion = us-east-1\n\n[profile role]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = base\n`,
    `[base]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
  );
  const store = await openStore();
  // Every one of these reaches the listener on 127.0.0.1:PORT if let through (the last two if DNS resolves them there).
  const forms = [
    `http://[::ffff:127.0.0.1]:${port}`,
    `http://0x7f000001:${port}`,
    `http://127.1:${port}`,
    `http://2130706433:${port}`,
    `http://user@127.0.0.1:${port}`,
    `http://127.0.0.1:${port}\\@evil.example`,
    `http://localhost.example:${port}`,
    `http://127.0.0.1.nip.io:${port}`,
  ];
  for (const endpoint of forms) {
    forgetCachedCredentials();
    assert.throws(() => new AwsSession({ credentials: KEY, endpoint }), EndpointOverrideError, endpoint);
    await assert.rejects(getCallerIdentity({ credentials: KEY, endpoint }), EndpointOverrideError, endpoint);
    await assert.rejects(resolveCredentials({ profile: 'role', env: folder.env, endpoint }), EndpointOverrideError, endpoint);
    assert.throws(
      () => new LookupEventsSource(store, { regions: ['us-east-1'], credentials: KEY, endpoint }),
      EndpointOverrideError,
      endpoint,
    );
  }
  const cli = await trailbook([
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--source',
    'lookup',
    '--region',
    'us-east-1',
    '--endpoint',
    itemAt(forms, 0),
  ]);
  assert.equal(cli.status, 2);
  assert.match(
    cli.stderr,
    new RegExp(`--endpoint http://\\[::ffff:127\\.0\\.0\\.1\\]:${port}: plain http is allowed only to this machine`),
  );
  assert.equal(connections, 0, 'a refused override reached the listener');

  // The listener does see what is let through: the same session, on a loopback name.
  await assert.rejects(new AwsSession({ credentials: KEY, endpoint: `http://127.0.0.1:${port}` }).identity());
  assert.ok(connections > 0, 'the listener counts connections');
});

test('an https override elsewhere keeps STS at AWS: GetCallerIdentity does not go to the override', async () => {
  const before = connections;
  // Were STS sent to the override, it would go to this listener (if the name resolved to it);
  // it goes to AWS's regional STS instead: offline, a failed look-up of that name; online, AWS refusing the test key.
  const error = await new AwsSession({ credentials: KEY, endpoint: `https://127.0.0.1.nip.io:${port}`, region: 'eu-west-1' })
    .identity(AbortSignal.timeout(15_000))
    .then(
      () => assert.fail('expected an error'),
      (e: Error) => e,
    );
  assert.match(
    `${error.name} ${error.message}`,
    /sts\.eu-west-1\.amazonaws\.com|does not recognise the access key|AbortError|TimeoutError/,
  );
  assert.doesNotMatch(error.message, /nip\.io/);
  assert.equal(connections, before);
});

function trailbook(args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: tempDir(),
        AWS_ACCESS_KEY_ID: KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status: status ?? -1, stderr }));
  });
}
