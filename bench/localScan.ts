// `npm run bench`: the local engine on 1,000,000 generated events in the S3 layout, beside
// the floors a reader cannot beat (gzip -dc) and the tool people reach for (zcat | jq).
// Figures, not a pass/fail test: goals are printed next to what was measured.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateTrail, MANIFEST_FILE } from '../src/testbed/loggen';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROOT = resolve(__dirname, '.data');
const TRAIL = join(ROOT, `trail-${EVENTS}`);
const CACHE = join(ROOT, 'cache');

const DETECTION = `SELECT eventTime, eventName, userIdentity.arn AS actor, sourceIPAddress, awsRegion
FROM cloudtrail_logs
WHERE eventSource = 'cloudtrail.amazonaws.com'
  AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors')
ORDER BY eventTime`;
const SECOND = `SELECT userIdentity.arn AS actor, sourceIPAddress, count(*) AS denied
FROM cloudtrail_logs
WHERE errorCode IN ('AccessDenied', 'Client.UnauthorizedOperation')
GROUP BY ALL ORDER BY denied DESC LIMIT 20`;
// The same selection as DETECTION, for jq.
const JQ_FILTER = '.Records[] | select(.eventSource == "cloudtrail.amazonaws.com" and (.eventName == "StopLogging" or .eventName == "DeleteTrail" or .eventName == "UpdateTrail" or .eventName == "PutEventSelectors"))';

interface Run {
  totalMs: number;
  scanMs: number;
  queryMs: number;
  rows: number;
  maxRssMB: number;
}

async function ensureTrail(): Promise<void> {
  const manifest = join(TRAIL, MANIFEST_FILE);
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).events === EVENTS) return;
  rmSync(TRAIL, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  process.stderr.write(`generating ${EVENTS.toLocaleString('en-US')} events in ${TRAIL} (once; kept for later runs)…\n`);
  const started = Date.now();
  await generateTrail({ outDir: TRAIL, events: EVENTS, seed: 2024, attacks: ['stop-logging', 'access-denied-enumeration'] });
  process.stderr.write(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function scan(sql: string): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'scanOnce.ts'), TRAIL, CACHE, sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`scan failed with status ${result.status}`);
  return JSON.parse(result.stdout) as Run;
}

function shell(script: string): number {
  const started = performance.now();
  execFileSync('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - started;
}

function hasCommand(name: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${name}`]).status === 0;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  await ensureTrail();
  const files = `find ${JSON.stringify(TRAIL)} -name '*.json.gz' -print0 | sort -z`;
  const gzBytes = Number(execFileSync('bash', ['-c', `${files} | xargs -0 cat | wc -c`], { encoding: 'utf8' }).trim());

  // Warm the page cache so that every contender reads from memory, not disk.
  shell(`${files} | xargs -0 cat > /dev/null`);
  const gzipMs = shell(`${files} | xargs -0 cat | gzip -dc > /dev/null`);
  const jqMs = hasCommand('jq') ? shell(`${files} | xargs -0 cat | gzip -dc | jq -c '${JQ_FILTER}' > /dev/null`) : undefined;

  const parse = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'parseOnly.ts'), TRAIL], { encoding: 'utf8' }),
  ) as { ms: number };
  rmSync(CACHE, { recursive: true, force: true });
  const cold = scan(DETECTION);
  const warm = scan(DETECTION);
  const second = scan(SECOND);

  const lines = [
    `Trailbook local scan: ${EVENTS.toLocaleString('en-US')} events, ${(gzBytes / 1e6).toFixed(0)} MB gzip, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`,
    '',
    `  cold run (parse + cache + query)   ${seconds(cold.totalMs).padStart(9)}   scan ${seconds(cold.scanMs)}, query ${seconds(cold.queryMs)}, ${cold.rows} rows, peak ${cold.maxRssMB.toFixed(0)} MB`,
    `  warm run (same query, cached)      ${seconds(warm.totalMs).padStart(9)}   ${((warm.totalMs / cold.totalMs) * 100).toFixed(1)}% of cold (goal ≤ 5%), peak ${warm.maxRssMB.toFixed(0)} MB`,
    `  second query (same window)         ${seconds(second.totalMs).padStart(9)}   ${((second.totalMs / cold.totalMs) * 100).toFixed(1)}% of cold (goal ≤ 5%), ${second.rows} rows`,
    `  DuckDB parse only (nothing kept)    ${seconds(parse.ms).padStart(9)}   ${(parse.ms / gzipMs).toFixed(2)}× gzip -dc: the JSON parse alone, on every core`,
    `  gzip -dc (the one-stream floor)    ${seconds(gzipMs).padStart(9)}   cold is ${(cold.totalMs / gzipMs).toFixed(2)}× (goal ≤ 1.0×)`,
    jqMs === undefined
      ? '  zcat | jq                          (jq not installed: apt-get install jq)'
      : `  zcat | jq (same selection)         ${seconds(jqMs).padStart(9)}   cold is ${(jqMs / cold.totalMs).toFixed(1)}× faster (goal ≥ 5×)`,
    `  peak memory (cold)                 ${cold.maxRssMB.toFixed(0).padStart(6)} MB   (goal < 2048 MB)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
