// `trailbook check` as cron, a CI schedule or a container runs it: a real process, real
// DuckDB over CloudTrail files the test writes (events relative to now, more delivered
// between runs), and real HTTP receivers on loopback for Slack, PagerDuty and a webhook.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { startCloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { startReceiver, type Receiver } from '../support/receiver';
import { tempDir } from '../support/tempDir';
import { deliverLogFile, trailEvent } from '../support/trailEvents';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
// The child runs in a scratch folder (its trailbook.notify.yaml), so tsx is named by its path.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
// Copied into each workspace and named relative to it, as a repository's checkout names them.
const TRAIL = 'trail-stopped.md';
const BY_ACTOR = 'by-actor.md';
const SLACK_TOKEN = `XSLACK${randomBytes(12).toString('hex')}`;
const ROUTING_KEY = `RK${randomBytes(16).toString('hex')}`;
const WEBHOOK_KEY = randomBytes(32).toString('base64');
const WEBHOOK_SECRET = `whsec_${WEBHOOK_KEY}`;
const SECRETS = [SLACK_TOKEN, ROUTING_KEY, WEBHOOK_KEY];

let slack: Receiver;
let pagerDuty: Receiver;
let webhook: Receiver;

before(async () => {
  slack = await startReceiver(`/services/T1/B1/${SLACK_TOKEN}`);
  pagerDuty = await startReceiver('/v2/enqueue');
  webhook = await startReceiver('/hooks');
});
after(async () => {
  await Promise.all([slack.close(), pagerDuty.close(), webhook.close()]);
});

function reset(): void {
  for (const r of [slack, pagerDuty, webhook]) {
    r.requests.length = 0;
    r.answer = () => ({ status: 200, body: 'ok' });
    r.onRequest = undefined;
  }
}

/** A working folder with trailbook.notify.yaml naming the three receivers; secrets come from the environment. */
function workspace(): { dir: string; logs: string; state: string } {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'trailbook.notify.yaml'),
    `# secrets are named, never written here
link: https://github.com/acme/runbooks/blob/main
retry: {attempts: 3, backoff: 20ms, maxDelay: 100ms}
notifiers:
  chat: {type: slack, url: {env: TEST_SLACK_WEBHOOK_URL}}
  oncall: {type: pagerduty, routingKey: {env: TEST_PAGERDUTY_KEY}, url: "${pagerDuty.url}"}
  siem: {type: webhook, url: "${webhook.url}", secret: {env: TEST_WEBHOOK_SECRET}}
`,
  );
  for (const name of [TRAIL, BY_ACTOR]) copyFileSync(join(ROOT, 'test/fixtures/check', name), join(dir, name));
  return { dir, logs: join(dir, 'logs'), state: join(dir, 'state.json') };
}

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(cwd: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Ran> } {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      TRAILBOOK_CACHE_DIR: join(cwd, 'cache'),
      TEST_SLACK_WEBHOOK_URL: slack.url,
      TEST_PAGERDUTY_KEY: ROUTING_KEY,
      TEST_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Ran>((resolveDone) => child.on('close', (status, signal) => resolveDone({ status, signal, stdout, stderr })));
  return { child, done };
}

const check = (ws: { dir: string; logs: string; state: string }, ...extra: string[]): Promise<Ran> =>
  start(ws.dir, [
    'check',
    TRAIL,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--overlap',
    '0s',
    '--notify',
    'chat',
    '--notify',
    'oncall',
    '--notify',
    'siem',
    ...extra,
  ]).done;

const stop = (trail: string, minutesAgo: number, actor = 'arn:aws:iam::111122223333:user/mallory') =>
  trailEvent({ eventName: 'StopLogging', minutesAgo, requestParameters: { name: trail }, actor });
const restart = (trail: string, minutesAgo: number) =>
  trailEvent({ eventName: 'StartLogging', minutesAgo, requestParameters: { name: trail } });

const counts = () => ({ slack: slack.requests.length, pagerDuty: pagerDuty.requests.length, webhook: webhook.requests.length });

test('a finding alerts once: again in the next run, in a backfill of the same span and in later windows it is not new; a new one is; both resolve once the verify cell passes', async () => {
  reset();
  const ws = workspace();
  const first = stop('main', 60, 'arn:aws:iam::111122223333:user/<!channel>');
  deliverLogFile(ws.logs, '1.json', [first]);

  const run1 = await check(ws);
  assert.equal(run1.status, 1, run1.stderr);
  assert.match(run1.stdout, /⚠ stopped \(line 11\): 1 new finding · severity critical/);
  assert.deepEqual(counts(), { slack: 1, pagerDuty: 1, webhook: 1 });
  assert.match(run1.stderr, /1 runbook checked: 1 new finding, 0 resolved alerts; alerts sent: chat 1, oncall 1, siem 1/);
  const trigger = itemAt(pagerDuty.requests, 0).json;
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(trigger.payload.severity, 'critical');
  assert.equal(trigger.payload.custom_details.key, first.eventID);
  assert.match(JSON.stringify(itemAt(slack.requests, 0).json), /user\/&lt;!channel&gt;/);
  assert.ok(!itemAt(slack.requests, 0).body.includes('<!channel>'), 'the mention is escaped');
  assert.match(
    JSON.stringify(itemAt(slack.requests, 0).json),
    /<https:\/\/github\.com\/acme\/runbooks\/blob\/main\/trail-stopped\.md#L11\|trail-stopped\.md:11>/,
  );
  assert.equal(itemAt(webhook.requests, 0).json.type, 'trailbook.finding.triggered');

  const run2 = await check(ws);
  assert.equal(run2.status, 0, run2.stderr);
  assert.deepEqual(counts(), { slack: 1, pagerDuty: 1, webhook: 1 }, 'nothing is sent again');
  // The detection finds nothing in the new window, but the trail was not restarted: the alert stays open.
  assert.match(run2.stderr, /1 alert\(s\) stay open: verify-restarted finds 1 row\(s\)/);

  const backfillEnd = new Date();
  const backfill = await check(ws, '--start', new Date(Date.now() - 3 * 3_600_000).toISOString(), '--end', backfillEnd.toISOString());
  assert.equal(backfill.status, 0, backfill.stderr);
  assert.match(backfill.stdout, /✓ nothing new/);
  assert.deepEqual(counts(), { slack: 1, pagerDuty: 1, webhook: 1 }, 'a finding already alerted is not new in a backfill');

  // The backfill's end is the new mark: the next stop must come after it. Its eventTime is
  // written in whole seconds, so a second after the mark is after it whatever the machine's
  // speed (6 s ago was before the mark when the backfill ran in under 6 s).
  const untilAfterMark = backfillEnd.getTime() + 1_000 - Date.now();
  if (untilAfterMark > 0) await new Promise((resolveWait) => setTimeout(resolveWait, untilAfterMark));
  const second = stop('audit', 0);
  deliverLogFile(ws.logs, '2.json', [second]);
  const run3 = await check(ws);
  assert.equal(run3.status, 1, run3.stderr);
  assert.deepEqual(counts(), { slack: 2, pagerDuty: 2, webhook: 2 });
  assert.equal(itemAt(pagerDuty.requests, 1).json.payload.custom_details.key, second.eventID);

  // The restarts come after run 3's mark and after the audit stop, in whole seconds.
  await new Promise((resolveWait) => setTimeout(resolveWait, 1_100));
  deliverLogFile(ws.logs, '3.json', [restart('main', 0), restart('audit', 0)]);
  const run4 = await check(ws);
  assert.equal(run4.status, 0, run4.stderr);
  assert.match(run4.stdout, /✓ 2 alerts resolved/);
  const resolves = pagerDuty.requests.slice(2).map((r) => r.json);
  assert.deepEqual(
    resolves.map((r) => r.event_action),
    ['resolve', 'resolve'],
  );
  assert.deepEqual(
    resolves.map((r) => r.dedup_key).sort(),
    pagerDuty.requests
      .slice(0, 2)
      .map((r) => r.json.dedup_key)
      .sort(),
    'resolved with the keys it was triggered with',
  );
  assert.deepEqual(
    webhook.requests.slice(2).map((r) => r.json.type),
    ['trailbook.finding.resolved', 'trailbook.finding.resolved'],
  );
  assert.equal(slack.requests.length, 3, 'one Slack message for the two resolved findings');
  assert.match(itemAt(slack.requests, 2).json.text, /^Resolved: 2 findings of Trail stopped/);

  const run5 = await check(ws);
  assert.equal(run5.status, 0, run5.stderr);
  assert.deepEqual(counts(), { slack: 3, pagerDuty: 4, webhook: 4 });
});

test('an alert resolved and found again (the same dedup= key, other rows) alerts again; long after its resolve went out it leaves the state file', async () => {
  reset();
  const ws = workspace();
  const runbook = 'stopped-by-actor.md';
  copyFileSync(join(ROOT, 'test/fixtures/check', runbook), join(ws.dir, runbook));
  const args = (...extra: string[]) => [
    'check',
    runbook,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--overlap',
    '0s',
    '--notify',
    'oncall',
    ...extra,
  ];
  const pause = () => new Promise((resolveWait) => setTimeout(resolveWait, 1_100));
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  const raised = await start(ws.dir, args()).done;
  assert.equal(raised.status, 1, raised.stderr);
  await pause();
  deliverLogFile(ws.logs, '2.json', [restart('main', 0)]);
  // The detection's window since the mark holds only the restart: quiet, and verified.
  const resolved = await start(ws.dir, args()).done;
  assert.equal(resolved.status, 0, resolved.stderr);
  assert.match(resolved.stdout, /✓ 1 alert resolved/);
  await pause();
  deliverLogFile(ws.logs, '3.json', [stop('audit', 0)]);
  const again = await start(ws.dir, args()).done;
  assert.equal(again.status, 1, again.stderr);
  assert.deepEqual(
    pagerDuty.requests.map((r) => r.json.event_action),
    ['trigger', 'resolve', 'trigger'],
  );
  assert.equal(
    itemAt(pagerDuty.requests, 2).json.dedup_key,
    itemAt(pagerDuty.requests, 0).json.dedup_key,
    'the same finding key, triggered again',
  );
  const reopened = JSON.parse(readFileSync(ws.state, 'utf8')).runbooks[runbook].alerts[0];
  assert.deepEqual([reopened.status, reopened.reopened], ['open', 1]);
  // Resolved again, then pruned once its resolve went out longer ago than --keep-resolved.
  await pause();
  deliverLogFile(ws.logs, '4.json', [restart('audit', 0)]);
  assert.equal((await start(ws.dir, args()).done).status, 0);
  assert.equal(JSON.parse(readFileSync(ws.state, 'utf8')).runbooks[runbook].alerts.length, 1);
  await pause();
  const pruned = await start(ws.dir, args('--keep-resolved', '1s')).done;
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.match(pruned.stderr, /1 alert\(s\) resolved before \d{4}-\d\d-\d\dT[\d:.]+Z left the state file \(--keep-resolved\)/);
  assert.deepEqual(JSON.parse(readFileSync(ws.state, 'utf8')).runbooks[runbook].alerts, []);
});

test('killed with SIGKILL while an alert is being sent, the next run sends it again with the same id, and neither loses nor repeats the finding', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  webhook.answer = () => 'hold';
  const running = start(ws.dir, [
    'check',
    TRAIL,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--notify',
    'siem',
  ]);
  webhook.onRequest = () => running.child.kill('SIGKILL');
  const killed = await running.done;
  assert.equal(killed.signal, 'SIGKILL');
  assert.equal(webhook.requests.length, 1);
  const firstId = itemAt(webhook.requests, 0).headers['webhook-id'];
  // What the killed run had written: the finding, with nothing confirmed sent.
  const state = JSON.parse(readFileSync(ws.state, 'utf8'));
  const [alert] = itemAt(Object.values(state.runbooks as Record<string, { alerts: Array<{ sent: object; status: string }> }>), 0).alerts;
  assert.deepEqual(alert!.sent, {});
  assert.equal(alert!.status, 'open');

  webhook.release();
  webhook.answer = () => ({ status: 200 });
  webhook.onRequest = undefined;
  const next = await check(ws, '--notify', 'siem');
  assert.equal(next.status, 0, `not new any more: ${next.stderr}`);
  assert.match(next.stderr, /alerts sent: .*siem 1/);
  assert.equal(webhook.requests.length, 2);
  assert.equal(itemAt(webhook.requests, 1).headers['webhook-id'], firstId, 'the same message id, so the receiver drops the repeat');

  const third = await check(ws, '--notify', 'siem');
  assert.equal(third.status, 0, third.stderr);
  assert.equal(webhook.requests.length, 2, 'nothing more to send');
  assert.equal(new Set(webhook.requests.map((r) => r.headers['webhook-id'])).size, 1);
});

test('no secret reaches standard output, standard error, the state file or the report, even when a receiver echoes one back', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  pagerDuty.answer = (_, request) => ({ status: 500, body: `internal error for routing key ${request.json.routing_key}` });
  slack.answer = (_, request) => ({ status: 429, headers: { 'retry-after': '0' }, body: `rate limited ${request.path}` });
  const report = join(ws.dir, 'report.xml');
  const ran = await check(ws, '--format', 'junit', '--out', report);
  assert.equal(ran.status, 2, ran.stderr);
  assert.match(
    ran.stderr,
    /alerts sent: siem 1; not sent: chat \(1 trigger: HTTP 429 \(rate limited \*\*\*\) after 3 attempts\), oncall \(1 trigger: HTTP 500 \(internal error for routing key \*\*\*\) after 3 attempts\); they are sent again on the next run/,
  );
  assert.equal(pagerDuty.requests.length, 3);
  const written = [ran.stdout, ran.stderr, readFileSync(ws.state, 'utf8'), readFileSync(report, 'utf8')];
  for (const secret of [...SECRETS, WEBHOOK_SECRET])
    for (const text of written) assert.ok(!text.includes(secret), `a secret was written: ${secret.slice(0, 6)}…`);
  // They do reach the receivers, which is where they belong.
  assert.equal(itemAt(pagerDuty.requests, 0).json.routing_key, ROUTING_KEY);
});

test('a runbook that cannot run exits 2, keeps its mark, and the message says which alerts went out for the others', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  const broken = 'broken.md';
  writeFileSync(
    join(ws.dir, broken),
    '---\ntitle: Broken\n---\n\n```cloudtrail id=bad expect=empty\nSELECT no_such_column FROM cloudtrail_logs\n```\n',
  );
  const ran = await start(ws.dir, [
    'check',
    broken,
    TRAIL,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--notify',
    'oncall',
    '--format',
    'json',
  ]).done;
  assert.equal(ran.status, 2, ran.stderr);
  assert.match(ran.stderr, /2 runbooks checked: 1 new finding, 0 resolved alerts, 1 could not run \(.*broken\.md\); alerts sent: oncall 1/);
  const report = JSON.parse(ran.stdout);
  assert.match(report.runbooks[0].failure, /cell bad \(line 6\): SQL error: .*no_such_column/);
  const state = JSON.parse(readFileSync(ws.state, 'utf8'));
  assert.equal(state.runbooks[broken].mark, undefined, 'a failed run does not move the mark');
  assert.match(state.runbooks[TRAIL].mark, /^\d{4}-\d\d-\d\dT/);
});

test('a cell not configured (a parameter that describes the environment is unset) is its own state: exit 3, the mark moves, the other cells still alert', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  const partial = 'partial.md';
  writeFileSync(
    join(ws.dir, partial),
    '---\ntitle: Partly configured\nparams:\n  office_addresses:\n    description: your office egress addresses\n---\n\n' +
      '```cloudtrail id=away expect=empty\nSELECT eventID FROM cloudtrail_logs WHERE sourceIPAddress NOT IN ({{office_addresses}})\n```\n',
  );
  const args = (...names: string[]) => [
    'check',
    ...names,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--overlap',
    '0s',
    '--notify',
    'oncall',
    '--format',
    'json',
  ];
  const alone = await start(ws.dir, args(partial)).done;
  assert.equal(alone.status, 3, alone.stderr);
  assert.match(alone.stderr, /1 runbook checked: 0 new findings, 0 resolved alerts, 1 cell not configured/);
  const report = JSON.parse(alone.stdout);
  assert.equal(report.runbooks[0].failure, undefined, 'not configured is not "could not run"');
  assert.match(report.runbooks[0].notConfigured[0], /^cell away \(line \d+\): .*office_addresses/);
  assert.match(
    JSON.parse(readFileSync(ws.state, 'utf8')).runbooks[partial].mark,
    /^\d{4}-\d\d-\d\dT/,
    'the mark moves with the cells that ran',
  );
  // With a finding elsewhere, the finding outranks it: exit 1, and the alert goes out.
  const both = await start(ws.dir, args(partial, TRAIL)).done;
  assert.equal(both.status, 1, both.stderr);
  assert.equal(pagerDuty.requests.length, 1);
  const table = await start(ws.dir, [...args(partial).slice(0, -2), '--format', 'table']).done;
  assert.match(table.stdout, /○ not configured, checked nothing in this window: cell away/);
});

test('--dry-run prints the payloads, sends nothing and writes no state', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  const ran = await check(ws, '--dry-run');
  assert.equal(ran.status, 1, ran.stderr);
  assert.deepEqual(counts(), { slack: 0, pagerDuty: 0, webhook: 0 });
  assert.equal(existsSync(ws.state), false);
  assert.match(
    ran.stdout,
    /── dry run: oncall \(pagerduty\), 1 alert ──\n\{\n {2}"event_action": "trigger",\n {2}"dedup_key": "trailbook-[0-9a-f]{32}"/,
  );
  assert.match(ran.stdout, /── dry run: siem \(webhook\), 1 alert ──/);
  assert.ok(!ran.stdout.includes(ROUTING_KEY));
  assert.match(ran.stderr, /dry run: payloads printed, nothing sent, state not written/);
});

test('dedup= makes one finding of an actor however many rows and runs', async () => {
  reset();
  const ws = workspace();
  const login = (actor: string, minutesAgo: number) =>
    trailEvent({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', minutesAgo, actor });
  deliverLogFile(ws.logs, '1.json', [
    login('arn:aws:iam::111122223333:user/alice', 50),
    login('arn:aws:iam::111122223333:user/alice', 40),
    login('arn:aws:iam::111122223333:user/bob', 30),
  ]);
  const args = (ws2: typeof ws) => [
    'check',
    BY_ACTOR,
    '--logs',
    ws2.logs,
    '--state',
    ws2.state,
    '--no-cache',
    '--delay',
    '0s',
    '--overlap',
    '0s',
    '--notify',
    'oncall',
  ];
  const first = await start(ws.dir, args(ws)).done;
  assert.equal(first.status, 1, first.stderr);
  assert.deepEqual(pagerDuty.requests.map((r) => r.json.payload.custom_details.key).sort(), [
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:iam::111122223333:user/bob',
  ]);
  assert.deepEqual(
    pagerDuty.requests.map((r) => r.json.payload.severity),
    ['warning', 'warning'],
  );
  deliverLogFile(ws.logs, '2.json', [login('arn:aws:iam::111122223333:user/alice', 0.05)]);
  const second = await start(ws.dir, args(ws)).done;
  assert.equal(second.status, 0, second.stderr);
  assert.equal(pagerDuty.requests.length, 2);
});

test('--every keeps checking until SIGTERM, which ends it cleanly with the state written', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  const running = start(ws.dir, [
    'check',
    TRAIL,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--every',
    '15m',
    '--notify',
    'oncall',
  ]);
  // The first run is over when it says when the next one is.
  await new Promise<void>((ready) => {
    let seen = '';
    running.child.stderr!.on('data', (d: Buffer) => {
      seen += String(d);
      if (/next check in \d+ s/.test(seen)) ready();
    });
  });
  running.child.kill('SIGTERM');
  const ended = await running.done;
  assert.equal(ended.signal, null, 'it exits on its own rather than being killed by the signal');
  assert.equal(ended.status, 1, ended.stderr);
  assert.match(ended.stderr, /next check in (8\d\d|9\d\d|10\d\d) s/);
  assert.equal(pagerDuty.requests.length, 1);
  const state = JSON.parse(readFileSync(ws.state, 'utf8'));
  assert.equal(state.runbooks[TRAIL].alerts[0].sent.oncall, 'trigger');
});

test('--source lookup: the same check through the local CloudTrail endpoint (real SDK, SigV4)', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  const key = { accessKeyId: 'AKIDCHECKTEST', secretAccessKey: 'check-test-secret', account: '111122223333' };
  const endpoint = await startCloudTrailEndpoint({ logsPath: ws.logs, principals: [key] });
  try {
    const args = [
      'check',
      TRAIL,
      '--source',
      'lookup',
      '--region',
      'us-east-1',
      '--endpoint',
      endpoint.url,
      '--state',
      ws.state,
      '--no-cache',
      '--delay',
      '0s',
      '--notify',
      'oncall',
    ];
    const env = { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' };
    const first = await start(ws.dir, args, env).done;
    assert.equal(first.status, 1, first.stderr);
    assert.equal(pagerDuty.requests.length, 1);
    const again = await start(ws.dir, args, env).done;
    assert.equal(again.status, 0, again.stderr);
    assert.equal(pagerDuty.requests.length, 1);
  } finally {
    await endpoint.close();
  }
});

test('SIGTERM lets a run finish; a second one cancels it, and the alert it was sending goes out on the next run', async () => {
  reset();
  const ws = workspace();
  deliverLogFile(ws.logs, '1.json', [stop('main', 30)]);
  webhook.answer = () => 'hold';
  const running = start(ws.dir, [
    'check',
    TRAIL,
    '--logs',
    ws.logs,
    '--state',
    ws.state,
    '--no-cache',
    '--delay',
    '0s',
    '--notify',
    'siem',
  ]);
  let stderr = '';
  let second = false;
  running.child.stderr!.on('data', (d: Buffer) => {
    stderr += String(d);
    // The first signal was heard: the second one cancels.
    if (!second && /SIGTERM: stopping after the current run/.test(stderr)) {
      second = true;
      running.child.kill('SIGTERM');
    }
  });
  webhook.onRequest = () => running.child.kill('SIGTERM');
  const ended = await running.done;
  assert.equal(ended.signal, null);
  assert.equal(ended.status, 2, ended.stderr);
  assert.match(ended.stderr, /SIGTERM again: cancelling the current run/);
  assert.match(ended.stderr, /trailbook check: cancelled; the state file holds what the run had recorded/);
  const state = JSON.parse(readFileSync(ws.state, 'utf8'));
  assert.deepEqual(state.runbooks[TRAIL].alerts[0].sent, {});

  webhook.release();
  webhook.answer = () => ({ status: 200 });
  webhook.onRequest = undefined;
  const next = await check(ws, '--notify', 'siem');
  assert.equal(next.status, 0, next.stderr);
  assert.equal(webhook.requests.length, 2);
  assert.equal(itemAt(webhook.requests, 1).headers['webhook-id'], itemAt(webhook.requests, 0).headers['webhook-id']);
});
