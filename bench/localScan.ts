// `npm run bench`: the local engine on generated events in the S3 layout, beside the floor a
// reader cannot beat on one stream (gzip -dc) and the tool people reach for (zcat | jq), as
// the table of issue 16: each measure with its goal and whether it was met. Figures, not a
// pass/fail test. `npm run bench -- --events 10000000` adds the ten-million-event case
// (generated once, kept outside the repository: it is 1.7 GB). `-- --small-files` scans the
// same events split into files of a few events each, as an organisation's quiet regions
// deliver them (benchTrail.ts, ensureSmallFileTrail).
//
// The machine is shared: the load average is printed beside every figure, since a figure
// taken at a load of 6 on 2 cores says more about the neighbours than about Trailbook.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { oneMinuteLoad, textTable as table } from './figures';
import { join } from 'node:path';
import { benchRoot, benchTrailDir, ensureBenchTrail, ensureSmallFileTrail, smallFileTrailDir } from './benchTrail';
import { buildCli, timeCli, timeCliRun } from './cliProcess';
import { cacheDirFor } from '../src/app/cacheLocation';

function eventsAsked(): number {
  const at = process.argv.indexOf('--events');
  const text = at >= 0 ? process.argv[at + 1] : process.env.BENCH_EVENTS;
  const events = Number(text ?? 1_000_000);
  if (!Number.isInteger(events) || events <= 0) throw new Error(`--events ${text}: give a whole number of events, e.g. --events 10000000`);
  return events;
}

const EVENTS = eventsAsked();
const LARGE = EVENTS > 1_000_000;
const ROOT = benchRoot(EVENTS);
const SMALL_FILES = process.argv.includes('--small-files');
const TRAIL = SMALL_FILES ? smallFileTrailDir(EVENTS) : benchTrailDir(EVENTS);
// The folder `trailbook run --logs TRAIL` keeps its cache in under TRAILBOOK_CACHE_DIR=ROOT,
// so the CLI's warm run reads the cache these scans write.
const CACHE = cacheDirFor(ROOT, TRAIL);

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
const JQ_FILTER =
  '.Records[] | select(.eventSource == "cloudtrail.amazonaws.com" and (.eventName == "StopLogging" or .eventName == "DeleteTrail" or .eventName == "UpdateTrail" or .eventName == "PutEventSelectors"))';

interface Run {
  answeredFirst: boolean;
  answerMs: number;
  totalMs: number;
  /** The same cell run again in the same process, as a new run. */
  againMs: number;
  rows: number;
  /** The notes the first answer came with. */
  answerNotes: string[];
  /** The whole process tree (the CLI-like process and its ingest worker), sampled. */
  peakMB: number;
  load: string;
}

const load = oneMinuteLoad;

/** Resident memory of `pid` and its descendants, in MB (Linux /proc; 0 elsewhere). */
function treeRssMB(pid: number): number {
  if (!existsSync('/proc')) return 0;
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, ppid] of parent) if (tree.has(ppid) && !tree.has(child)) (tree.add(child), (grew = true));
  }
  let pages = 0;
  for (const member of tree) {
    try {
      pages += Number(readFileSync(`/proc/${member}/statm`, 'utf8').split(' ')[1]);
    } catch {
      // gone meanwhile
    }
  }
  return (pages * 4096) / 1024 / 1024;
}

/**
 * The cold and warm runs measure the code users run: scanOnce bundled as the CLI is, with
 * the ingest worker bundled beside it, which it starts as the CLI starts out/ingestWorker.js
 * (no TypeScript compiled on the way). In a folder of their own: every bundle directly in
 * out/ is one the VSIX must hold (scripts/package.mjs checks).
 */
const BENCH_BUILD = join(__dirname, '..', 'out', 'bench');
const SCAN_ONCE = join(BENCH_BUILD, 'scanOnce.js');

async function buildScanOnce(): Promise<void> {
  await build({
    entryPoints: {
      scanOnce: join(__dirname, 'scanOnce.ts'),
      ingestWorker: join(__dirname, '..', 'src', 'sources', 'local', 'ingestWorker.ts'),
      searchThread: join(__dirname, '..', 'src', 'sources', 'local', 'searchThread.ts'),
    },
    outdir: BENCH_BUILD,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@duckdb/*'],
    logLevel: 'warning',
  });
}

/** Warm runs take half a second, in which the machine's neighbours weigh: the run of the median time of three. */
async function medianRun(run: () => Promise<Run>): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < 3; i += 1) runs.push(await run());
  const sorted = runs.sort((a, b) => a.totalMs - b.totalMs);
  return sorted[1]!;
}

function scan(sql: string, mode: 'answer-first' | 'scan-first' | 'answer-only' = 'answer-first'): Promise<Run> {
  const loadAtStart = load();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SCAN_ONCE, TRAIL, CACHE, sql, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let peakMB = 0;
    const sampler = setInterval(() => (peakMB = Math.max(peakMB, treeRssMB(child.pid!))), 100);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (status) => {
      clearInterval(sampler);
      if (status !== 0) return fail(new Error(`scan failed with status ${status}`));
      const run = JSON.parse(out) as Omit<Run, 'peakMB' | 'load'> & { maxRssMB: number };
      done({ ...run, peakMB: Math.max(peakMB, run.maxRssMB), load: `${loadAtStart}–${load()}` });
    });
  });
}

function shell(script: string): { ms: number; load: string } {
  const loadAtStart = load();
  const started = performance.now();
  execFileSync('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { ms: performance.now() - started, load: `${loadAtStart}–${load()}` };
}

function hasCommand(name: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${name}`]).status === 0;
}

/** How many files a cold first answer read, from its note (directAnswer.ts reads only those holding the cell's strings). */
function filesRead(run: Run): string {
  const searched = /answered from the ([\d,]+) files? holding/.exec(run.answerNotes[0] ?? '');
  if (searched) return `${searched[1]} (searched)`;
  const parsed = /: ([\d,]+) parsed/.exec(run.answerNotes[0] ?? '');
  return parsed ? `${parsed[1]} (all)` : '?';
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const times = (ratio: number): string => `${ratio.toFixed(2)}×`;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT MET');

async function main(): Promise<void> {
  await (SMALL_FILES ? ensureSmallFileTrail(EVENTS) : ensureBenchTrail(EVENTS));
  await buildScanOnce();
  buildCli();
  const files = `find ${JSON.stringify(TRAIL)} -name '*.json.gz' -print0 | sort -z`;
  const gzBytes = Number(execFileSync('bash', ['-c', `${files} | xargs -0 cat | wc -c`], { encoding: 'utf8' }).trim());
  const fileCount = Number(execFileSync('bash', ['-c', `${files} | tr -cd '\\0' | wc -c`], { encoding: 'utf8' }).trim());

  // Warm the page cache so that every contender reads from memory, not disk.
  shell(`${files} | xargs -0 cat > /dev/null`);
  const gzip = shell(`${files} | xargs -0 cat | gzip -dc > /dev/null`);
  const jq = hasCommand('jq') ? shell(`${files} | xargs -0 cat | gzip -dc | jq -c '${JQ_FILTER}' > /dev/null`) : undefined;
  // The floor under every warm run: Node's start and loading DuckDB's native library.
  const start = shell(`${JSON.stringify(process.execPath)} -e "require('@duckdb/node-api').DuckDBInstance.create(':memory:')"`);
  const parseLoad = load();
  const parse = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'parseOnly.ts'), TRAIL], { encoding: 'utf8', maxBuffer: 1 << 30 }),
  ) as { ms: number };

  // The one-parse cold scan (parse, write the cache, then answer): what CI and output printed
  // at the end (json, csv, --out) do; the editor and `trailbook run` on a terminal answer first.
  rmSync(CACHE, { recursive: true, force: true });
  const onePass = await scan(DETECTION, 'scan-first');
  // A cell whose required strings are in most files: the search gives up and every file is read.
  rmSync(CACHE, { recursive: true, force: true });
  const common = await scan(SECOND, 'answer-only');
  rmSync(CACHE, { recursive: true, force: true });
  const cold = await scan(DETECTION);
  const cacheBytes = Number(execFileSync('du', ['-sb', CACHE], { encoding: 'utf8' }).split('\t')[0]);
  const warm = await medianRun(() => scan(DETECTION));
  const second = await medianRun(() => scan(SECOND));
  const cliWarm = timeCliRun(DETECTION, TRAIL, ROOT);
  const cliVersion = timeCli(['--version'], {}, 5);
  if (!cold.answeredFirst) process.stderr.write('note: the cold run was not answered first (see directAnswer.ts for when it is not)\n');

  const memoryGoalMB = LARGE ? 2048 : 1024;
  const g = gzip.ms;
  const rows: string[][] = [
    ['measure', 'figure', 'load (1 min)', 'goal', ''],
    [
      "cold: time to the first cell's complete answer",
      `${seconds(cold.answerMs)} = ${times(cold.answerMs / g)} gzip -dc`,
      cold.load,
      '≤ 1.0× gzip -dc',
      met(cold.answerMs <= g),
    ],
    [
      'cold: everything, cache written: one parse (CI, output at the end)',
      `${seconds(onePass.totalMs)} = ${times(onePass.totalMs / g)} gzip -dc`,
      onePass.load,
      '≤ 1.5× gzip -dc',
      met(onePass.totalMs <= 1.5 * g),
    ],
    [
      'cold: everything, cache written: answered first (editor, terminal)',
      `${seconds(cold.totalMs)} = ${times(cold.totalMs / g)} gzip -dc`,
      cold.load,
      '≤ 1.5× gzip -dc',
      met(cold.totalMs <= 1.5 * g),
    ],
    jq
      ? [
          'against zcat | jq selecting the same events',
          `${seconds(jq.ms)}: first answer ${(jq.ms / cold.answerMs).toFixed(1)}× faster`,
          jq.load,
          '≥ 5× faster',
          met(jq.ms >= 5 * cold.answerMs),
        ]
      : ['against zcat | jq selecting the same events', 'jq not installed (apt-get install jq)', '', '≥ 5× faster', '—'],
    [
      'warm re-run (same query, from the cache; median of 3)',
      `${seconds(warm.totalMs)} = ${((warm.totalMs / cold.answerMs) * 100).toFixed(1)}% of cold`,
      warm.load,
      '≤ 3% of cold',
      met(warm.totalMs <= 0.03 * cold.answerMs),
    ],
    [
      'warm re-run, `trailbook run` as a process (median of 3)',
      `${seconds(cliWarm.ms)} = ${((cliWarm.ms / cold.answerMs) * 100).toFixed(1)}% of cold`,
      cliWarm.load,
      '≤ 3% of cold',
      met(cliWarm.ms <= 0.03 * cold.answerMs),
    ],
    [
      'a second query on the same window (median of 3)',
      `${seconds(second.totalMs)} = ${((second.totalMs / cold.answerMs) * 100).toFixed(1)}% of cold`,
      second.load,
      '≤ 3% of cold',
      met(second.totalMs <= 0.03 * cold.answerMs),
    ],
    [
      `peak memory, cold (process and worker, either way)`,
      `${Math.max(cold.peakMB, onePass.peakMB).toFixed(0)} MB`,
      `${cold.load}, ${onePass.load}`,
      `< ${memoryGoalMB} MB`,
      met(Math.max(cold.peakMB, onePass.peakMB) < memoryGoalMB),
    ],
    [
      'disk for the cache',
      `${(cacheBytes / 1e6).toFixed(0)} MB = ${times(cacheBytes / gzBytes)} the gzip size`,
      '',
      '≤ 0.5× the gzip size',
      met(cacheBytes <= 0.5 * gzBytes),
    ],
  ];
  const reference: string[][] = [
    ['for reference', 'figure', 'load (1 min)'],
    ['gzip -dc over the same files (one stream)', seconds(g), gzip.load],
    ['DuckDB parsing every file, keeping nothing', `${seconds(parse.ms)} = ${times(parse.ms / g)} gzip -dc`, parseLoad],
    [
      'cold, one parse: its answer, and peak memory',
      `${seconds(onePass.answerMs)} = ${times(onePass.answerMs / g)} gzip -dc, peak ${onePass.peakMB.toFixed(0)} MB`,
      onePass.load,
    ],
    [
      'cold: first answer of the second query, whose strings most files hold (every file read)',
      `${seconds(common.answerMs)} = ${times(common.answerMs / g)} gzip -dc`,
      common.load,
    ],
    ['a process that only starts Node and loads DuckDB (in every run above)', seconds(start.ms), start.load],
    ["`trailbook --version` as a process (median of 5): the CLI's start", seconds(cliVersion.ms), cliVersion.load],
    ['rows: detection (cold, warm), second query', `${cold.rows}, ${warm.rows}, ${second.rows}`, ''],
    ['files read for the first answer: detection, second query', `${filesRead(cold)}, ${filesRead(common)}`, ''],
  ];
  // Two of the goals measure the wrong thing (docs/local-logs.md, "The goals, restated"):
  // warm runs against what the issue called fine (2.6–2.9% of its 10.9 s cold run, 0.33 s), and
  // the cache against what the logs' random ids allow.
  const inProcessGoalMs = LARGE ? 1000 : 330;
  const processGoalMs = LARGE ? 1500 : 500;
  const inProcess = Math.max(warm.againMs, second.againMs);
  const restated: string[][] = [
    ['the goals restated', 'figure', 'goal', ''],
    [
      'warm, the next cell in a running process, as in the editor (the slower of the two queries)',
      seconds(inProcess),
      `≤ ${seconds(inProcessGoalMs)}`,
      met(inProcess <= inProcessGoalMs),
    ],
    ['warm, `trailbook run` as a process (as above)', seconds(cliWarm.ms), `≤ ${seconds(processGoalMs)}`, met(cliWarm.ms <= processGoalMs)],
    ['disk for the cache', times(cacheBytes / gzBytes), '≤ 0.6× the gzip size', met(cacheBytes <= 0.6 * gzBytes)],
  ];
  const cores = execFileSync('nproc', { encoding: 'utf8' }).trim();
  process.stdout.write(
    `Trailbook local scan: ${EVENTS.toLocaleString('en-US')} events in ${fileCount.toLocaleString('en-US')} files, ${(gzBytes / 1e6).toFixed(0)} MB gzip, ${cores} cores\n\n` +
      `${table(rows)}\n\n${table(restated)}\n\n${table(reference)}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
