// Runbook tests (drills): every bundled runbook's cases pass through `trailbook test`, and
// the command tells a bad case, a failing case and a cell that is not configured apart.
// Also: a detection cell without a parameter it needs says "not configured" (exit 3), and
// lint warns about detections without cases and cases for cells that do not exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runTests } from '../../src/cli/testCommand';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const RUNBOOKS = join(ROOT, 'runbooks');

function trailbook(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The case files the `.tests` folders hold: <cell>/<fires|quiet>/<case>.json, not the expect files. */
function caseFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return caseFiles(path);
    return /(fires|quiet)\/[^/]+\.json$/.test(path) && !path.endsWith('.expect.json') ? [path] : [];
  });
}

test('every case of every bundled runbook passes', async () => {
  const lines: string[] = [];
  const summary = await runTests([RUNBOOKS], (line) => lines.push(line));
  const expected = readdirSync(RUNBOOKS)
    .filter((name) => name.endsWith('.tests'))
    .flatMap((name) => caseFiles(join(RUNBOOKS, name))).length;
  assert.deepEqual(summary, { passed: expected, failed: 0, errors: 0 }, lines.filter((l) => !l.startsWith('✓')).join('\n'));
  assert.ok(expected >= 100, `the bundled runbooks hold ${expected} cases`);
});

test('every detection of the bundled runbooks has a case that fires and one that stays quiet', () => {
  for (const file of readdirSync(RUNBOOKS).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(RUNBOOKS, file), 'utf8');
    for (const m of text.matchAll(/^```cloudtrail id=([\w-]+)[^\n]*expect=empty/gm)) {
      const cell = join(RUNBOOKS, file.replace(/\.md$/, '.tests'), itemAt(m, 1));
      for (const kind of ['fires', 'quiet']) {
        const dir = join(cell, kind);
        let cases: string[] = [];
        try {
          cases = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'));
        } catch {
          // reported below
        }
        assert.ok(cases.length > 0, `${file} ${m[1]} has no ${kind} case in ${dir}`);
      }
    }
  }
});

/** A runbook and its tests in a folder of their own. */
function fixture(cases: Record<string, string>, extra: Record<string, string> = {}): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'probe.md'),
    [
      '---',
      'title: Probe',
      'params:',
      '  known_ranges:',
      '    description: your addresses (no default)',
      '    type: list',
      '---',
      '',
      '```cloudtrail id=stops expect=empty',
      "SELECT eventTime, eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'",
      '```',
      '',
      '```cloudtrail id=from-outside expect=empty',
      'SELECT eventID FROM cloudtrail_logs WHERE sourceIPAddress NOT IN ({{known_ranges}})',
      '```',
      '',
    ].join('\n'),
  );
  for (const [path, text] of Object.entries({ ...cases, ...extra })) {
    mkdirSync(join(dir, 'probe.tests', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'probe.tests', path), text);
  }
  return dir;
}

const record = (eventName: string, eventID: string, sourceIPAddress = '203.0.113.9') => ({
  eventVersion: '1.10',
  eventTime: '2026-10-14T02:00:00Z',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName,
  eventID,
  awsRegion: 'eu-west-1',
  sourceIPAddress,
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/probe', accountId: '123456789012' },
  recipientAccountId: '123456789012',
});
const log = (...records: object[]): string => JSON.stringify({ Records: records });
const STOP = '6f1c2a9e-1111-4d6b-9d1e-5a7c3e2b0f01';
const START = '6f1c2a9e-2222-4d6b-9d1e-5a7c3e2b0f02';

test('a case that passes, one that fails with the rows it got, and one the cell misses', () => {
  const dir = fixture({
    'stops/fires/stopped.json': log(record('StopLogging', STOP)),
    'stops/fires/stopped.expect.json': JSON.stringify({ eventIDs: [STOP] }),
    'stops/fires/only-started.json': log(record('StartLogging', START)),
    'stops/quiet/stopped-again.json': log(record('StopLogging', STOP)),
  });
  const { status, stdout } = trailbook('test', dir);
  assert.equal(status, 1, stdout);
  assert.match(stdout, /✓ .*probe\.md stops fires\/stopped\n/);
  assert.match(stdout, /✗ .*probe\.md stops fires\/only-started: expected rows, the cell returned nothing/);
  assert.match(
    stdout,
    /✗ .*probe\.md stops quiet\/stopped-again: expected no rows, the cell returned 1 row:\n.*eventTime.*eventID[\s\S]*6f1c2a9e-1111/,
  );
  assert.match(stdout, /1 passed, 2 failed\n/);
});

test('an expected eventID the cell does not return fails the case', () => {
  const dir = fixture({
    'stops/fires/stopped.json': log(record('StopLogging', STOP), record('StartLogging', START)),
    'stops/fires/stopped.expect.json': JSON.stringify({ eventIDs: [STOP, START] }),
  });
  const { status, stdout } = trailbook('test', dir);
  assert.equal(status, 1);
  assert.match(stdout, /the eventID column lacks 6f1c2a9e-2222-4d6b-9d1e-5a7c3e2b0f02/);
});

test('a case that cannot run names the file and the reason, and the run exits 2', () => {
  const dir = fixture({
    'stops/fires/truncated.json': '{"Records": [',
    'stops/quiet/no-records.json': '{"Events": []}',
    'stops/quiet/no-time.json': log({ ...record('StartLogging', START), eventTime: 'yesterday' }),
    'gone/fires/x.json': log(record('StopLogging', STOP)),
  });
  const { status, stdout } = trailbook('test', dir);
  assert.equal(status, 2, stdout);
  assert.match(stdout, /stops fires\/truncated: could not run: .*truncated\.json: is not valid JSON/);
  assert.match(stdout, /no-records\.json: a case is a CloudTrail log file: \{"Records":\[…\]\}, and this one has no Records list/);
  assert.match(stdout, /no-time\.json: Records\[0\] has no valid eventTime/);
  assert.match(stdout, /gone fires\/x: could not run: .*has no cell "gone"/);
  assert.match(stdout, /0 passed, 0 failed, 4 could not run/);
});

test("a detection whose parameter is unset cannot run; params.yaml and a case's own params set it", () => {
  const outside = log(record('StopLogging', STOP, '185.220.101.47'));
  const unset = fixture({ 'from-outside/fires/tor.json': outside });
  const first = trailbook('test', unset);
  assert.equal(first.status, 2);
  assert.match(
    first.stdout,
    /could not run: cell from-outside: not configured: set `known_ranges` \(give it in the runbook's \.tests\/params\.yaml\)/,
  );

  const set = fixture(
    { 'from-outside/fires/tor.json': outside, 'from-outside/quiet/office.json': log(record('StopLogging', START)) },
    {
      'params.yaml': 'known_ranges: [203.0.113.9]\n',
      'from-outside/quiet/office.params.yaml': 'known_ranges: [203.0.113.9, 198.51.100.1]\n',
    },
  );
  const second = trailbook('test', set);
  assert.equal(second.status, 0, second.stdout);
  assert.match(second.stdout, /2 passed, 0 failed/);

  const typo = fixture({ 'from-outside/fires/tor.json': outside }, { 'params.yaml': 'known_range: [203.0.113.9]\n' });
  const third = trailbook('test', typo);
  assert.equal(third.status, 2);
  assert.match(third.stdout, /params\.yaml: .*declares no parameter "known_range"/);
});

test('trailbook run: a cell without its environment parameter says "not configured" and exits 3', () => {
  const dir = fixture({});
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  writeFileSync(join(logs, 'events.json'), log(record('StartLogging', START)));
  const run = trailbook('run', join(dir, 'probe.md'), '--logs', logs, '--no-cache');
  assert.equal(run.status, 3, run.stdout + run.stderr);
  assert.match(run.stdout, /○ from-outside \(line \d+\): not configured: set `known_ranges`/);
  assert.match(run.stdout, /✓ stops \(line \d+\): 0 rows/);
  const json = trailbook('run', join(dir, 'probe.md'), '--logs', logs, '--no-cache', '--format', 'json', '--cell', 'from-outside');
  const cell = itemAt((JSON.parse(json.stdout) as { cells: Array<{ status: string; error: { message: string } }> }).cells, 0);
  assert.deepEqual([cell.status, cell.error.message], ['unconfigured', 'not configured: set `known_ranges`']);
  const given = trailbook('run', join(dir, 'probe.md'), '--logs', logs, '--no-cache', '--param', 'known_ranges=203.0.113.9');
  assert.equal(given.status, 0, given.stdout + given.stderr);
});

test('lint warns about a detection without a fires case and about cases for a cell that does not exist', () => {
  const dir = fixture({
    'stops/quiet/started.json': log(record('StartLogging', START)),
    'renamed/fires/x.json': log(record('StopLogging', STOP)),
  });
  const { status, stdout } = trailbook('lint', join(dir, 'probe.md'));
  assert.equal(status, 0, stdout);
  assert.match(
    stdout,
    /probe\.md:9: warning: detection stops has no test case that makes it fire: add .*probe\.tests\/stops\/fires\/<case>\.json/,
  );
  assert.match(stdout, /probe\.md:13: warning: detection from-outside has no test case/);
  assert.match(
    stdout,
    /probe\.md:1: warning: .*probe\.tests\/renamed holds test cases for cell "renamed", which this runbook does not have/,
  );
});

test("drill lists the generator's attacks and refuses a name it does not know", () => {
  const list = trailbook('drill', '--list');
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^console-login-no-mfa\n {4}Two failed console logins/m);
  const unknown = trailbook('drill', '--attack', 'teleport');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown attack "teleport"; known attacks: stop-logging, delete-trail/);
});
