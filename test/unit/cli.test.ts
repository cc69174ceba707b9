// The CLI as CI runs it: a real process, real runbooks, the real Stratus events; exit
// status 0 (expectations hold), 1 (a detection found rows), 2 (usage or input error).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';

const ROOT = resolve(__dirname, '../..');
const logs = stratusDir();
const cache = tempDir();
// The bundled runbooks look at the last 7 days; the Stratus events are from 2024.
const STRATUS_WINDOW = ['--window', '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z'];

function trailbook(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TRAILBOOK_CACHE_DIR: cache },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const tamperingEvents = readdirSync(logs)
  .flatMap((f) => JSON.parse(readFileSync(join(logs, f), 'utf8')) as Array<{ eventSource: string; eventName: string; eventID: string }>)
  .filter(
    (e) =>
      e.eventSource === 'cloudtrail.amazonaws.com' &&
      ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'].includes(e.eventName),
  );

test('a detection that finds rows exits 1 and prints them', () => {
  const { status, stdout } = trailbook(
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    logs,
    ...STRATUS_WINDOW,
    '--cell',
    'trail-changes',
  );
  assert.equal(status, 1);
  assert.match(stdout, /── trail-changes · Detect: trails stopped, deleted or narrowed ──/);
  assert.match(stdout, /StopLogging/);
  assert.match(stdout, new RegExp(`⚠ trail-changes \\(line \\d+\\): ${tamperingEvents.length} findings`));
});

test('json output holds every cell with its rows, status and the SQL as run', () => {
  const { status, stdout } = trailbook('run', 'runbooks/cloudtrail-tampering.md', '--logs', logs, ...STRATUS_WINDOW, '--format', 'json');
  assert.equal(status, 1);
  const report = JSON.parse(stdout);
  const cells = Object.fromEntries(report.cells.map((c: { id: string }) => [c.id, c]));
  assert.deepEqual(Object.keys(cells), ['trail-changes', 'other-logs', 'actor-activity', 'verify-restarted']);
  assert.equal(cells['trail-changes'].status, 'finding');
  assert.equal(cells['trail-changes'].rowCount, tamperingEvents.length);
  assert.deepEqual(
    cells['trail-changes'].rows.map((r: { eventName: string }) => r.eventName).sort(),
    tamperingEvents.map((e) => e.eventName).sort(),
  );
  // The pivot got the actors as quoted literals, not as spliced text.
  assert.match(cells['actor-activity'].sql, /userIdentity\.arn IN \('arn:aws:iam::\d+:user\/[^']+'(, '[^']+')*\)/);
  assert.equal(cells['actor-activity'].status, 'ok');
  assert.ok(cells['actor-activity'].rowCount >= tamperingEvents.length);
});

test('csv holds one cell, quoted as RFC 4180 says', () => {
  const { status, stdout } = trailbook(
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    logs,
    ...STRATUS_WINDOW,
    '--cell',
    'trail-changes',
    '--format',
    'csv',
  );
  assert.equal(status, 1);
  const lines = stdout.trimEnd().split('\r\n');
  assert.equal(lines[0], 'eventTime,eventName,actor,sourceIPAddress,recipientAccountId,awsRegion,trail,errorCode');
  assert.equal(lines.length, tamperingEvents.length + 1);
});

test('csv of several cells is refused with the way out', () => {
  const { status, stderr } = trailbook('run', 'runbooks/cloudtrail-tampering.md', '--logs', logs, ...STRATUS_WINDOW, '--format', 'csv');
  assert.equal(status, 2);
  assert.match(
    stderr,
    /csv holds one table: choose a cell with --cell \(cells: trail-changes, other-logs, actor-activity, verify-restarted\)/,
  );
});

test('ndjson gives one object a row, naming its cell', () => {
  const { status, stdout } = trailbook('run', 'test/fixtures/cli/quiet.md', '--logs', logs, '--format', 'ndjson');
  assert.equal(status, 0);
  assert.deepEqual(
    stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l)),
    [{ cell: 'count', events: 310 }],
  );
});

test('nothing found exits 0; --out writes the report and stdout stays empty', () => {
  const out = join(tempDir(), 'report.json');
  const { status, stdout } = trailbook('run', 'test/fixtures/cli/quiet.md', '--logs', logs, '--format', 'json', '--out', out);
  assert.equal(status, 0);
  assert.equal(stdout, '');
  const report = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(
    report.cells.map((c: { id: string; status: string }) => [c.id, c.status]),
    [
      ['nothing', 'ok'],
      ['count', 'ok'],
    ],
  );
});

test('a SQL error names the runbook line, and cells that need it are skipped', () => {
  const { status, stdout } = trailbook('run', 'test/fixtures/cli/sql-error.md', '--logs', logs);
  assert.equal(status, 2);
  assert.match(stdout, /✓ ok \(line 5\): 1 row/);
  assert.match(stdout, /✗ typo \(line 9\): SQL error: Binder Error: Referenced column "eventNaem" not found/);
  assert.match(stdout, /↷ after-typo \(line 15\): skipped: not run: it uses \{\{typo\.eventNaem\}\} and cell "typo" did not complete/);
});

test('lint points at the line of the SQL error without running anything', () => {
  const { status, stdout, stderr } = trailbook('lint', 'test/fixtures/cli/sql-error.md');
  assert.equal(status, 2);
  // Line 11, column 8: the misspelt name itself, with DuckDB's candidate.
  assert.match(
    stdout,
    /test\/fixtures\/cli\/sql-error\.md:11:8: error: cell typo: no column named "eventNaem" here; did you mean "eventName"\? \(Binder Error\)/,
  );
  assert.match(stderr, /1 runbook checked: 1 error, 0 warnings/);
});

test('a query that reads other files is refused, at lint and at run time', () => {
  const lint = trailbook('lint', 'test/fixtures/cli/stolen-file.md');
  assert.equal(lint.status, 2);
  assert.match(lint.stdout, /the table function read_text is not available in runbook queries/);
  const run = trailbook('run', 'test/fixtures/cli/stolen-file.md', '--logs', logs);
  assert.equal(run.status, 2);
  assert.match(run.stdout, /the table function read_text is not available/);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(readFileSync('/etc/hostname', 'utf8').trim() || 'never-empty'));
});

test('parameters are passed, validated against their pattern, and required', () => {
  const ok = trailbook('run', 'test/fixtures/cli/by-user.md', '--logs', logs, '--param', 'user=christophe', '--format', 'json');
  assert.equal(ok.status, 0);
  assert.ok(JSON.parse(ok.stdout).cells[0].rowCount > 0);
  const hostile = trailbook('run', 'test/fixtures/cli/by-user.md', '--logs', logs, '--param', "user=x' OR '1'='1");
  assert.equal(hostile.status, 2);
  assert.match(hostile.stdout, /does not match/);
  // No default and not given: the cell is not configured, which is exit 3 (not 2, not 0).
  const missing = trailbook('run', 'test/fixtures/cli/by-user.md', '--logs', logs);
  assert.equal(missing.status, 3);
  assert.match(missing.stdout, /not configured: set `user`/);
});

test('usage errors exit 2 with the fix', () => {
  const noLogs = trailbook('run', 'runbooks/cloudtrail-tampering.md');
  assert.equal(noLogs.status, 2);
  assert.match(noLogs.stderr, /--logs PATH is required/);
  const format = trailbook('run', 'runbooks/cloudtrail-tampering.md', '--logs', logs, ...STRATUS_WINDOW, '--format', 'xml');
  assert.equal(format.status, 2);
  assert.match(format.stderr, /--format xml: use one of table, json, csv, ndjson/);
  const unknown = trailbook('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const missingRunbook = trailbook('run', 'nope.md', '--logs', logs);
  assert.equal(missingRunbook.status, 2);
  assert.match(missingRunbook.stderr, /runbook nope\.md does not exist/);
  const bad = trailbook('run', 'test/fixtures/runbooks/bad-cells.md', '--logs', logs);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad-cells\.md:\d+: error: /);
  const window = trailbook('run', 'test/fixtures/cli/quiet.md', '--logs', logs, '--window', 'forever');
  assert.equal(window.status, 2);
  assert.match(window.stderr, /window "forever" is not valid/);
});

test('the bundled runbooks pass lint', () => {
  const { status, stdout, stderr } = trailbook('lint', 'runbooks');
  assert.equal(status, 0, stdout + stderr);
  assert.match(stderr, /runbooks? checked: 0 errors/);
});

test('lint warns about Trino functions that behave differently here, without failing', () => {
  const { status, stdout } = trailbook('lint', 'test/fixtures/cli/portability.md');
  assert.equal(status, 0);
  assert.match(
    stdout,
    /portability\.md:6: warning: cell formatted: format does not behave as in Athena here \(DuckDB format\(\) uses \{\} placeholders/,
  );
});

test('lint warns when a runbook was last reviewed more than 90 days ago', () => {
  const { status, stdout } = trailbook('lint', 'test/fixtures/cli/stale.md', 'runbooks/cloudtrail-tampering.md');
  assert.equal(status, 0);
  assert.match(stdout, /stale\.md:1: warning: last reviewed 2020-01-15, \d+ days ago/);
  assert.doesNotMatch(stdout, /cloudtrail-tampering\.md:1: warning: last reviewed/);
});
