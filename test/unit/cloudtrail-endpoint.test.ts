// The local CloudTrail endpoint against the real AWS SDK over real HTTP: if the SDK can
// page, filter, sign and fail against it exactly as against AWS, the LookupEvents backend
// can be tested here without an account. Data: the Stratus Red Team detonation logs.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput, type Event } from '@aws-sdk/client-cloudtrail';
import { busiestSecond, startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { parseServeArgs } from '../../src/cli/serveCommand';
import { UsageError } from '../../src/cli/usageError';
import { stratusDir } from '../support/datasets';
import { itemAt } from '../support/itemAt';

const dir = stratusDir();
const records: Array<Record<string, unknown>> = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Array<Record<string, unknown>>);

const ANALYST: Principal = { accessKeyId: 'AKIDANALYST', secretAccessKey: 'analyst-secret', account: '111111111111' };
const PRINCIPALS: Principal[] = [
  ANALYST,
  { accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret', sessionToken: 'expired-token', account: '222222222222', expired: true },
  { accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret', account: '333333333333', denied: true },
  { accessKeyId: 'AKIDBUSY', secretAccessKey: 'busy-secret', account: '444444444444' },
];

// Functional tests page a lot, so their endpoint's limit is raised; the throttling test
// has its own endpoint with AWS's 2 a second.
let endpoint: CloudTrailEndpoint;
let paced: CloudTrailEndpoint;
before(async () => {
  [endpoint, paced] = await Promise.all([
    startCloudTrailEndpoint({ logsPath: dir, principals: PRINCIPALS, rateLimit: 1000 }),
    startCloudTrailEndpoint({ logsPath: dir, principals: PRINCIPALS }),
  ]);
});
after(async () => {
  await Promise.all([endpoint?.close(), paced?.close()]);
});

function client(
  url: string,
  key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = 'us-east-1',
): CloudTrailClient {
  return new CloudTrailClient({ endpoint: url, region, credentials: key, maxAttempts: 1 });
}

async function lookupAll(input: LookupEventsCommandInput = {}): Promise<Event[][]> {
  const sdk = client(endpoint.url, ANALYST);
  const pages: Event[][] = [];
  let token: string | undefined;
  do {
    const page = await sdk.send(new LookupEventsCommand({ ...input, ...(token ? { NextToken: token } : {}) }));
    pages.push(page.Events ?? []);
    token = page.NextToken;
  } while (token);
  return pages;
}

test('paging through everything returns every event once, newest first, at most 50 a page', async () => {
  const pages = await lookupAll();
  assert.ok(pages.every((page) => page.length <= 50));
  assert.equal(pages.length, Math.ceil(records.length / 50));
  const events = pages.flat();
  const ids = events.map((e) => e.EventId);
  assert.equal(new Set(ids).size, events.length);
  assert.deepEqual([...ids].sort(), records.map((r) => r.eventID as string).sort());
  const times = events.map((e) => e.EventTime!.getTime());
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
  );

  // Each event's summary fields and CloudTrailEvent say what its record says.
  const byId = new Map(records.map((r) => [r.eventID, r]));
  for (const event of events) {
    const record = byId.get(event.EventId)!;
    const json = JSON.parse(event.CloudTrailEvent!) as Record<string, unknown>;
    assert.equal(event.EventName, record.eventName);
    assert.equal(event.EventSource, record.eventSource);
    assert.equal(event.EventTime!.getTime(), Date.parse(record.eventTime as string));
    assert.equal(event.ReadOnly, String(record.readOnly));
    assert.deepEqual(json.requestParameters ?? null, record.requestParameters ?? null);
    assert.deepEqual(json.userIdentity, record.userIdentity);
    assert.equal(json.readOnly, record.readOnly);
  }
});

test('a lookup by EventName returns exactly the events of that name', async () => {
  const name = 'GetSecretValue';
  const expected = records.filter((r) => r.eventName === name).map((r) => r.eventID as string);
  assert.ok(expected.length > 0, `the dataset has ${name} events`);
  const got = (await lookupAll({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] })).flat();
  assert.deepEqual(got.map((e) => e.EventId).sort(), expected.sort());
  // Exact and case-sensitive, as AWS matches.
  const lower = (await lookupAll({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name.toLowerCase() }] })).flat();
  assert.equal(lower.length, 0);
});

test('Username is the user name of an IAM user and the session name of an assumed role', async () => {
  const role = records.find((r) => (r.userIdentity as { type?: string }).type === 'AssumedRole')!;
  const arn = (role.userIdentity as { arn: string }).arn;
  const session = arn.slice(arn.lastIndexOf('/') + 1);
  const expected = records
    .filter((r) => {
      const identity = r.userIdentity as { type?: string; arn?: string; userName?: string };
      return identity.userName === session || (identity.type === 'AssumedRole' && identity.arn?.endsWith(`/${session}`));
    })
    .map((r) => r.eventID as string);
  assert.ok(expected.length > 0);
  const got = (await lookupAll({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: session }] })).flat();
  assert.deepEqual(got.map((e) => e.EventId).sort(), expected.sort());
  // A federated user is looked up by the name in its federated-user ARN.
  const federated = records.filter((r) => (r.userIdentity as { type?: string }).type === 'FederatedUser').map((r) => r.eventID);
  const byName = (await lookupAll({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'stratus_red_team' }] })).flat();
  assert.deepEqual(
    byName.map((e) => e.EventId),
    federated,
  );
});

test('a NextToken used with other parameters is refused', async () => {
  const sdk = client(endpoint.url, ANALYST);
  const first = await sdk.send(new LookupEventsCommand({ MaxResults: 5 }));
  assert.ok(first.NextToken);
  // The same parameters continue; a changed attribute, time range or region does not.
  const second = await sdk.send(new LookupEventsCommand({ MaxResults: 5, NextToken: first.NextToken }));
  assert.notEqual(itemAt(second.Events!, 0).EventId, itemAt(first.Events!, 0).EventId);
  await assert.rejects(
    sdk.send(
      new LookupEventsCommand({
        NextToken: first.NextToken,
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopLogging' }],
      }),
    ),
    { name: 'InvalidNextTokenException' },
  );
  await assert.rejects(sdk.send(new LookupEventsCommand({ NextToken: first.NextToken, StartTime: new Date('2024-01-01T00:00:00Z') })), {
    name: 'InvalidNextTokenException',
  });
  await assert.rejects(client(endpoint.url, ANALYST, 'eu-west-1').send(new LookupEventsCommand({ NextToken: first.NextToken })), {
    name: 'InvalidNextTokenException',
  });
  await assert.rejects(sdk.send(new LookupEventsCommand({ NextToken: 'bm90IGEgdG9rZW4=' })), { name: 'InvalidNextTokenException' });
});

test('invalid parameters get the exceptions LookupEvents documents', async () => {
  const sdk = client(endpoint.url, ANALYST);
  const two = [
    { AttributeKey: 'EventName' as const, AttributeValue: 'StopLogging' },
    { AttributeKey: 'ReadOnly' as const, AttributeValue: 'false' },
  ];
  await assert.rejects(sdk.send(new LookupEventsCommand({ LookupAttributes: two })), { name: 'InvalidLookupAttributesException' });
  await assert.rejects(
    sdk.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'eventName' as 'EventName', AttributeValue: 'x' }] })),
    {
      name: 'InvalidLookupAttributesException',
    },
  );
  await assert.rejects(
    sdk.send(new LookupEventsCommand({ StartTime: new Date('2024-08-01T00:00:00Z'), EndTime: new Date('2024-07-01T00:00:00Z') })),
    { name: 'InvalidTimeRangeException' },
  );
  await assert.rejects(sdk.send(new LookupEventsCommand({ MaxResults: 51 })), { name: 'InvalidMaxResultsException' });
});

test('a time range keeps the events inside it, ends included', async () => {
  const times = records.map((r) => Date.parse(r.eventTime as string)).sort((a, b) => a - b);
  const start = itemAt(times, 100);
  const end = itemAt(times, 200);
  const expected = records.filter((r) => Date.parse(r.eventTime as string) >= start && Date.parse(r.eventTime as string) <= end).length;
  const got = (await lookupAll({ StartTime: new Date(start), EndTime: new Date(end) })).flat();
  assert.equal(got.length, expected);
});

test('credentials are checked on every request: signature, key, expiry, permission', async () => {
  const send = (key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<unknown> =>
    client(endpoint.url, key).send(new LookupEventsCommand({}));
  await assert.rejects(send({ accessKeyId: ANALYST.accessKeyId, secretAccessKey: 'not-the-secret' }), {
    name: 'InvalidSignatureException',
  });
  await assert.rejects(send({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'whatever' }), { name: 'UnrecognizedClientException' });
  await assert.rejects(send({ accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret', sessionToken: 'expired-token' }), {
    name: 'ExpiredTokenException',
  });
  await assert.rejects(send({ accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret' }), { name: 'AccessDeniedException' });
});

test('more than 2 requests a second are throttled, and no second serves more than 2', async () => {
  const sdk = client(paced.url, { accessKeyId: 'AKIDBUSY', secretAccessKey: 'busy-secret' });
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => sdk.send(new LookupEventsCommand({ MaxResults: 1 }))));
  const throttled = results.filter((r) => r.status === 'rejected' && (r.reason as Error).name === 'ThrottlingException');
  assert.ok(throttled.length >= 1, 'at least one request is throttled');
  assert.equal(results.length - throttled.length, results.filter((r) => r.status === 'fulfilled').length);
  const log = paced.stats.requests('444444444444', 'us-east-1');
  assert.equal(log.served.length + log.throttled, 5);
  assert.ok(busiestSecond(log.served) <= 2, `served ${busiestSecond(log.served)} in one second`);
  // Another region of the same account has its own allowance.
  await client(paced.url, { accessKeyId: 'AKIDBUSY', secretAccessKey: 'busy-secret' }, 'eu-west-1').send(
    new LookupEventsCommand({ MaxResults: 1 }),
  );
});

test('a request signed more than five minutes away from the server clock is refused', async () => {
  const skewed = new CloudTrailClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: ANALYST,
    maxAttempts: 1,
    systemClockOffset: -10 * 60 * 1000,
  });
  await assert.rejects(skewed.send(new LookupEventsCommand({})), { name: 'InvalidSignatureException', message: /Signature expired/ });
});

test('serve-cloudtrail needs --logs and a valid port', () => {
  assert.deepEqual(parseServeArgs(['--logs', dir]), { logs: dir, port: 0, json: false, accounts: false });
  assert.deepEqual(parseServeArgs(['--logs', dir, '--port', '4599', '--json', '--accounts']), {
    logs: dir,
    port: 4599,
    json: true,
    accounts: true,
  });
  assert.throws(() => parseServeArgs([]), UsageError);
  assert.throws(() => parseServeArgs(['--logs', dir, '--port', 'http']), UsageError);
});
