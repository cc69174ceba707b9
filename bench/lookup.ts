// `npm run bench:lookup`: LookupEvents paging against the project's local CloudTrail
// endpoint with AWS's real limit (2 requests a second per account and region). Figures,
// not a pass/fail test: goals are printed beside what was measured.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { generateTrail, MANIFEST_FILE } from '../src/testbed/loggen';
import { busiestSecond, startCloudTrailEndpoint } from '../src/testbed/cloudtrailEndpoint';
import { lookupAcrossRegions } from '../src/sources/lookup/lookupClient';
import { LookupEventsSource } from '../src/sources/lookup/lookupSource';
import { EventStore } from '../src/engine/eventStore';
import { runQuery } from '../src/engine/query';
import { runRunbook } from '../src/app/runbookRunner';
import { parseRunbook } from '../src/runbook';
import { parseWindow } from '../src/engine/timeWindow';
import { AwsSession } from '../src/sources/aws/awsSession';
import { ACCOUNTS } from '../src/testbed/loggen/org';

const EVENTS = 2_000;
const TRAIL = resolve(__dirname, '.data', `lookup-trail-${EVENTS}`);
const KEY = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret', account: '111122223333' };

async function main(): Promise<void> {
  if (!existsSync(join(TRAIL, MANIFEST_FILE))) await generateTrail({ outDir: TRAIL, events: EVENTS, seed: 5 });
  const endpoint = await startCloudTrailEndpoint({ logsPath: TRAIL, principals: [KEY] });
  const clients = new Map<string, CloudTrailClient>();
  const clientFor = (region: string): CloudTrailClient => {
    if (!clients.has(region))
      clients.set(region, new CloudTrailClient({ region, endpoint: endpoint.url, maxAttempts: 1, credentials: KEY }));
    return clients.get(region)!;
  };
  const run = async (regions: string[]) => {
    const started = performance.now();
    let firstPageMs = 0;
    let events = 0;
    let throttled = 0;
    for await (const page of lookupAcrossRegions({
      account: KEY.account,
      regions,
      clientFor,
      start: new Date('2000-01-01T00:00:00Z'),
      end: new Date(),
    })) {
      if (firstPageMs === 0) firstPageMs = performance.now() - started;
      events += page.events.length;
      throttled = page.totalThrottled;
    }
    return { ms: performance.now() - started, firstPageMs, events, throttled };
  };
  const perSecond = (region: string): { rate: number; busiest: number } => {
    const served = endpoint.stats.requests(KEY.account, region).served;
    const span = ((served.at(-1) ?? NaN) - (served[0] ?? NaN)) / 1000;
    return { rate: (served.length - 1) / span, busiest: busiestSecond(served) };
  };

  const one = await run(['eu-west-1']);
  const single = perSecond('eu-west-1');
  const three = await run(['us-east-1', 'us-west-2', 'ap-southeast-2']);
  const rates = ['us-east-1', 'us-west-2', 'ap-southeast-2'].map(perSecond);

  // Time to the first row shown: a runbook cell through the LookupEvents source, with rows
  // streamed as pages arrive (the editor's way), on a cache that has nothing yet.
  const streamDir = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
  const streamStore = await EventStore.open({ cacheDir: streamDir });
  const cellStarted = performance.now();
  let firstRowMs = 0;
  let provisionalSets = 0;
  const [cell] = await runRunbook(
    parseRunbook('```cloudtrail id=all\nSELECT eventTime, eventName FROM cloudtrail_logs ORDER BY eventTime\n```\n', 'bench.md'),
    {
      store: streamStore,
      source: new LookupEventsSource(streamStore, { regions: ['ca-central-1'], endpoint: endpoint.url, credentials: KEY }),
      window: `2000-01-01T00:00:00Z/${new Date().toISOString()}`,
      onRows: () => {
        if (firstRowMs === 0) firstRowMs = performance.now() - cellStarted;
      },
      onRowsReset: () => {
        provisionalSets += 1;
      },
    },
  );
  const cellMs = performance.now() - cellStarted;
  streamStore.close();
  rmSync(streamDir, { recursive: true, force: true });

  // The cache: a runbook query through the LookupEvents source, twice over a settled window.
  const cacheDir = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
  const store = await EventStore.open({ cacheDir });
  const source = new LookupEventsSource(store, { regions: ['sa-east-1'], endpoint: endpoint.url, credentials: KEY });
  const sql = `SELECT eventName, count(*) FROM cloudtrail_logs GROUP BY ALL`;
  const window = parseWindow(`2000-01-01T00:00:00Z/${new Date(Date.now() - 3_600_000).toISOString()}`);
  await source.prepare(window, sql);
  const sentBefore = ['sa-east-1', 'us-east-1'].reduce((n, r) => n + endpoint.stats.requests(KEY.account, r).served.length, 0);
  const rerunStarted = performance.now();
  const again = await source.prepare(window, sql);
  await runQuery(store, again.scope, sql);
  const rerunMs = performance.now() - rerunStarted;
  const sentAfter = ['sa-east-1', 'us-east-1'].reduce((n, r) => n + endpoint.stats.requests(KEY.account, r).served.length, 0);
  store.close();
  rmSync(cacheDir, { recursive: true, force: true });
  await endpoint.close();

  // Several accounts at once: the same trail split by recipientAccountId, each account its
  // own keys, read through the LookupEvents source with one profile and then with three.
  const accounts = await accountsAtOnce();
  const accountsAlone = accounts.alone.reduce((sum, a) => sum + a.ms, 0);

  const lines = [
    `Trailbook LookupEvents paging: local endpoint, ${endpoint.stats.events.toLocaleString('en-US')} events served newest first, 50 a page, limit 2 requests/s per account and region`,
    '',
    `  one region: ${one.events} events in ${(one.ms / 1000).toFixed(1)} s   ${single.rate.toFixed(2)} requests/s (goal ≥ 1.9, never above 2; busiest second ${single.busiest}), ${(one.events / (one.ms / 1000)).toFixed(0)} events/s, ${one.throttled} throttled`,
    `  first page (first rows)        ${one.firstPageMs.toFixed(0)} ms (goal < 1000 ms)`,
    `  first row shown in a cell      ${firstRowMs.toFixed(0)} ms of ${(cellMs / 1000).toFixed(1)} s for all ${cell!.rows.length} rows (goal < 1000 ms; ${provisionalSets - 1} provisional sets replaced while paging)`,
    `  three regions in parallel: ${three.events} events in ${(three.ms / 1000).toFixed(1)} s   ${(three.events / (three.ms / 1000)).toFixed(0)} events/s = ${(three.events / three.ms / (one.events / one.ms)).toFixed(2)}× one region (goal 3×); per region ${rates.map((r) => `${r.rate.toFixed(2)}/s (busiest ${r.busiest})`).join(', ')}`,
    `  re-run from the cache          ${rerunMs.toFixed(0)} ms, ${sentAfter - sentBefore} requests sent (goal < 100 ms, none sent)`,
    ...accounts.alone.map(
      (a) =>
        `  account ${a.account} alone: ${a.events} events in ${(a.ms / 1000).toFixed(1)} s   ${(a.events / (a.ms / 1000)).toFixed(0)} events/s`,
    ),
    `  three accounts together: ${accounts.three.events} events in ${(accounts.three.ms / 1000).toFixed(1)} s   ${(accounts.three.events / (accounts.three.ms / 1000)).toFixed(0)} events/s; ` +
      `one after another ${(accountsAlone / 1000).toFixed(1)} s, so ${(accountsAlone / accounts.three.ms).toFixed(2)}× faster (goal: the time of the largest account alone, ${(Math.max(...accounts.alone.map((a) => a.ms)) / 1000).toFixed(1)} s); busiest second per account ${accounts.busiest.join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Each account fetched alone, then the three together (one region, whole trail) through the source. */
async function accountsAtOnce(): Promise<{
  alone: { account: string; events: number; ms: number }[];
  three: { events: number; ms: number };
  busiest: number[];
}> {
  const keys = ACCOUNTS.map((a, i) => ({
    accessKeyId: `AKIDBENCHACCOUNT${i}`,
    secretAccessKey: `bench-account-secret-${i}`,
    account: a.id,
  }));
  const endpoint = await startCloudTrailEndpoint({ logsPath: TRAIL, principals: keys, eventsByAccount: true });
  const reader = (key: (typeof keys)[number]) => ({
    profile: key.account,
    session: new AwsSession({ credentials: key, endpoint: endpoint.url, region: 'us-east-1' }),
  });
  const fetch = async (chosen: typeof keys) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
    const store = await EventStore.open({ cacheDir: dir });
    const source = new LookupEventsSource(store, { regions: ['us-east-1'], endpoint: endpoint.url, accounts: chosen.map(reader) });
    const started = performance.now();
    const sql = 'SELECT count(*) FROM cloudtrail_logs';
    const prepared = await source.prepare(parseWindow(`2000-01-01T00:00:00Z/${new Date().toISOString()}`), sql);
    const [[events]] = (await runQuery(store, prepared.scope, sql)).rows as [[number]];
    const ms = performance.now() - started;
    store.close();
    rmSync(dir, { recursive: true, force: true });
    return { events: Number(events), ms };
  };
  const alone = [];
  for (const key of keys) alone.push({ account: key.account, ...(await fetch([key])) });
  const three = await fetch(keys);
  const busiest = keys.map((k) => busiestSecond(endpoint.stats.requests(k.account, 'us-east-1').served));
  await endpoint.close();
  return { alone, three, busiest };
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
