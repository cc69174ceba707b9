// The notifiers against real HTTP receivers on loopback: what Slack, PagerDuty and a webhook
// consumer receive, that a log field cannot ping anyone, that the webhook signature verifies
// by the Standard Webhooks rules (checked here by code of the test's own), and how 429, 5xx
// and other answers are retried or not.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { AlertNotice } from '../../src/app/notify/alertNotice';
import { post, retryAfterMs } from '../../src/app/notify/delivery';
import { messagesFor, sendMessage } from '../../src/app/notify/notifier';
import { parseNotifyConfig, type NotifierConfig } from '../../src/app/notify/notifyConfig';
import { Secrets } from '../../src/app/notify/secretRef';
import { slackEscape } from '../../src/app/notify/slack';
import { startReceiver, type Receiver } from '../support/receiver';
import { itemAt } from '../support/itemAt';

const FAST = { attempts: 4, backoffMs: 20, maxDelayMs: 200 };
const NOW = new Date('2026-12-06T03:00:00Z');
// Short enough for the table's column (60 characters), so the whole value is in the message.
const HOSTILE_ACTOR = 'user/<!channel> <@U024BE7LH> <!here|x> <https://e.x|go> &';

function notice(overrides: Partial<AlertNotice> = {}): AlertNotice {
  return {
    action: 'trigger',
    alertId: '0123456789abcdef0123456789abcdef',
    runbook: 'runbooks/cloudtrail-tampering.md',
    title: 'CloudTrail and log tampering',
    cell: 'trail-changes',
    heading: 'Detect',
    line: 15,
    severity: 'critical',
    key: 'ev-1',
    window: { start: '2026-12-06T02:00:00.000Z', end: '2026-12-06T02:55:00.000Z' },
    columns: ['eventID', 'actor', 'trail'],
    rows: [['ev-1', HOSTILE_ACTOR, 'main']],
    rowCount: 1,
    link: 'https://github.com/acme/runbooks/blob/main/runbooks/cloudtrail-tampering.md#L15',
    ...overrides,
  };
}

/** Every string in a JSON value, wherever it is. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Standard Webhooks verification, written from the specification, not from the sender's code. */
function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds: number,
): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = Number(headers['webhook-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(Buffer.from(`${id}.${timestamp}.${body}`, 'utf8'))
    .digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((part) => {
      const [version, signature] = part.split(',');
      if (version !== 'v1' || signature === undefined) return false;
      const given = Buffer.from(signature, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

let slack: Receiver;
let pagerDuty: Receiver;
let webhook: Receiver;
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const SLACK_PATH = '/services/T000/B000/XXXXSLACKTOKENXXXX';
const env = process.env;

before(async () => {
  slack = await startReceiver(SLACK_PATH);
  pagerDuty = await startReceiver('/v2/enqueue');
  webhook = await startReceiver('/hooks/trailbook');
  env.TEST_SLACK_URL = slack.url;
  env.TEST_PD_KEY = ROUTING_KEY;
  env.TEST_WEBHOOK_SECRET = WEBHOOK_SECRET;
});
after(async () => {
  await Promise.all([slack.close(), pagerDuty.close(), webhook.close()]);
});

function configs(): Record<'slack' | 'pagerduty' | 'webhook', NotifierConfig> {
  const config = parseNotifyConfig(
    `notifiers:
  chat: {type: slack, url: {env: TEST_SLACK_URL}}
  oncall: {type: pagerduty, routingKey: {env: TEST_PD_KEY}, url: "${pagerDuty.url}"}
  siem: {type: webhook, url: "${webhook.url}", secret: {env: TEST_WEBHOOK_SECRET}}
`,
    'trailbook.notify.yaml',
  );
  return { slack: config.notifiers.get('chat')!, pagerduty: config.notifiers.get('oncall')!, webhook: config.notifiers.get('siem')! };
}

test('Slack gets one message in blocks per group, and a log field cannot mention or link anyone', async () => {
  const config = configs().slack;
  const messages = messagesFor(
    config,
    [notice(), notice({ alertId: 'ffff', key: 'ev-2', rows: [['ev-2', 'arn:aws:iam::111122223333:user/bob', 'main']] })],
    NOW,
  );
  assert.equal(messages.length, 1, 'two findings of one cell are one message');
  const result = await sendMessage(config, itemAt(messages, 0), new Secrets(), FAST, NOW);
  assert.deepEqual(result, { ok: true, status: 200, attempts: 1 });
  const received = slack.requests.at(-1)!;
  assert.equal(received.path, SLACK_PATH);
  assert.equal(received.headers['content-type'], 'application/json');
  const payload = received.json;
  assert.match(payload.text, /2 new findings in trail-changes \(critical\)/);
  assert.ok(Array.isArray(payload.blocks) && payload.blocks.length >= 3);
  for (const block of payload.blocks) assert.ok(['section', 'context'].includes(block.type), block.type);
  const all = strings(payload).join('\n');
  assert.match(all, /user\/&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;!here\|x&gt; &lt;https:\/\/e\.x\|go&gt; &amp;/);
  // The only Slack syntax in the message is the runbook link trailbook built.
  const syntax = all.match(/<[^>]*>/g) ?? [];
  assert.deepEqual(syntax, [
    '<https://github.com/acme/runbooks/blob/main/runbooks/cloudtrail-tampering.md#L15|runbooks/cloudtrail-tampering.md:15>',
  ]);
  assert.match(all, /2026-12-06T02:00:00\.000Z → 2026-12-06T02:55:00\.000Z/);
});

test('slackEscape escapes exactly &, < and >', () => {
  assert.equal(slackEscape('<!channel> & <@U1> "q" \'a\''), '&lt;!channel&gt; &amp; &lt;@U1&gt; "q" \'a\'');
});

test("PagerDuty: a trigger per finding with the routing key, dedup_key and the cell's severity; a resolve with the same key", async () => {
  const config = configs().pagerduty;
  const [trigger] = messagesFor(config, [notice()], NOW);
  assert.equal(trigger!.payload.routing_key, undefined, 'the printable payload holds no routing key');
  assert.equal((await sendMessage(config, trigger!, new Secrets(), FAST, NOW)).ok, true);
  const sent = pagerDuty.requests.at(-1)!.json;
  assert.equal(sent.routing_key, ROUTING_KEY);
  assert.equal(sent.event_action, 'trigger');
  assert.equal(sent.dedup_key, 'trailbook-0123456789abcdef0123456789abcdef');
  assert.equal(sent.payload.severity, 'critical');
  assert.equal(sent.payload.source, 'trailbook');
  assert.match(sent.payload.summary, /^CloudTrail and log tampering: trail-changes found ev-1$/);
  assert.equal(sent.payload.custom_details.rows[0].actor, HOSTILE_ACTOR);
  assert.deepEqual(sent.links, [{ href: notice().link, text: 'runbooks/cloudtrail-tampering.md:15' }]);

  const [resolve] = messagesFor(config, [notice({ action: 'resolve' })], NOW);
  assert.equal((await sendMessage(config, resolve!, new Secrets(), FAST, NOW)).ok, true);
  assert.deepEqual(pagerDuty.requests.at(-1)!.json, {
    routing_key: ROUTING_KEY,
    event_action: 'resolve',
    dedup_key: 'trailbook-0123456789abcdef0123456789abcdef',
  });
});

test('the webhook is signed as Standard Webhooks say: an independent verifier accepts it, and refuses it altered', async () => {
  const config = configs().webhook;
  const [message] = messagesFor(config, [notice()], NOW);
  assert.equal((await sendMessage(config, message!, new Secrets(), FAST, NOW)).ok, true);
  const received = webhook.requests.at(-1)!;
  assert.equal(received.headers['webhook-id'], 'msg_0123456789abcdef0123456789abcdef_trigger');
  assert.equal(received.headers['webhook-timestamp'], String(NOW.getTime() / 1000));
  assert.match(String(received.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
  const nowSeconds = NOW.getTime() / 1000;
  assert.equal(verifyStandardWebhook(WEBHOOK_SECRET, received.headers, received.body, nowSeconds), true);
  assert.equal(verifyStandardWebhook(WEBHOOK_SECRET, received.headers, received.body.replace('ev-1', 'ev-9'), nowSeconds), false);
  assert.equal(verifyStandardWebhook(`whsec_${randomBytes(32).toString('base64')}`, received.headers, received.body, nowSeconds), false);
  assert.equal(received.json.type, 'trailbook.finding.triggered');
  assert.equal(received.json.data.key, 'ev-1');
  assert.equal(received.json.data.rows[0].actor, HOSTILE_ACTOR);
  assert.ok(!received.body.includes(WEBHOOK_SECRET.slice(6)), 'the secret is not in the body');
});

test('429 and 500 are retried until the receiver answers, honouring Retry-After', async () => {
  const flaky = await startReceiver();
  try {
    flaky.answer = (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '0' } } : n < 3 ? { status: 500 } : { status: 202 });
    const result = await post({ url: flaky.url, headers: {}, body: '{}' }, FAST, new Secrets());
    assert.deepEqual(result, { ok: true, status: 202, attempts: 4 });
    assert.equal(flaky.requests.length, 4);
    assert.ok(
      flaky.requests.every((r) => r.body === '{}'),
      'each retry sends the same body',
    );
  } finally {
    await flaky.close();
  }
});

test('a receiver that keeps failing is given up on after the bound, and the reason says so', async () => {
  const down = await startReceiver();
  try {
    down.answer = () => ({ status: 503, body: 'maintenance' });
    const result = await post({ url: down.url, headers: {}, body: '{}' }, FAST, new Secrets());
    assert.deepEqual(result, { ok: false, reason: 'HTTP 503 (maintenance) after 4 attempts', attempts: 4 });
    assert.equal(down.requests.length, 4);
  } finally {
    await down.close();
  }
});

test('a 4xx other than 429 is final: not retried, and a secret the receiver echoes is scrubbed', async () => {
  const strict = await startReceiver();
  try {
    strict.answer = (_, request) => ({ status: 400, body: `invalid routing key ${request.json.routing_key}` });
    const secrets = new Secrets();
    secrets.add('SECRETKEY12345');
    const result = await post({ url: strict.url, headers: {}, body: JSON.stringify({ routing_key: 'SECRETKEY12345' }) }, FAST, secrets);
    assert.deepEqual(result, { ok: false, reason: 'HTTP 400 (invalid routing key ***), not retried', attempts: 1 });
    assert.equal(strict.requests.length, 1);
  } finally {
    await strict.close();
  }
});

test('a receiver that cannot be reached is reported without its URL', async () => {
  const gone = await startReceiver('/secret-path-token');
  const url = gone.url;
  await gone.close();
  const result = await post({ url, headers: {}, body: '{}' }, { attempts: 2, backoffMs: 1, maxDelayMs: 5 }, new Secrets());
  assert.equal(result.ok, false);
  assert.match((result as { reason: string }).reason, /^connection failed \(ECONNREFUSED\) after 2 attempts$/);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('7'), 7000);
  assert.equal(retryAfterMs('Sun, 06 Dec 2026 03:00:10 GMT', Date.parse('2026-12-06T03:00:00Z')), 10_000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(null), undefined);
});

test('trailbook.notify.yaml names secrets and refuses one written in it, naming the field', () => {
  assert.throws(
    () => parseNotifyConfig('notifiers:\n  chat: {type: slack, url: "https://hooks.slack.com/services/T/B/x"}\n', 'n.yaml'),
    /n\.yaml: notifiers\.chat\.url: a Slack webhook URL is a secret: name it with \{env: VARIABLE\} or \{file: PATH\}/,
  );
  assert.throws(
    () => parseNotifyConfig('notifiers:\n  pd: {type: pagerduty, routingKey: abc}\n', 'n.yaml'),
    /notifiers\.pd\.routingKey: a PagerDuty routing key is a secret/,
  );
  assert.throws(
    () => parseNotifyConfig('notifiers:\n  hook: {type: webhook, url: "http://example.com/x", secret: {env: S}}\n', 'n.yaml'),
    /notifiers\.hook\.url: give an https:\/\/ URL \(plain http only to 127\.0\.0\.1 or localhost\)/,
  );
  assert.throws(
    () => parseNotifyConfig('notifiers:\n  x: {type: email}\n', 'n.yaml'),
    /notifiers\.x\.type: use slack, pagerduty or webhook/,
  );
  // A name Object.prototype holds is an unknown type too, not a crash.
  assert.throws(
    () => parseNotifyConfig('notifiers:\n  x: {type: toString}\n', 'n.yaml'),
    /notifiers\.x\.type: use slack, pagerduty or webhook/,
  );
  assert.throws(
    () => parseNotifyConfig('notifiers:\n  x: {type: slack, url: {env: A}, channel: "#sec"}\n', 'n.yaml'),
    /notifiers\.x\.channel: unknown field for slack/,
  );
  assert.throws(
    () => parseNotifyConfig('link: "https://github.com/a/b/blob/main|x"\nnotifiers: {}\n', 'n.yaml'),
    /n\.yaml: link: the URL may not hold \|, <, > or spaces/,
  );
  const ok = parseNotifyConfig(
    'link: https://github.com/acme/rb/blob/main/\nretry: {attempts: 3, backoff: 250ms}\nnotifiers:\n  pd: {type: pagerduty, routingKey: {file: /run/secrets/pd}}\n',
    'n.yaml',
  );
  assert.equal(ok.link, 'https://github.com/acme/rb/blob/main');
  assert.deepEqual(ok.retry, { attempts: 3, backoffMs: 250, maxDelayMs: 60_000 });
  assert.deepEqual(ok.notifiers.get('pd'), {
    name: 'pd',
    type: 'pagerduty',
    routingKey: { file: '/run/secrets/pd' },
    url: 'https://events.pagerduty.com/v2/enqueue',
  });
});

test('a secret that is not set is a failed delivery naming the variable, not its value', async () => {
  delete env.TEST_MISSING;
  const config = parseNotifyConfig('notifiers:\n  chat: {type: slack, url: {env: TEST_MISSING}}\n', 'n.yaml').notifiers.get('chat')!;
  const [message] = messagesFor(config, [notice()], NOW);
  assert.deepEqual(await sendMessage(config, message!, new Secrets(), FAST, NOW), {
    ok: false,
    reason: 'environment variable TEST_MISSING is not set',
    attempts: 0,
  });
});

test('a secret URL that is not https is refused when sending, without showing it', async () => {
  env.TEST_PLAIN_URL = 'http://hooks.example.com/services/T/B/plainsecret';
  const config = parseNotifyConfig('notifiers:\n  chat: {type: slack, url: {env: TEST_PLAIN_URL}}\n', 'n.yaml').notifiers.get('chat')!;
  const [message] = messagesFor(config, [notice()], NOW);
  const result = await sendMessage(config, message!, new Secrets(), FAST, NOW);
  assert.deepEqual(result, {
    ok: false,
    reason: 'the URL in environment variable TEST_PLAIN_URL must be https:// (plain http only to 127.0.0.1 or localhost)',
    attempts: 0,
  });
});
