// Bad input: every problem is reported with its file (and line or record where known),
// the rest of the logs load, and nothing crashes.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { NoLogsError, scanLocalLogs } from '../../src/sources/local/localLogs';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

let serial = 0;
function record(extra: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  return {
    eventVersion: '1.09',
    eventTime: `2024-07-31T13:${String(serial % 60).padStart(2, '0')}:00Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    eventID: `event-${serial}`,
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
    ...extra,
  };
}

function badTrail(): string {
  const dir = tempDir();
  const write = (name: string, content: string | Buffer): void => writeFileSync(join(dir, name), content);
  write('good.json', JSON.stringify([record(), record()]));
  write('wrapped.json.gz', gzipSync(JSON.stringify({ Records: [record(), record(), record()] })));
  write('malformed.json', '[\n  {"eventTime": "2024-07-31T13:00:00Z",\n   "eventName": "X",,}\n]');
  write('truncated.json.gz', gzipSync(JSON.stringify({ Records: [record(), record()] })).subarray(0, 40));
  write('empty.json', '');
  write('no-event-time.json', JSON.stringify([record(), { eventName: 'Orphan', eventID: 'orphan' }]));
  write('package.json', JSON.stringify({ name: 'not-cloudtrail', version: '1.0.0' }));
  write('wrong-shape.json', JSON.stringify([record(), record({ resources: { ARN: 'not-a-list' } }), record()]));
  write(
    'lines.ndjson',
    [record(), record()].map((r) => JSON.stringify(r)).join('\n') + '\n{"eventTime": broken\n' + JSON.stringify(record()) + '\n',
  );
  write('bad-time.json', JSON.stringify([record({ eventTime: 'yesterday' }), record()]));
  write('notes.txt', 'not a log');
  return dir;
}

test('a folder of bad files: the good events load and every problem is named', async () => {
  const dir = badTrail();
  const store = await openStore();
  const { discovery, ingest } = await scanLocalLogs(store, dir, ALL_TIME);
  const problems = ingest.problems.map(
    (p) => `${p.path.slice(dir.length + 1)}${p.line ? `:${p.line}` : ''}${p.record ? `#${p.record}` : ''} ${p.message}`,
  );

  const has = (file: string, pattern: RegExp): void =>
    assert.ok(
      problems.some((p) => p.startsWith(file) && pattern.test(p)),
      `expected a problem for ${file} matching ${pattern}, got:\n${problems.join('\n')}`,
    );
  has('malformed.json:3', /invalid JSON at line 3/);
  has('truncated.json.gz', /gzip/);
  has('empty.json', /empty/);
  has('no-event-time.json#2', /record 2 without eventTime/);
  has('package.json#1', /without eventTime \(not CloudTrail records\)/);
  has('wrong-shape.json#2', /record 2: resources is an object, expected a list/);
  has('lines.ndjson:3#3', /record 3 \(line 3\): invalid JSON/);
  has('bad-time.json#1', /an eventTime that cannot be read as a date and time \(e\.g\. yesterday\)/);
  assert.equal(problems.length, 8, problems.join('\n'));

  assert.deepEqual(
    discovery.ignored.map((p) => p.slice(dir.length + 1)),
    ['notes.txt'],
  );
  // good 2 + wrapped 3 + no-event-time 1 + wrong-shape 2 + lines 3 + bad-time 1
  const [count] = itemAt(await query(store, dir, 'SELECT count(*) FROM cloudtrail_logs'), 0);
  assert.equal(count, 12);
});

/** Files named as CloudTrail names its logs, which are read without looking at their first bytes. */
function deliveredName(i: number): string {
  return `111122223333_CloudTrail_us-east-1_20240731T13${String(i).padStart(2, '0')}Z_deliver${i}.json.gz`;
}

const NOT_A_LOG: Record<string, string> = {
  'an empty object': '{}',
  'an object without Records': '{"eventVersion":"1.09","note":"not a log"}',
  'Records that are null': '{"Records":null}',
  'records under another name': '{"records":[{"eventTime":"2024-07-31T13:00:00Z"}]}',
};

for (const [packed, neighbours] of [
  ['read from a pack', 12],
  ['read as it is', 2],
] as const) {
  test(`a log file holding no list of Records, beside others (${packed}), is named, never stored as a log of no events`, async () => {
    // Beside other files, DuckDB's reader takes `{}` or `{"a": 1}` for no events, where it
    // refuses `{}` read alone: a file that is no log would have passed for an empty one.
    const dir = tempDir();
    let n = 0;
    for (let i = 0; i < neighbours; i++)
      writeFileSync(join(dir, deliveredName(n++)), gzipSync(JSON.stringify({ Records: [record(), record()] })));
    const bad = new Map<string, string>();
    for (const [shape, text] of Object.entries(NOT_A_LOG)) {
      const name = deliveredName(n++);
      writeFileSync(join(dir, name), gzipSync(text));
      bad.set(name, shape);
    }
    writeFileSync(join(dir, deliveredName(n++)), gzipSync('{"Records":[]}'));
    const store = await openStore();
    const { ingest } = await scanLocalLogs(store, dir, ALL_TIME);
    const named = ingest.problems.map((p) => p.path.slice(dir.length + 1));
    assert.deepEqual([...named].sort(), [...bad.keys()].sort(), ingest.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    for (const problem of ingest.problems)
      assert.match(problem.message, /Records|not a CloudTrail log/, bad.get(problem.path.slice(dir.length + 1)));
    const [count] = itemAt(await query(store, dir, 'SELECT count(*) FROM cloudtrail_logs'), 0);
    assert.equal(count, neighbours * 2, 'every honest event, and a log of no events is no problem');
  });
}

test('problems are reported again on a warm run, from the cache, without reparsing', async () => {
  const dir = badTrail();
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const first = await scanLocalLogs(store, dir, ALL_TIME);
  const second = await scanLocalLogs(store, dir, ALL_TIME);
  assert.equal(second.ingest.filesParsed, 0);
  assert.deepEqual(second.ingest.problems, first.ingest.problems);
});

test('a folder with no logs is an error that says what to point at', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'README.md'), '# nothing here');
  const store = await openStore();
  await assert.rejects(scanLocalLogs(store, dir, ALL_TIME), (error: Error) => {
    assert.ok(error instanceof NoLogsError);
    assert.match(error.message, /no CloudTrail log files .* under .*README\.md/s);
    return true;
  });
});

test('a log path that does not exist is an error naming it', async () => {
  const store = await openStore();
  await assert.rejects(scanLocalLogs(store, '/nonexistent/trail', ALL_TIME), /log path \/nonexistent\/trail does not exist/);
});
