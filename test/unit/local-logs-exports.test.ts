// CloudTrail events exported by other tools are read as CloudTrail, with a note saying how:
// Elasticsearch/OpenSearch exports (a search response, hits one a line, records whose
// eventTime became @timestamp) and `aws cloudtrail lookup-events` output.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runQuery } from '../../src/engine/query';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

/** A record as an Elastic/OpenSearch pipeline indexes it: eventTime moved to @timestamp (with milliseconds). */
function indexed(eventTime: string, eventID: string): Record<string, unknown> {
  const { eventTime: _dropped, ...rest } = cloudTrailRecord(eventTime, { eventID });
  return { '@timestamp': eventTime.replace('Z', '.000Z'), '@version': '1', ...rest };
}

const hit = (source: Record<string, unknown>, i: number): Record<string, unknown> => ({
  _index: 'cloudtrail-2024.12.16',
  _id: `hit-${i}`,
  _score: 1,
  _source: source,
});

/** `aws cloudtrail lookup-events` prints this (JSON, four-space indent; EventTime as the CLI formats it). */
function lookupEventsOutput(events: Record<string, unknown>[], nextToken?: string): string {
  return JSON.stringify(
    {
      Events: events.map((event) => ({
        EventId: event.eventID,
        EventName: event.eventName,
        ReadOnly: String(event.readOnly),
        AccessKeyId: (event.userIdentity as { accessKeyId: string }).accessKeyId,
        EventTime: String(event.eventTime).replace('Z', '+00:00'),
        EventSource: event.eventSource,
        Username: 'alice',
        Resources: [],
        CloudTrailEvent: JSON.stringify(event),
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    },
    null,
    4,
  );
}

async function read(
  dir: string,
): Promise<{ notes: readonly string[]; problems: readonly { where: string; message: string }[]; rows: unknown[][]; nothingRead?: string }> {
  const store = await openStore();
  const prepared = await new LocalLogsSource(store, dir).prepare(ALL_TIME, '', {});
  const { rows } = await runQuery(
    store,
    prepared.scope,
    'SELECT eventID, eventTime, eventName, userIdentity.userName FROM cloudtrail_logs ORDER BY eventID',
  );
  return {
    notes: prepared.notes,
    problems: prepared.problems,
    rows,
    ...(prepared.nothingRead ? { nothingRead: prepared.nothingRead } : {}),
  };
}

test("a search response: each hit's _source is the event, and eventTime is taken from @timestamp", async () => {
  const dir = tempDir();
  const response = {
    took: 4,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total: { value: 2, relation: 'eq' },
      max_score: 1,
      hits: [indexed('2024-12-16T18:41:07Z', 'a'), indexed('2024-12-16T18:45:00Z', 'b')].map(hit),
    },
  };
  writeFileSync(join(dir, 'search.json'), JSON.stringify(response, null, 2));
  const { notes, problems, rows } = await read(dir);
  assert.deepEqual(problems, []);
  assert.deepEqual(rows, [
    ['a', '2024-12-16T18:41:07Z', 'ListBuckets', 'alice'],
    ['b', '2024-12-16T18:45:00Z', 'ListBuckets', 'alice'],
  ]);
  assert.ok(
    notes.includes('read 2 events from an Elasticsearch/OpenSearch export (1 file): eventTime taken from @timestamp'),
    notes.join('\n'),
  );
});

test('hits one a line (elasticdump), and a JSON array of hits', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'dump.ndjson'),
    [indexed('2024-12-16T18:41:07Z', 'a'), indexed('2024-12-16T18:45:00Z', 'b')].map((r, i) => JSON.stringify(hit(r, i))).join('\n'),
  );
  // An array goes to the bulk reader unless its first bytes look like an export.
  writeFileSync(join(dir, 'hits.json'), JSON.stringify([hit(indexed('2024-12-16T19:00:00Z', 'c'), 3)]));
  const { notes, problems, rows } = await read(dir);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => r.slice(0, 2)),
    [
      ['a', '2024-12-16T18:41:07Z'],
      ['b', '2024-12-16T18:45:00Z'],
      ['c', '2024-12-16T19:00:00Z'],
    ],
  );
  assert.ok(
    notes.includes('read 3 events from an Elasticsearch/OpenSearch export (2 files): eventTime taken from @timestamp'),
    notes.join('\n'),
  );
});

test('records one a line with @timestamp and no eventTime (a Logstash output)', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'logstash.ndjson'),
    [indexed('2024-12-16T18:41:07Z', 'a'), cloudTrailRecord('2024-12-16T18:42:00Z', { eventID: 'b' })]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  const { notes, problems, rows } = await read(dir);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => r.slice(0, 2)),
    [
      ['a', '2024-12-16T18:41:07Z'],
      ['b', '2024-12-16T18:42:00Z'],
    ],
  );
  assert.ok(
    notes.includes(
      'eventTime taken from @timestamp for 1 records of 1 file: records without eventTime, as Elasticsearch/OpenSearch exports write them',
    ),
    notes.join('\n'),
  );
});

test('a record that has eventTime keeps it, whatever its @timestamp says (the time it was indexed)', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'both.ndjson'),
    JSON.stringify({ '@timestamp': '2024-12-20T00:00:00.000Z', ...cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'a' }) }),
  );
  const { notes, rows } = await read(dir);
  assert.deepEqual(
    rows.map((r) => r.slice(0, 2)),
    [['a', '2024-12-16T18:41:07Z']],
  );
  assert.ok(!notes.some((n) => /@timestamp/.test(n)), notes.join('\n'));
});

test('aws cloudtrail lookup-events output: each CloudTrailEvent is the event; NextToken is ignored', async () => {
  const dir = tempDir();
  const events = [cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'a' }), cloudTrailRecord('2024-12-16T18:45:00Z', { eventID: 'b' })];
  writeFileSync(join(dir, 'lookup.json'), lookupEventsOutput(events, 'eyJOZXh0VG9rZW4iOiBudWxsfQ=='));
  const { notes, problems, rows } = await read(dir);
  assert.deepEqual(problems, []);
  assert.deepEqual(rows, [
    ['a', '2024-12-16T18:41:07Z', 'ListBuckets', 'alice'],
    ['b', '2024-12-16T18:45:00Z', 'ListBuckets', 'alice'],
  ]);
  assert.ok(
    notes.includes('read 2 events from `aws cloudtrail lookup-events` output (1 file): each event from its CloudTrailEvent'),
    notes.join('\n'),
  );
});

test('lookup-events pages one a line (jq -c); a CloudTrailEvent that is not JSON costs only that event', async () => {
  const dir = tempDir();
  const page = (eventID: string): string =>
    JSON.stringify(JSON.parse(lookupEventsOutput([cloudTrailRecord('2024-12-16T18:41:07Z', { eventID })])));
  const broken = JSON.parse(page('broken')) as { Events: { CloudTrailEvent: string }[] };
  itemAt(broken.Events, 0).CloudTrailEvent = itemAt(broken.Events, 0).CloudTrailEvent.slice(0, 40);
  const file = join(dir, 'pages.jsonl');
  writeFileSync(file, [page('a'), JSON.stringify(broken), page('c')].join('\n'));
  const { problems, rows } = await read(dir);
  assert.deepEqual(
    rows.map((r) => r[0]),
    ['a', 'c'],
  );
  assert.deepEqual(problems, [{ where: `${file}:2`, message: 'record 2 (line 2): its CloudTrailEvent is not valid JSON' }]);
});

test('a JSON file that is no export and no CloudTrail is still refused, and the run read nothing', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', hits: { total: 0 } }));
  const { problems, rows, nothingRead } = await read(dir);
  assert.deepEqual(rows, []);
  assert.match(itemAt(problems, 0).message, /record 1 without eventTime \(not CloudTrail records\): not loaded/);
  assert.match(
    nothingRead ?? '',
    /^nothing could be read from the 1 log file under .*: every file or record was refused \(1 problem, listed with the result\), so no event was checked$/,
  );
});

test("Elastic's AWS integration (ECS names): the event is event.original when kept, and a document without it is refused, not read as an empty event", async () => {
  const dir = tempDir();
  const ecs = (original?: Record<string, unknown>): Record<string, unknown> => ({
    '@timestamp': '2024-12-16T18:41:07.000Z',
    cloud: { account: { id: '111122223333' }, region: 'us-east-1', provider: 'aws' },
    event: {
      action: 'ListBuckets',
      provider: 's3.amazonaws.com',
      kind: 'event',
      outcome: 'success',
      ...(original ? { original: JSON.stringify(original) } : {}),
    },
    user: { name: 'alice' },
    source: { address: '198.51.100.7' },
    aws: { cloudtrail: { event_version: '1.09', event_type: 'AwsApiCall' } },
  });
  const file = join(dir, 'filebeat.ndjson');
  writeFileSync(
    file,
    [hit(ecs(cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'kept' })), 0), hit(ecs(), 1)].map((r) => JSON.stringify(r)).join('\n'),
  );
  const { problems, rows } = await read(dir);
  assert.deepEqual(rows, [['kept', '2024-12-16T18:41:07Z', 'ListBuckets', 'alice']]);
  assert.deepEqual(problems, [
    {
      where: `${file}:2`,
      message:
        'record 2 (line 2): it has @timestamp but no eventTime, eventName or eventSource: not a CloudTrail record (an ECS document without event.original, say)',
    },
  ]);
});

test('lookup-events outputs appended to one file (>>): every page is read; a damaged page costs only itself', async () => {
  const dir = tempDir();
  const pages = ['a', 'b', 'c'].map((id, i) => lookupEventsOutput([cloudTrailRecord(`2024-12-16T18:4${i}:00Z`, { eventID: id })], 'token'));
  const file = join(dir, 'appended.json');
  writeFileSync(file, `${pages[0]}\n${itemAt(pages, 1).replace('"Events": [', '"Events": [,')}\n${pages[2]}\n`);
  const { problems, rows, notes } = await read(dir);
  assert.deepEqual(
    rows.map((r) => r[0]),
    ['a', 'c'],
  );
  const secondPageLine = itemAt(pages, 0).split('\n').length + 1;
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(itemAt(problems, 0).where, `${file}:${secondPageLine}`);
  assert.match(itemAt(problems, 0).message, new RegExp(`^record 2 \\(line ${secondPageLine}\\): invalid JSON`));
  assert.ok(
    notes.includes('read 2 events from `aws cloudtrail lookup-events` output (1 file): each event from its CloudTrailEvent'),
    notes.join('\n'),
  );
});

test('a CloudTrailEvent nested past the depth limit is refused before any reader recurses into it', async () => {
  const dir = tempDir();
  const deep = JSON.parse(
    lookupEventsOutput([
      cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'deep' }),
      cloudTrailRecord('2024-12-16T18:42:00Z', { eventID: 'ok' }),
    ]),
  ) as { Events: { CloudTrailEvent: string }[] };
  itemAt(deep.Events, 0).CloudTrailEvent =
    `{"eventTime":"2024-12-16T18:41:07Z","requestParameters":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
  const file = join(dir, 'deep.json');
  writeFileSync(file, JSON.stringify(deep));
  const { problems, rows } = await read(dir);
  assert.deepEqual(
    rows.map((r) => r[0]),
    ['ok'],
  );
  assert.deepEqual(problems, [
    { where: file, message: 'record 1: its CloudTrailEvent is not valid JSON (it nests deeper than 100 levels)' },
  ]);
});
