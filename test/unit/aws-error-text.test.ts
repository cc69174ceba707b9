// What a failed AWS call tells the person, when the server is hostile or the refusal unusual:
// the server's words quoted bounded (a page of text is not an error message) with control
// and bidi characters escaped; the STS call that failed named (a refused GetCallerIdentity is
// no failed AssumeRole); a credential_process command line never quoted; and no secret key
// or session token of the profile in any message, even when the server echoes the token back.
// The hostile server is a real HTTP server on loopback, called by the real SDK.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { parseWindow } from '../../src/engine/timeWindow';
import { AwsSession, resolveAccount } from '../../src/sources/aws/awsSession';
import { forgetCachedCredentials, resolveCredentials } from '../../src/sources/aws/credentials';
import { startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { LookupEventsSource } from '../../src/sources/lookup/lookupSource';
import { awsFolder, isolateProcessEnv } from '../support/awsConfigFolder';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';

isolateProcessEnv();
// Secrets of the profiles below; none may appear in any message.
const TOKENED = {
  accessKeyId: 'ASIATOKENEDPROFILE',
  secretAccessKey: 'tokened-secret-key-value',
  sessionToken: 'tokened-session-token-value',
};
const VPC: Principal = {
  accessKeyId: 'AKIDVPCDENIED',
  secretAccessKey: 'vpc-denied-secret-value',
  account: '111122223333',
  stsDenied: true,
};
const COMMAND_SECRET = 'cmdline-secret-token-value';
const SECRETS = [TOKENED.secretAccessKey, TOKENED.sessionToken, VPC.secretAccessKey, COMMAND_SECRET];
const ROLE = 'arn:aws:iam::210987654321:role/Admin';
/** What the hostile server says: long, with a terminal escape, a bidi override and a line break. */
const RANT = `\u001b[31mDenied\u202e by policy\nsee ${'x'.repeat(5000)}`;

let hostile: Server;
let hostileUrl: string;
let allowIdentity = false;
let endpoint: CloudTrailEndpoint;
before(async () => {
  hostile = createServer((request, response) => {
    answer(request)
      .then(({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      })
      // A mistake in this server must fail the test, not leave the SDK waiting for an answer.
      .catch((error: Error) => response.destroy(error));
  });
  await new Promise<void>((done) => hostile.listen(0, '127.0.0.1', done));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
  endpoint = await startCloudTrailEndpoint({ logsPath: stratusDir(), principals: [VPC], roles: [{ arn: ROLE }], rateLimit: 1000 });
});
after(async () => {
  await endpoint.close();
  hostile.closeAllConnections();
  await new Promise<void>((done) => hostile.close(() => done()));
});
beforeEach(() => forgetCachedCredentials());

/** Refuses every call, echoing the session token it was sent; answers GetCallerIdentity when allowed. */
async function answer(request: IncomingMessage): Promise<{ status: number; type: string; body: string }> {
  let form = '';
  for await (const chunk of request) form += String(chunk);
  const token = request.headers['x-amz-security-token'] ?? '';
  const echoed = `token=${token} ${RANT} ${token}`;
  const xml = (text: string) => text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  if (request.headers['x-amz-target'] === undefined) {
    if (allowIdentity && new URLSearchParams(form).get('Action') === 'GetCallerIdentity') {
      return {
        status: 200,
        type: 'text/xml',
        body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/x</Arn><UserId>AIDAX</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
      };
    }
    return {
      status: 403,
      type: 'text/xml',
      body: `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${xml(echoed)}</Message></Error></ErrorResponse>`,
    };
  }
  // The code in the body only: a header cannot carry U+202E.
  return { status: 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'Hostile\u202eException', message: echoed }) };
}

const folder = awsFolder(
  `[profile tokened]\nregion = us-east-1\n\n` +
    `[profile tokened-role]\nrole_arn = ${ROLE}\nsource_profile = tokened\n\n` +
    `[profile vpc]\nregion = us-east-1\n\n` +
    `[profile vpc-role]\nrole_arn = ${ROLE}\nsource_profile = vpc\n\n` +
    `[profile vault]\ncredential_process = /bin/sh -c "echo no key >&2; exit 4" --token ${COMMAND_SECRET}\n\n` +
    `[profile vault-missing]\ncredential_process = /nonexistent/vault-helper --token ${COMMAND_SECRET}\n`,
  `[tokened]\naws_access_key_id = ${TOKENED.accessKeyId}\naws_secret_access_key = ${TOKENED.secretAccessKey}\naws_session_token = ${TOKENED.sessionToken}\n\n` +
    `[vpc]\naws_access_key_id = ${VPC.accessKeyId}\naws_secret_access_key = ${VPC.secretAccessKey}\n`,
);

/** Every message checked the same way: bounded, nothing hidden or reordered, no secret. */
function shownSafely(message: string): string {
  assert.ok(message.length < 1000, `a bounded message, not ${message.length} characters`);
  assert.ok(
    !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(message),
    `controls and bidi characters escaped: ${JSON.stringify(message.slice(0, 200))}`,
  );
  for (const secret of SECRETS) assert.ok(!message.includes(secret), `a secret in: ${message.slice(0, 400)}`);
  return message;
}

const messageOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => assert.fail('expected an error'),
    (error: Error) => shownSafely(error.message),
  );

test('a hostile STS that refuses GetCallerIdentity and echoes the token: the call is named, its text bounded and escaped, the token gone', async () => {
  allowIdentity = false;
  const message = await messageOf(resolveAccount({ profile: 'tokened', env: folder.env, endpoint: hostileUrl }));
  assert.match(
    message,
    /^STS GetCallerIdentity was refused for profile tokened \(STS GetCallerIdentity: token=… \\u001B\[31mDenied\\u202E by policy\\u000Asee x+… \(\d+ more characters\)\): every principal may call it/,
  );
  assert.doesNotMatch(message, /assume/i);
});

test('a hostile STS refusing AssumeRole: AssumeRole and the role are named, the source profile’s token removed', async () => {
  allowIdentity = false;
  const message = await messageOf(resolveCredentials({ profile: 'tokened-role', env: folder.env, endpoint: hostileUrl }));
  assert.match(
    message,
    new RegExp(`^profile tokened-role may not assume ${ROLE.replace(/[/]/g, '\\/')}: STS AssumeRole: token=… \\\\u001B`),
  );
});

test('a hostile CloudTrail error: its code and text are quoted bounded and escaped, the session token removed', async () => {
  allowIdentity = true;
  const store = await openStore();
  const source = new LookupEventsSource(store, { regions: ['us-east-1'], credentials: TOKENED, endpoint: hostileUrl });
  const message = await messageOf(
    source.prepare(parseWindow('1h'), "SELECT eventName FROM cloudtrail_logs WHERE eventName = 'StopLogging'"),
  );
  assert.match(message, /^LookupEvents failed: Hostile\\u202EException: token=… \\u001B\[31mDenied/);
});

test('GetCallerIdentity refused by the local endpoint (an STS VPC endpoint policy) is reported as GetCallerIdentity, not as AssumeRole', async () => {
  const identity = await messageOf(resolveAccount({ profile: 'vpc', env: folder.env, endpoint: endpoint.url }));
  assert.match(
    identity,
    /^STS GetCallerIdentity was refused for profile vpc \(STS GetCallerIdentity: User: arn:aws:iam::111122223333:user\/AKIDVPCDENIED is not authorized to perform: sts:GetCallerIdentity/,
  );
  assert.doesNotMatch(identity, /assume/i);
  const assume = await messageOf(resolveCredentials({ profile: 'vpc-role', env: folder.env, endpoint: endpoint.url }));
  assert.match(
    assume,
    new RegExp(`^profile vpc-role may not assume ${ROLE.replace(/[/]/g, '\\/')}: STS AssumeRole: User: .* sts:AssumeRole`),
  );
});

test('a failing credential_process is named by its profile: neither its command line nor the token in it is quoted', async () => {
  const failed = await messageOf(resolveCredentials({ profile: 'vault', env: folder.env }));
  assert.match(failed, /^the credential_process of profile vault exited with status 4: no key\. Run the command in a terminal/);
  assert.doesNotMatch(failed, /bin\/sh|--token/);
  const missing = await messageOf(resolveCredentials({ profile: 'vault-missing', env: folder.env }));
  // The shell's "not found" names the program: that part of the command line is left out too.
  assert.match(
    missing,
    /^the credential_process of profile vault-missing exited with status 127: .*not found\. Run the command in a terminal/,
  );
  assert.doesNotMatch(missing, /vault-helper|--token/);
});

test('the session a source holds never shows its keys in an error, whatever path failed', async () => {
  allowIdentity = false;
  const session = new AwsSession({ credentials: TOKENED, endpoint: hostileUrl });
  await messageOf(session.identity());
  // Messages built elsewhere from what a server said go through the session's redaction too.
  assert.equal(session.redact(`echo ${TOKENED.sessionToken} and ${TOKENED.secretAccessKey}`), 'echo … and …');
});
