// The input shapes that must not turn a check green or red by accident, through the CLI as
// CI runs it (a real process, its exit status): SIEM forms of eventTime give the same
// verdict as CloudTrail's own, an export is read with a note, and logs none of which could
// be read fail the run (2) instead of passing it with "0 rows".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseRunbook } from '../../src/runbook/parse';
import { runRunbook } from '../../src/app/runbookRunner';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';

const ROOT = resolve(__dirname, '../..');

// A burst detection written the way runbooks filter by time.
const RUNBOOK = `---
title: Bucket listing burst
---

# Bucket listing burst

\`\`\`cloudtrail id=burst expect=empty
SELECT userIdentity.arn AS actor, count(*) AS calls
FROM cloudtrail_logs
WHERE eventName = 'ListBuckets'
  AND from_iso8601_timestamp(eventTime) BETWEEN from_iso8601_timestamp('2024-12-16T18:00:00Z') AND from_iso8601_timestamp('2024-12-16T19:00:00Z')
GROUP BY 1
HAVING count(*) >= 3
\`\`\`
`;

function trailbook(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TRAILBOOK_CACHE_DIR: tempDir() },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function setUp(files: Record<string, string>): { runbook: string; logs: string } {
  const dir = tempDir();
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(logs, name), content);
  const runbook = join(dir, 'burst.md');
  writeFileSync(runbook, RUNBOOK);
  return { runbook, logs };
}

const BURST = ['18:41:07', '18:41:09', '18:41:12', '18:41:15'];

test("a burst exported by a SIEM (eventTime 2024-12-16 18:41:07.000000000) is found as in CloudTrail's own form: exit 1", () => {
  const siem = setUp({ 'siem.ndjson': BURST.map((t) => JSON.stringify(cloudTrailRecord(`2024-12-16 ${t}.000000000`))).join('\n') });
  const own = setUp({ 'own.json': JSON.stringify({ Records: BURST.map((t) => cloudTrailRecord(`2024-12-16T${t}Z`)) }) });
  const fromSiem = trailbook('run', siem.runbook, '--logs', siem.logs);
  const fromOwn = trailbook('run', own.runbook, '--logs', own.logs);
  assert.equal(fromOwn.status, 1, fromOwn.stderr);
  assert.equal(fromSiem.status, 1, fromSiem.stderr);
  assert.match(fromSiem.stdout, /arn:aws:iam::111122223333:user\/alice\s+4\n/);
  assert.match(fromSiem.stdout, /⚠ burst \(line \d+\): 1 finding/);
  assert.match(fromSiem.stdout, /4 events had eventTime in another form than CloudTrail's \(e\.g\. 2024-12-16 18:41:07\.000000000\)/);
});

test('an Elasticsearch export with @timestamp is read, and the notes say how: exit 1', () => {
  const hits = BURST.map((t, i) => {
    const { eventTime, ...rest } = cloudTrailRecord(`2024-12-16T${t}Z`);
    return { _index: 'cloudtrail', _id: String(i), _source: { '@timestamp': String(eventTime).replace('Z', '.000Z'), ...rest } };
  });
  const { runbook, logs } = setUp({
    'export.json': JSON.stringify({ took: 2, timed_out: false, hits: { total: { value: 4, relation: 'eq' }, hits } }),
  });
  const { status, stdout, stderr } = trailbook('run', runbook, '--logs', logs);
  assert.equal(status, 1, stderr);
  assert.match(stdout, /read 4 events from an Elasticsearch\/OpenSearch export \(1 file\): eventTime taken from @timestamp/);
  assert.doesNotMatch(stderr, /problem/);
});

test('aws cloudtrail lookup-events output is read as CloudTrail: exit 1, and the notes say how', () => {
  const events = BURST.map((t) => cloudTrailRecord(`2024-12-16T${t}Z`));
  const output = {
    Events: events.map((e) => ({
      EventId: e.eventID,
      EventName: e.eventName,
      ReadOnly: 'true',
      EventTime: String(e.eventTime).replace('Z', '+00:00'),
      EventSource: e.eventSource,
      Username: 'alice',
      Resources: [],
      CloudTrailEvent: JSON.stringify(e),
    })),
    NextToken: 'eyJ0b2tlbiI6IG51bGx9',
  };
  const { runbook, logs } = setUp({ 'lookup-events.json': JSON.stringify(output, null, 4) });
  const { status, stdout, stderr } = trailbook('run', runbook, '--logs', logs);
  assert.equal(status, 1, stderr);
  assert.match(stdout, /read 4 events from `aws cloudtrail lookup-events` output \(1 file\): each event from its CloudTrailEvent/);
});

test('every record refused: exit 2, "nothing could be read", never "✓ 0 rows" nor "the rest was read"', () => {
  const { runbook, logs } = setUp({
    'no-time.json': JSON.stringify(BURST.map((t) => ({ ...cloudTrailRecord('x'), eventTime: undefined, time: t }))),
    'broken.json': '{"Records": [',
  });
  const { status, stdout, stderr } = trailbook('run', runbook, '--logs', logs);
  assert.equal(status, 2, stderr);
  assert.match(
    stdout,
    /✗ burst \(line \d+\): nothing could be read from the 2 log files under .*: every file or record was refused \(2 problems, listed with the result\)/,
  );
  assert.doesNotMatch(stdout, /✓/);
  assert.match(stderr, /2 problems reading the events \(nothing could be read\):/);
  assert.doesNotMatch(stderr, /the rest was read/);
  assert.match(stderr, /no-time\.json: 4 records \(1, 2, 3, 4\) without eventTime/);
});

test('some records refused, the rest read: the run judges what was read and says the rest was read', () => {
  const { runbook, logs } = setUp({
    'good.json': JSON.stringify(BURST.slice(0, 2).map((t) => cloudTrailRecord(`2024-12-16T${t}Z`))),
    'broken.json': '{"Records": [',
  });
  const { status, stderr } = trailbook('run', runbook, '--logs', logs);
  assert.equal(status, 0, stderr);
  assert.match(stderr, /1 problem reading the events \(the rest was read\):/);
});

test('the runner: a cell over logs none of which could be read is an error that keeps the notes and problems (the editor shows them)', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'empty.json'), '');
  writeFileSync(join(dir, 'not-cloudtrail.json'), JSON.stringify([{ name: 'x' }]));
  const store = await openStore();
  const [run] = await runRunbook(parseRunbook(RUNBOOK, 'burst.md'), { store, source: new LocalLogsSource(store, dir) });
  assert.equal(run!.status, 'error');
  assert.equal(run!.nothingRead, true);
  assert.match(run!.error!.message, /^nothing could be read from the 2 log files under /);
  assert.deepEqual(run!.error!.kind, { kind: 'noLogs' });
  assert.deepEqual(run!.rows, []);
  assert.equal(run!.problems.length, 2);
  assert.match(run!.notes.join('\n'), /no events in the log files/);
});

test('logs that hold no event and no problem (an empty Records list) are not a failure', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'quiet.json'), JSON.stringify({ Records: [] }));
  const store = await openStore();
  const [run] = await runRunbook(parseRunbook(RUNBOOK, 'burst.md'), { store, source: new LocalLogsSource(store, dir) });
  assert.equal(run!.status, 'ok');
  assert.equal(run!.nothingRead, undefined);
});
