// A smoke test of the built CLI (out/cli.js) on the Node.js that runs this script, so
// the same checks run on Node 20 (npm test's Node) and Node 22 (scripts/node22.sh):
//
//   1. `trailbook --version` names the Node.js, with the SDK note only below Node 22;
//   2. a bundled runbook on the Stratus Red Team detonations in test/fixtures (local
//      logs): exit 1 (its detection finds the trail tampering), the rows expected;
//   3. the same runbook on LookupEvents, through `trailbook serve-cloudtrail` and the real
//      AWS SDK: the same rows, and no NodeVersionSupportWarning on standard error.
//
//   node scripts/cli-smoke.mjs            (after npm run build)
//   "$(bash scripts/node22.sh)" scripts/cli-smoke.mjs
//
// Exits 0 when every check holds; otherwise prints what differed and exits 1.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out/cli.js');
const logs = join(root, 'test/fixtures/stratus-red-team/detonation-logs');
const runbook = 'runbooks/cloudtrail-tampering.md';
const window = ['--start', '2024-01-01T00:00:00Z', '--end', '2025-01-01T00:00:00Z'];
const started = Date.now();
const cache = mkdtempSync(join(tmpdir(), 'trailbook-smoke-'));
// Only what the CLI needs: no AWS profile or SDK switch of the person running this leaks in.
const env = { PATH: process.env.PATH, HOME: cache, TRAILBOOK_CACHE_DIR: join(cache, 'cache') };

function cliRun(args, extraEnv = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw new Error(`trailbook ${args.join(' ')}: ${result.error.message}`);
  return result;
}

/** Each cell's id, status and rows from `--format json`. */
function cellsOf(result, what) {
  let parsed;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `${what}: standard output is not JSON (exit ${result.status}): ${result.stdout.slice(0, 300)}\n${result.stderr.slice(-1000)}`,
    );
  }
  return parsed.cells.map((cell) => ({ id: cell.id, status: cell.status, rows: cell.rows }));
}

/** Starts `trailbook serve-cloudtrail` and reads its endpoint and keys, as a script would. */
async function serve() {
  const child = spawn(process.execPath, [cli, 'serve-cloudtrail', '--logs', logs], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const said = {};
  for await (const line of createInterface({ input: child.stdout })) {
    const pair = /^([A-Z_]+)=(.*)$/.exec(line);
    if (pair) said[pair[1]] = pair[2];
    if (said.TRAILBOOK_ENDPOINT && said.AWS_ACCESS_KEY_ID && said.AWS_SECRET_ACCESS_KEY) break;
  }
  if (!said.AWS_SECRET_ACCESS_KEY) throw new Error(`serve-cloudtrail printed no keys (exit ${child.exitCode}): ${stderr}`);
  return { said, stop: () => child.kill('SIGTERM') };
}

const checks = [];
try {
  const version = cliRun(['--version']);
  assert.equal(version.status, 0, `--version exited ${version.status}: ${version.stderr}`);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.ok(
    version.stdout.startsWith(`trailbook ${manifest.version} (Node.js ${process.version})\n`),
    `--version printed: ${version.stdout}`,
  );
  const major = Number(process.versions.node.split('.')[0]);
  assert.equal(
    /need Node\.js 22 or later/.test(version.stdout),
    major < 22,
    `--version's note on Node ${process.version}: ${version.stdout}`,
  );
  checks.push('--version');

  const local = cliRun(['run', runbook, '--logs', logs, ...window, '--format', 'json']);
  assert.equal(local.status, 1, `the local run exited ${local.status}, not 1 (a finding): ${local.stderr.slice(-1000)}`);
  const localCells = cellsOf(local, 'the local run');
  const tampering = localCells.find((cell) => cell.id === 'trail-changes');
  assert.equal(tampering?.status, 'finding', `trail-changes: ${JSON.stringify(tampering)}`);
  assert.deepEqual(tampering.rows.map((row) => row.eventName).sort(), ['DeleteTrail', 'PutEventSelectors', 'StopLogging']);
  checks.push('run on local logs');

  const { said, stop } = await serve();
  try {
    // One cell: the endpoint pages at AWS's 2 requests a second, so each cell costs seconds.
    const lookup = cliRun(
      [
        'run',
        runbook,
        '--cell',
        'trail-changes',
        '--source',
        'lookup',
        '--endpoint',
        said.TRAILBOOK_ENDPOINT,
        '--region',
        'us-east-1',
        ...window,
        '--format',
        'json',
      ],
      {
        AWS_ACCESS_KEY_ID: said.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: said.AWS_SECRET_ACCESS_KEY,
      },
    );
    assert.equal(lookup.status, 1, `the LookupEvents run exited ${lookup.status}, not 1 (a finding): ${lookup.stderr.slice(-1000)}`);
    assert.doesNotMatch(lookup.stderr, /NodeVersionSupportWarning/, 'the AWS SDK warned about the Node.js version during a run');
    const lookupTampering = cellsOf(lookup, 'the LookupEvents run').find((cell) => cell.id === 'trail-changes');
    assert.deepEqual(lookupTampering?.rows, tampering.rows, 'trail-changes on LookupEvents differs from local logs');
    checks.push('run on LookupEvents');
  } finally {
    stop();
  }
  console.error(`cli-smoke: Node.js ${process.version}: ${checks.join(', ')}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`cli-smoke: Node.js ${process.version}: failed after ${checks.length ? checks.join(', ') : 'nothing'}: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(cache, { recursive: true, force: true });
}
