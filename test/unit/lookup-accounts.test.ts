// LookupEvents over several accounts at once, through the real AWS SDK over HTTP with SigV4
// against the local endpoint serving a generated organisation trail split by account (each
// account its own keys and its own events): the rows of every account merged with their
// account, each account paced on its own, one account's failure named while the others'
// rows come back (the run partial), fetched ranges kept per account, and role sessions
// renewed in the middle of a long fetch.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { ServeAnnouncement } from '../../src/cli/serveCommand';
import { after, before, test } from 'node:test';
import { SourcePool } from '../../src/app/openSource';
import { runExitCode, runRunbook } from '../../src/app/runbookRunner';
import { runQuery } from '../../src/engine/query';
import { parseWindow } from '../../src/engine/timeWindow';
import { parseRunbook } from '../../src/runbook';
import { AwsSession } from '../../src/sources/aws/awsSession';
import { LookupEventsSource } from '../../src/sources/lookup/lookupSource';
import { busiestSecond, startCloudTrailEndpoint, type CloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { generateTrail } from '../../src/testbed/loggen';
import { ACCOUNTS } from '../../src/testbed/loggen/org';
import { awsFolder, isolateProcessEnv, type AwsFolder } from '../support/awsConfigFolder';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const [PROD, STAGING, SECURITY] = ACCOUNTS.map((a) => a.id) as [string, string, string];
const key = (name: string, account: string, extra: { denied?: boolean } = {}) => ({
  accessKeyId: `AKIA${name.toUpperCase().padEnd(16, 'X')}`,
  secretAccessKey: `${name}-secret-key-for-tests-0123456789`,
  account,
  ...extra,
});
const KEYS = {
  prod: key('prod', PROD),
  staging: key('staging', STAGING),
  security: key('security', SECURITY),
  denied: key('denied', SECURITY, { denied: true }),
};
const READER_ROLE = `arn:aws:iam::${STAGING}:role/TrailbookReader`;
const WINDOW = '2025-03-03T00:00:00Z/2025-03-05T00:00:00Z';
const REGION = 'us-east-1';

// Made here, not in before(): a folder's removal is registered with the file, not the hook.
const trail = join(tempDir(), 'trail');
const cacheRoot = tempDir();
let endpoint: CloudTrailEndpoint;
isolateProcessEnv();
const aws: AwsFolder = awsFolder(
  [
    '[profile chained]',
    `role_arn = ${READER_ROLE}`,
    'source_profile = staging',
    '[sso-session corp]',
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_region = us-east-1',
    '[profile corp-audit]',
    'sso_session = corp',
    `sso_account_id = ${SECURITY}`,
    'sso_role_name = Audit',
    '',
  ].join('\n'),
  Object.entries(KEYS)
    .map(([name, k]) => `[${name}]\naws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`)
    .join('\n'),
);
// The SDK and the pool read the process's environment: only the test folder's files.
Object.assign(process.env, { HOME: aws.home, AWS_CONFIG_FILE: aws.config, AWS_SHARED_CREDENTIALS_FILE: aws.credentials });
/** What LookupEvents of each account holds: its management events, from the logs themselves. */
let expected: Array<[string, number]>;

before(async () => {
  await generateTrail({ outDir: trail, events: 3000, seed: 7, days: 2 });
  endpoint = await startCloudTrailEndpoint({
    logsPath: trail,
    principals: Object.values(KEYS),
    eventsByAccount: true,
    roles: [{ arn: READER_ROLE }],
    // Role sessions of two seconds: a fetch of a dozen pages outlives several of them.
    sessionSeconds: 2,
  });
  const store = await openStore();
  expected = (await query(
    store,
    trail,
    `SELECT recipientAccountId, count(*)::INTEGER FROM cloudtrail_logs
     WHERE coalesce(eventCategory, 'Management') = 'Management' AND eventTime >= '2025-03-03T00:00:00Z' AND eventTime < '2025-03-05T00:00:00Z'
     GROUP BY 1 ORDER BY 1`,
  )) as Array<[string, number]>;
  assert.equal(expected.length, 3, 'the generated trail has the three accounts of the organisation');
});
after(() => endpoint?.close());

const BY_ACCOUNT = 'SELECT recipientAccountId, count(*)::INTEGER FROM cloudtrail_logs GROUP BY 1 ORDER BY 1';
const served = (account: string): number => endpoint.stats.requests(account, REGION).served.length;

test('three profiles: every account read, rows merged with their account, each account paced on its own', async () => {
  const pool = new SourcePool(join(cacheRoot, `cache-${Math.random().toString(36).slice(2)}`));
  after(() => pool.close());
  const before = { prod: served(PROD), staging: served(STAGING), security: served(SECURITY) };
  const { source, store } = await pool.open({
    kind: 'lookup',
    regions: [REGION],
    endpoint: endpoint.url,
    profiles: ['prod', 'staging', 'security'],
  });
  const runbook = parseRunbook(`---\nwindow: ${WINDOW}\n---\n\`\`\`cloudtrail id=accounts\n${BY_ACCOUNT}\n\`\`\`\n`, 'accounts.md');
  const [run] = await runRunbook(runbook, { store, source });
  assert.equal(run!.status, 'ok', run!.error?.message);
  assert.deepEqual(run!.rows, expected, "each account's management events, under its own account id");
  assert.equal(run!.partial, undefined);
  assert.deepEqual(run!.account!.split(', ').sort(), [PROD, SECURITY, STAGING].sort());
  assert.ok(
    run!.notes.some((n) => /^3 accounts read of 3 profiles/.test(n)),
    run!.notes.join('\n'),
  );
  // Pacing: each account's requests counted at the endpoint under its own key, one a page.
  for (const [account, events] of expected) {
    const name = account === PROD ? 'prod' : account === STAGING ? 'staging' : 'security';
    assert.equal(served(account) - before[name], Math.ceil(events / 50), `account ${account}: one request a page of 50`);
    // The endpoint enforces AWS's limit; the pacer keeps under it (a throttle now and then
    // from network jitter is retried, and would show as a missing page if it were not).
    assert.ok(busiestSecond(endpoint.stats.requests(account, REGION).served) <= 2, `account ${account}: at most 2 requests in any second`);
  }
});

test("one account failing: the others' rows come back, the run is partial, and each failure names its profile, account and fix", async () => {
  const pool = new SourcePool(join(cacheRoot, `cache-${Math.random().toString(36).slice(2)}`));
  after(() => pool.close());
  const runbook = parseRunbook(
    `---\nwindow: ${WINDOW}\nprofiles: [prod, denied, corp-audit]\n---\n\`\`\`cloudtrail id=accounts expect=empty\n${BY_ACCOUNT}\n\`\`\`\n`,
    'partial.md',
  );
  assert.deepEqual(runbook.problems, []);
  const { source, store } = await pool.open({
    kind: 'lookup',
    regions: [REGION],
    endpoint: endpoint.url,
    profiles: runbook.accounts!.profiles!,
  });
  const [run] = await runRunbook(runbook, { store, source });
  assert.equal(run!.status, 'finding');
  assert.deepEqual(
    run!.rows,
    expected.filter(([account]) => account === PROD),
    "prod's rows, and only prod's",
  );
  assert.match(
    run!.partial ?? '',
    /^partial: 1 of 3 accounts read; not read: profile denied \(account 159847362058\), profile corp-audit \(account unknown\)/,
  );
  const problems = run!.problems.map((p) => `${p.where}: ${p.message}`);
  assert.ok(
    problems.some((p) =>
      /^LookupEvents profile denied \(account 159847362058\) in us-east-1: .*needs the permission cloudtrail:LookupEvents/.test(p),
    ),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => /^LookupEvents profile corp-audit \(account unknown\): .*aws sso login --profile corp-audit/.test(p)),
    problems.join('\n'),
  );
  // Never a pass: a detection that read one account of three judged only that one.
  assert.equal(runExitCode([{ ...run!, status: 'ok', rows: [] }]), 2);
});

test('every account failing fails the run, naming each', async () => {
  const store = await openStore({ cacheDir: join(cacheRoot, `cache-${Math.random().toString(36).slice(2)}`) });
  const session = (profile: string) => ({ profile, session: new AwsSession({ profile, endpoint: endpoint.url, region: REGION }) });
  const source = new LookupEventsSource(store, {
    regions: [REGION],
    endpoint: endpoint.url,
    accounts: [session('denied'), session('corp-audit')],
  });
  await assert.rejects(source.prepare(parseWindow(WINDOW), BY_ACCOUNT), (error: Error) => {
    assert.match(
      error.message,
      /^no account could be read: LookupEvents profile denied \(account 159847362058\) in us-east-1: .*cloudtrail:LookupEvents.*; LookupEvents profile corp-audit \(account unknown\): .*aws sso login/,
    );
    return true;
  });
});

test("fetched ranges are kept per account: one account's cache never answers for another", async () => {
  const store = await openStore({ cacheDir: join(cacheRoot, `cache-${Math.random().toString(36).slice(2)}`) });
  const session = (profile: string) => ({ profile, session: new AwsSession({ profile, endpoint: endpoint.url, region: REGION }) });
  const window = parseWindow(WINDOW);
  const prodOnly = new LookupEventsSource(store, { regions: [REGION], endpoint: endpoint.url, accounts: [session('prod')] });
  await prodOnly.prepare(window, BY_ACCOUNT);

  const before = { prod: served(PROD), staging: served(STAGING) };
  const both = new LookupEventsSource(store, {
    regions: [REGION],
    endpoint: endpoint.url,
    accounts: [session('prod'), session('staging')],
  });
  const prepared = await both.prepare(window, BY_ACCOUNT);
  assert.equal(served(PROD), before.prod, "prod's range came from the cache");
  assert.ok(served(STAGING) > before.staging, "staging's was fetched: the same region and window of another account is not in the cache");
  assert.deepEqual(
    (await runQuery(store, prepared.scope, BY_ACCOUNT)).rows,
    expected.filter(([account]) => account !== SECURITY),
  );
  assert.ok(
    prepared.notes.some((n) => /1 range fetched earlier came from the cache/.test(n)),
    prepared.notes.join('\n'),
  );
});

test('a role session that expires during a long fetch is renewed before it expires: every page arrives', async () => {
  const store = await openStore({ cacheDir: join(cacheRoot, `cache-${Math.random().toString(36).slice(2)}`) });
  const session = new AwsSession({ profile: 'chained', endpoint: endpoint.url, region: REGION });
  const source = new LookupEventsSource(store, { regions: [REGION], endpoint: endpoint.url, accounts: [{ profile: 'chained', session }] });
  const assumed = endpoint.stats.assumedRoles(STAGING);
  const prepared = await source.prepare(parseWindow(WINDOW), BY_ACCOUNT);
  assert.deepEqual(
    (await runQuery(store, prepared.scope, BY_ACCOUNT)).rows,
    expected.filter(([account]) => account === STAGING),
  );
  const pages = Math.ceil(expected.find(([account]) => account === STAGING)![1] / 50);
  assert.ok(pages >= 8, `a fetch of ${pages} pages at 2 a second outlives a two-second session`);
  assert.ok(
    endpoint.stats.assumedRoles(STAGING) - assumed >= 2,
    `the role was assumed again (${endpoint.stats.assumedRoles(STAGING) - assumed} times in all)`,
  );
  assert.ok(session.renewals >= 1);
  assert.deepEqual(prepared.problems, []);
});

const ROOT = resolve(__dirname, '../..');
function trailbook(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  // Asynchronous: the endpoint runs in this process and must keep answering meanwhile.
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: aws.home,
        AWS_CONFIG_FILE: aws.config,
        AWS_SHARED_CREDENTIALS_FILE: aws.credentials,
        AWS_EC2_METADATA_DISABLED: 'true',
        TRAILBOOK_CACHE_DIR: join(cacheRoot, 'cli'),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

test("trailbook run: the runbook's profiles and a cell's own, among those --profiles names (never others); a partial run exits 2 naming the account", async () => {
  const runbook = join(cacheRoot, 'accounts.md');
  writeFileSync(
    runbook,
    `---\nwindow: ${WINDOW}\nprofiles: [prod, denied]\n---\n\n\`\`\`cloudtrail id=runbook-accounts\n${BY_ACCOUNT}\n\`\`\`\n\n\`\`\`cloudtrail id=cell-accounts profiles=staging\n${BY_ACCOUNT}\n\`\`\`\n`,
  );
  const run = (...args: string[]) =>
    trailbook('run', runbook, '--source', 'lookup', '--region', REGION, '--endpoint', endpoint.url, '--format', 'json', ...args);
  // Profiles the reader did not name are not the runbook's to choose.
  const unnamed = await run();
  assert.equal(unnamed.status, 2);
  assert.match(
    unnamed.stderr,
    /the runbook asks to read as profiles prod, denied, which you have not named \(a runbook may only choose among your own\); run with --profiles prod,denied \(or a list holding them\) to allow it/,
  );
  assert.equal(unnamed.stdout, '', 'nothing was read');
  const chosen = await run('--profiles', 'prod,denied,staging');
  assert.equal(chosen.status, 2, chosen.stderr);
  const [byRunbook, byCell] = JSON.parse(chosen.stdout).cells;
  assert.deepEqual(
    byRunbook.rows.map((r: { recipientAccountId: string }) => r.recipientAccountId),
    [PROD],
  );
  assert.match(byRunbook.partial, /^partial: 1 of 2 accounts read; not read: profile denied \(account 159847362058\)/);
  assert.equal(byCell.partial, undefined);
  assert.deepEqual(
    byCell.rows.map((r: { recipientAccountId: string }) => r.recipientAccountId),
    [STAGING],
  );
  assert.match(chosen.stderr, /LookupEvents profile denied \(account 159847362058\) in us-east-1: .*cloudtrail:LookupEvents/);

  const refused = await run('--profiles', 'prod', '--sso-session', 'corp');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /give --profiles or --sso-session, not both/);
});

test('an sso-session reads each of its profiles; one whose login is missing is named with the command that fixes it', async () => {
  const pool = new SourcePool(join(cacheRoot, `cache-${Math.random().toString(36).slice(2)}`));
  after(() => pool.close());
  const { source } = await pool.open({ kind: 'lookup', regions: [REGION], endpoint: endpoint.url, ssoSession: 'corp' });
  assert.match(source.label, /profiles corp-audit/);
  await assert.rejects(
    pool.open({ kind: 'lookup', regions: [REGION], endpoint: endpoint.url, ssoSession: 'nope' }),
    /there is no \[sso-session nope\] in .*config: the sso-sessions there are corp/,
  );
  const runbook = parseRunbook(`---\nwindow: ${WINDOW}\nsso-session: corp\n---\n\`\`\`cloudtrail id=a\n${BY_ACCOUNT}\n\`\`\`\n`, 'sso.md');
  const { store } = await pool.open({
    kind: 'lookup',
    regions: [REGION],
    endpoint: endpoint.url,
    ssoSession: runbook.accounts!.ssoSession!,
  });
  const [run] = await runRunbook(runbook, { store, source });
  assert.equal(run!.status, 'error');
  assert.match(
    run!.error!.message,
    /^profile corp-audit signs in with IAM Identity Center \(SSO\) and there is no login on this machine: run `aws sso login --profile corp-audit`/,
  );
});

/** `trailbook check` of one runbook on LookupEvents through the local endpoint, as these profiles, over START/END. */
function checkLookup(runbook: string, state: string, profiles: string, window: string) {
  const [start = '', end = ''] = window.split('/');
  return trailbook(
    'check',
    runbook,
    '--source',
    'lookup',
    '--region',
    REGION,
    '--endpoint',
    endpoint.url,
    '--state',
    state,
    '--profiles',
    profiles,
    '--start',
    start,
    '--end',
    end,
    '--format',
    'json',
  );
}

test('trailbook check: an account not read keeps the window open (the mark does not move), and says which', async () => {
  const runbook = join(cacheRoot, 'detect.md');
  const state = join(cacheRoot, 'check-state.json');
  writeFileSync(
    runbook,
    `---\nprofiles: [prod, denied]\n---\n\n\`\`\`cloudtrail id=stop-logging expect=empty\nSELECT eventTime FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n\`\`\`\n`,
  );
  const checked = await checkLookup(runbook, state, 'prod,denied', '2025-03-03T00:00:00Z/2025-03-05T00:00:00Z');
  assert.equal(checked.status, 2, checked.stderr);
  assert.match(checked.stdout + checked.stderr, /partial: 1 of 2 accounts read; not read: profile denied \(account 159847362058\)/);
  const saved = (existsSync(state) ? JSON.parse(readFileSync(state, 'utf8')) : {}) as { runbooks?: Record<string, { mark?: string }> };
  assert.equal(
    Object.values(saved.runbooks ?? {}).find((r) => r.mark !== undefined),
    undefined,
    'no mark: the window is checked again next time',
  );
});

test("trailbook check: a cell's own profiles= narrows the runbook's, as in trailbook run", async () => {
  const runbook = join(cacheRoot, 'detect-cell.md');
  const state = join(cacheRoot, 'check-state-cell.json');
  // The runbook reads prod and denied (which cannot be read); its one cell only prod.
  writeFileSync(
    runbook,
    `---\nprofiles: [prod, denied]\n---\n\n\`\`\`cloudtrail id=stop-logging expect=empty profiles=prod\nSELECT eventTime FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n\`\`\`\n`,
  );
  const checked = await checkLookup(runbook, state, 'prod,denied', '2025-03-03T00:00:00Z/2025-03-05T00:00:00Z');
  assert.doesNotMatch(checked.stdout + checked.stderr, /partial|profile denied/, 'the cell did not read the account it did not ask for');
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  const saved = JSON.parse(readFileSync(state, 'utf8')) as { runbooks: Record<string, { mark?: string }> };
  assert.equal(itemAt(Object.values(saved.runbooks), 0).mark, '2025-03-05T00:00:00.000Z', 'the window was checked in full: the mark moves');

  // And a cell may not reach an account the flags did not name.
  writeFileSync(
    runbook,
    `\`\`\`cloudtrail id=stop-logging expect=empty profiles=staging\nSELECT eventTime FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n\`\`\`\n`,
  );
  const refused = await checkLookup(runbook, state, 'prod', '2025-03-05T00:00:00Z/2025-03-06T00:00:00Z');
  assert.equal(refused.status, 2);
  assert.match(refused.stdout + refused.stderr, /asks to read as profile staging, which you have not named/);
});

test('trailbook serve-cloudtrail --accounts: each account of the logs its own keys and only its own events', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve-cloudtrail', '--logs', trail, '--accounts', '--json'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: aws.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const closed = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const said = JSON.parse(line) as ServeAnnouncement;
    assert.deepEqual(
      said.accounts!.map((a) => a.account),
      [...ACCOUNTS.map((a) => a.id)].sort(),
    );
    assert.equal(new Set(said.accounts!.map((a) => a.accessKeyId)).size, 3, 'a key pair an account');
    for (const account of said.accounts!) {
      const client = new CloudTrailClient({ region: REGION, endpoint: said.endpoint, credentials: account, maxAttempts: 1 });
      const page = await client.send(new LookupEventsCommand({ MaxResults: 50 }));
      client.destroy();
      const recipients = new Set(
        (page.Events ?? []).map((e) => (JSON.parse(e.CloudTrailEvent!) as { recipientAccountId: string }).recipientAccountId),
      );
      assert.deepEqual([...recipients], [account.account], `account ${account.account} sees its own events only`);
    }
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
});
