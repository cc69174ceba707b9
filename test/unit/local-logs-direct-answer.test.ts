// A cold scan's first cell is answered from the JSON as it is parsed, with only the columns
// it reads, before the cache is written (directAnswer.ts). That answer must be the one the
// cache gives: the same rows, notes and problems, with eventTime stored as CloudTrail writes
// it and bad records reported alike. Where it cannot be exact (exports, NDJSON, a record of
// the wrong shape, `*`), the direct path is not taken, and the answer is the cache's.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { columnsTheCellReads, projectionForCell } from '../../src/engine/cellColumns';
import { parseSelect } from '../../src/engine/sqlGuard';
import type { PreparedScope } from '../../src/engine/eventSource';
import { runQuery, type CellValue } from '../../src/engine/query';
import { ALL_TIME, absoluteWindow, type TimeWindow } from '../../src/engine/timeWindow';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { runRunbook } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { generateTrail } from '../../src/testbed/loggen';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore } from '../support/store';
import { testDuckDB } from '../support/syntaxTree';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const duckdb = testDuckDB();
const STRATUS = resolve(__dirname, '../fixtures/stratus-red-team/detonation-logs');

const QUERIES = {
  detection: `SELECT eventTime, eventName, userIdentity.arn AS actor, sourceIPAddress, awsRegion
    FROM cloudtrail_logs WHERE eventName NOT LIKE 'Describe%' ORDER BY eventTime, eventName`,
  times: `SELECT eventID, eventTime, from_iso8601_timestamp(eventTime) AS instant FROM cloudtrail_logs`,
  json: `SELECT json_extract_scalar(requestParameters, '$.Host') AS host, errorCode, count(*) AS n FROM cloudtrail_logs GROUP BY 1, 2`,
  cte: `WITH writes AS (SELECT l.eventSource AS src, l.resources FROM cloudtrail_logs l WHERE l.readOnly = 'false')
    SELECT src, count(*) AS n, sum(len(resources)) AS r FROM writes GROUP BY src`,
  // Fields of a struct, some deep (the narrow read converts only those), and a struct read whole.
  fields: `SELECT t.userIdentity.type AS kind, userIdentity.sessionContext.sessionIssuer.arn AS role,
    USERIDENTITY.SESSIONCONTEXT.ATTRIBUTES.mfaAuthenticated AS mfa, tlsDetails.tlsVersion AS tls FROM cloudtrail_logs t`,
  whole: `SELECT eventID, to_json(userIdentity) AS who, userIdentity.arn AS arn FROM cloudtrail_logs`,
};

interface BothWays {
  /** Whether the first cell was answered before the cache was written. */
  readonly direct: boolean;
  readonly first: PreparedScope;
  readonly firstRows: CellValue[][];
  readonly cachedRows: CellValue[][];
  /** The same cell on a source that always scans first (the path as it has always been). */
  readonly plain: PreparedScope;
  readonly plainRows: CellValue[][];
  readonly columns: [string[], string[]];
}

const sorted = (rows: CellValue[][]): string[] => rows.map((row) => JSON.stringify(row)).sort();

async function bothWays(logs: string, sql: string, window: TimeWindow = ALL_TIME): Promise<BothWays> {
  const store = await openStore({ cacheDir: tempDir() });
  const source = new LocalLogsSource(store, logs, { answerFirst: true });
  const first = await source.prepare(window, sql, { lastOnSource: true });
  const firstResult = await runQuery(store, first.scope, sql);
  const stored = first.writeCache ? await first.writeCache() : first;
  const cachedRows = (await runQuery(store, stored.scope, sql)).rows;
  // A second cell over the window reads the cache, never the narrow batches.
  const second = await source.prepare(window, sql, { lastOnSource: true });
  assert.equal(second.writeCache, undefined);
  assert.equal(second.scope.columns, undefined);
  assert.deepEqual(stored.notes, first.notes, 'the notes of the direct answer are those of the cache');
  assert.deepEqual(stored.problems, first.problems, 'the problems of the direct answer are those of the cache');

  const plainStore = await openStore({ cacheDir: tempDir() });
  const plain = await new LocalLogsSource(plainStore, logs).prepare(window, sql, {});
  const plainResult = await runQuery(plainStore, plain.scope, sql);
  return {
    direct: first.writeCache !== undefined,
    first,
    firstRows: firstResult.rows,
    cachedRows,
    plain,
    plainRows: plainResult.rows,
    columns: [firstResult.columns, plainResult.columns],
  };
}

function assertSameAnswer(run: BothWays, what: string): void {
  assert.deepEqual(run.columns[0], run.columns[1], `${what}: columns`);
  assert.deepEqual(sorted(run.firstRows), sorted(run.plainRows), `${what}: the first answer is the scan's`);
  assert.deepEqual(sorted(run.cachedRows), sorted(run.plainRows), `${what}: the cache written behind it gives the same`);
  assert.deepEqual(run.first.notes, run.plain.notes, `${what}: notes`);
  assert.deepEqual(run.first.problems, run.plain.problems, `${what}: problems`);
  assert.equal(run.first.nothingRead, run.plain.nothingRead, `${what}: nothing read`);
}

test('the Stratus Red Team logs: every query answered first equals the cache, and the first read kept only its columns', async () => {
  for (const [name, sql] of Object.entries(QUERIES)) {
    const run = await bothWays(STRATUS, sql);
    assert.ok(run.direct, `${name}: answered before the cache was written`);
    assert.ok(run.first.scope.columns && run.first.scope.columns.length < 10, `${name}: ${run.first.scope.columns}`);
    assert.ok(run.plainRows.length > 0, `${name}: rows to compare`);
    assertSameAnswer(run, name);
  }
});

test('a generated trail in the S3 layout, with a window: the same rows, counts and notes', async () => {
  const trail = tempDir();
  await generateTrail({ outDir: trail, events: 3000, seed: 16, days: 2, attacks: ['stop-logging'] });
  const window = absoluteWindow('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
  for (const [name, sql] of Object.entries(QUERIES)) {
    const run = await bothWays(trail, sql, window);
    assert.ok(run.direct, name);
    assertSameAnswer(run, name);
  }
});

/** eventTime in the forms exports write, in the shapes the bulk reader takes (`Records`, arrays). */
const FORMS = [
  '2024-12-16T18:41:07Z',
  '2024-12-16 18:41:08.000000000',
  '2024-12-16T18:41:09',
  '2024-12-16T20:41:10+02:00',
  '2024-12-16T13:41:11-0500',
  '2024-12-16T18:41:12,250Z',
  '2024-12-16T18:41:13.000Z',
  '2024-12-16T24:00:00Z',
  '16/12/2024 18:41',
  '2024-02-30T10:00:00Z',
  '2024-12-16T18:61:07Z',
  ' 024-12-16T18:41:07Z',
];

test('eventTime is normalised as the cache stores it, and unreadable times are reported alike', async () => {
  const logs = tempDir();
  const records = FORMS.map((time, i) => cloudTrailRecord(time, { eventID: `form-${i}` }));
  records.push(cloudTrailRecord('2024-12-16T18:41:14Z', { eventID: 'no-time', eventTime: undefined }));
  writeFileSync(join(logs, 'forms-records.json.gz'), gzipSync(JSON.stringify({ Records: records })));
  writeFileSync(join(logs, 'forms-array.json'), JSON.stringify(records.map((r) => ({ ...r, eventID: `${String(r.eventID)}-array` }))));
  const window = absoluteWindow('2024-12-16T18:41:08Z', '2024-12-17T00:00:01Z');
  for (const [name, sql] of Object.entries({ ...QUERIES, times: `${QUERIES.times} ORDER BY eventID` })) {
    for (const scope of [ALL_TIME, window]) {
      const run = await bothWays(logs, sql, scope);
      assert.ok(run.direct, name);
      assertSameAnswer(run, `${name} over ${scope.label}`);
    }
  }
  const run = await bothWays(logs, `${QUERIES.times} ORDER BY eventID`);
  const times = new Map(run.firstRows.map(([id, time]) => [id, time]));
  assert.equal(times.get('form-1'), '2024-12-16T18:41:08Z');
  assert.equal(times.get('form-3'), '2024-12-16T18:41:10Z');
  assert.equal(times.get('form-5'), '2024-12-16T18:41:12.250Z');
  assert.equal(times.get('form-7'), '2024-12-17T00:00:00Z');
  for (const unreadable of ['form-8', 'form-9', 'form-10', 'form-11', 'no-time'])
    assert.ok(!times.has(unreadable), `${unreadable} has no usable time: not loaded`);
  assert.ok(
    run.first.problems.some((p) => /cannot be read as a date and time/.test(p.message)),
    JSON.stringify(run.first.problems),
  );
  assert.ok(
    run.first.notes.some((n) => /had eventTime in another form than CloudTrail's/.test(n)),
    run.first.notes.join('\n'),
  );
});

test('exports and NDJSON need the careful reader: the first cell waits for the scan, and the answer is the same', async () => {
  const logs = tempDir();
  const hit = (i: number): Record<string, unknown> => {
    const { eventTime, ...rest } = cloudTrailRecord(`2024-12-16T18:4${i}:00Z`, { eventID: `hit-${i}` });
    return { _index: 'cloudtrail', _source: { ...rest, '@timestamp': eventTime } };
  };
  writeFileSync(join(logs, 'search.json'), JSON.stringify({ hits: { hits: [hit(1), hit(2)] } }));
  writeFileSync(
    join(logs, 'lookup.json'),
    JSON.stringify({
      Events: [{ EventId: 'x', CloudTrailEvent: JSON.stringify(cloudTrailRecord('2024-12-16T18:43:00Z', { eventID: 'lookup-1' })) }],
    }),
  );
  writeFileSync(
    join(logs, 'lines.ndjson'),
    [cloudTrailRecord('2024-12-16 18:44:00', { eventID: 'line-1' })].map((r) => JSON.stringify(r)).join('\n'),
  );
  writeFileSync(
    join(logs, 'plain-records.json'),
    JSON.stringify({ Records: [cloudTrailRecord('2024-12-16T18:45:00Z', { eventID: 'records-1' })] }),
  );
  for (const [name, sql] of Object.entries(QUERIES)) {
    const run = await bothWays(logs, sql);
    assert.equal(run.direct, false, name);
    assertSameAnswer(run, name);
  }
  const run = await bothWays(logs, `${QUERIES.times} ORDER BY eventID`);
  assert.deepEqual(
    run.firstRows.map(([id]) => id),
    ['hit-1', 'hit-2', 'line-1', 'lookup-1', 'records-1'],
  );
});

test('a record of the wrong shape in a column the cell does not read: not answered first, and reported as always', async () => {
  const logs = tempDir();
  const good = [
    cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'good-1' }),
    cloudTrailRecord('2024-12-16T18:41:08Z', { eventID: 'good-2' }),
  ];
  writeFileSync(join(logs, 'good.json'), JSON.stringify({ Records: good }));
  writeFileSync(
    join(logs, 'bad.json'),
    JSON.stringify({
      Records: [
        cloudTrailRecord('2024-12-16T18:41:09Z', { eventID: 'bad-1', resources: { ARN: 'x' } }),
        cloudTrailRecord('2024-12-16T18:41:10Z', { eventID: 'bad-2' }),
      ],
    }),
  );
  const sql = 'SELECT eventID, eventName FROM cloudtrail_logs ORDER BY eventID';
  const run = await bothWays(logs, sql);
  assert.equal(run.direct, false);
  assertSameAnswer(run, 'wrong shape');
  assert.deepEqual(
    run.firstRows.map(([id]) => id),
    ['bad-2', 'good-1', 'good-2'],
  );
  assert.ok(
    run.first.problems.some((p) => p.where.endsWith('bad.json') && /resources/.test(p.message)),
    JSON.stringify(run.first.problems),
  );
});

test('a struct, list or map where another shape is, anywhere in a record: the narrow read refuses it as the full read does', async () => {
  // The cell reads one field of userIdentity: the narrow read converts only that and the
  // skeleton of every struct, list and map (narrowRecord.ts), which must fail where the full
  // read fails, and take what it takes (an object where a string is: its JSON text).
  const sql = 'SELECT eventID, userIdentity.arn AS arn FROM cloudtrail_logs ORDER BY eventID';
  const identity = (extra: Record<string, unknown>): Record<string, unknown> => ({
    type: 'IAMUser',
    arn: 'arn:aws:iam::1:user/a',
    ...extra,
  });
  const wrong: Record<string, Record<string, unknown>> = {
    'sessionContext a string': { userIdentity: identity({ sessionContext: 'x' }) },
    'sessionIssuer a list': { userIdentity: identity({ sessionContext: { sessionIssuer: [1] } }) },
    'onBehalfOf a number': { userIdentity: identity({ onBehalfOf: 7 }) },
    'webIdFederationData.attributes a list': {
      userIdentity: identity({ sessionContext: { webIdFederationData: { federatedProvider: 'p', attributes: ['a'] } } }),
    },
    'a resource a string': { resources: ['arn:aws:s3:::b'] },
    'tlsDetails a list': { tlsDetails: [{ tlsVersion: 'TLSv1.2' }] },
    'addendum a string': { addendum: 'late' },
  };
  for (const [what, fields] of Object.entries(wrong)) {
    const logs = tempDir();
    const records = [
      cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'good' }),
      cloudTrailRecord('2024-12-16T18:41:08Z', { eventID: 'bad', ...fields }),
    ];
    writeFileSync(join(logs, 'CloudTrail.json'), JSON.stringify({ Records: records }));
    const run = await bothWays(logs, sql);
    assert.equal(run.direct, false, `${what}: refused by the narrow read as by the full one`);
    assertSameAnswer(run, what);
    assert.deepEqual(
      run.firstRows.map(([id]) => id),
      ['good'],
      what,
    );
  }
  // Leaves take any value: an object where a string is, read the same both ways.
  const logs = tempDir();
  const leaves = [
    cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'a', userIdentity: identity({ arn: { nested: ['x', 1] } }) }),
    cloudTrailRecord('2024-12-16T18:41:08Z', {
      eventID: 'b',
      userIdentity: identity({ type: [1, 2], sessionContext: { ec2RoleDelivery: { v: 2 } } }),
    }),
  ];
  writeFileSync(join(logs, 'CloudTrail.json'), JSON.stringify({ Records: leaves }));
  const run = await bothWays(logs, sql);
  assert.ok(run.direct, 'answered first');
  assertSameAnswer(run, 'leaves holding objects and lists');
  assert.deepEqual(run.firstRows, [
    ['a', '{"nested":["x",1]}'],
    ['b', 'arn:aws:iam::1:user/a'],
  ]);
});

test('a folder partly in the cache already is scanned as before: only a fully cold scan is answered first', async () => {
  const logs = tempDir();
  cpSync(STRATUS, logs, { recursive: true });
  const cache = tempDir();
  const store = await openStore({ cacheDir: cache });
  const one = itemAt(readdirSync(logs), 0);
  mkdirSync(join(logs, 'later'));
  const first = await new LocalLogsSource(store, join(logs, one), { answerFirst: true }).prepare(ALL_TIME, QUERIES.detection, {
    lastOnSource: true,
  });
  assert.ok(first.writeCache, 'a cold file alone is answered first');
  await first.writeCache();
  const again = await new LocalLogsSource(store, logs, { answerFirst: true }).prepare(ALL_TIME, QUERIES.detection, { lastOnSource: true });
  assert.equal(again.writeCache, undefined);
  assert.equal(again.scope.columns, undefined);
});

test('which columns a cell reads: every name it could mean; every column when it reads some without naming them', async () => {
  const reads = async (sql: string): Promise<string[] | undefined> => {
    const parsed = await parseSelect(duckdb.connection(), sql);
    assert.ok('tree' in parsed, sql);
    return columnsTheCellReads(parsed.tree);
  };
  assert.deepEqual(await reads('SELECT eventName, userIdentity.arn FROM cloudtrail_logs WHERE errorCode IS NULL'), [
    'userIdentity',
    'eventName',
    'errorCode',
  ]);
  assert.deepEqual(await reads('SELECT l.EVENTNAME FROM cloudtrail_logs l JOIN cloudtrail_logs r USING (eventID)'), [
    'eventName',
    'eventID',
  ]);
  assert.deepEqual(await reads('SELECT count(*) FROM cloudtrail_logs'), []);
  for (const everything of [
    'SELECT * FROM cloudtrail_logs',
    'SELECT * EXCLUDE (eventName) FROM cloudtrail_logs',
    "SELECT COLUMNS('event.*') FROM cloudtrail_logs",
    'SELECT l.* FROM cloudtrail_logs l',
    'SELECT count(DISTINCT t) FROM cloudtrail_logs t',
    'SELECT length(to_json(cloudtrail_logs)) FROM cloudtrail_logs',
    'SELECT a.eventName FROM cloudtrail_logs a NATURAL JOIN cloudtrail_logs b',
    'SELECT x FROM cloudtrail_logs AS t(x)',
  ]) {
    assert.equal(await reads(everything), undefined, everything);
  }
  // The bind check: a narrowed table must give the cell the same result columns.
  const store = await openStore();
  const checker = await store.connect();
  const projectionFor = async (sql: string): Promise<string[] | undefined> => (await projectionForCell(checker, sql))?.columns;
  assert.deepEqual(await projectionFor(QUERIES.detection), ['userIdentity', 'eventTime', 'eventName', 'awsRegion', 'sourceIPAddress']);
  assert.equal(await projectionFor('SELECT * FROM cloudtrail_logs'), undefined);
  assert.equal(await projectionFor("SELECT * FROM read_text('/etc/passwd')"), undefined, 'refused by the guard: the normal path says why');
  assert.equal(await projectionFor('SELECT nosuchcolumn FROM cloudtrail_logs'), undefined);
  assert.equal(await projectionFor('SELEC eventName FROM cloudtrail_logs'), undefined, "a syntax error is the normal path's to report");
  checker.closeSync();
  store.close();
});

test("through the runner: a one-cell run is answered first and keeps the cache's scope; in a two-cell run the first cell does not answer first", async () => {
  const cell = (id: string, sql: string): string => `\`\`\`cloudtrail id=${id}\n${sql}\n\`\`\`\n`;
  const runWith = async (markdown: string): Promise<{ runs: Awaited<ReturnType<typeof runRunbook>>; progress: string[] }> => {
    const store = await openStore({ cacheDir: tempDir() });
    const source = new LocalLogsSource(store, STRATUS, { answerFirst: true });
    const progress: string[] = [];
    const runs = await runRunbook(parseRunbook(markdown, 'cold.md'), { store, source, onProgress: (_, p) => progress.push(p.message) });
    return { runs, progress };
  };
  const one = await runWith(`# Cold\n\n${cell('first', QUERIES.detection)}`);
  assert.ok(
    one.progress.some((m) => m.startsWith('answering from the logs')),
    one.progress.join('\n'),
  );
  assert.equal(itemAt(one.runs, 0).status, 'ok');
  assert.equal(itemAt(one.runs, 0).scope?.columns, undefined, 'the run keeps the scope of the stored events');
  const plain = await bothWays(STRATUS, QUERIES.detection);
  assert.deepEqual(sorted(itemAt(one.runs, 0).rows), sorted(plain.plainRows));
  assert.deepEqual(itemAt(one.runs, 0).notes, plain.plain.notes);

  // A cell that fails says so as it always has: at its SQL line, after the scan.
  const typo = await runWith(`# Cold\n\n${cell('typo', 'SELECT eventName FROM cloudtrail_logs WHERE eventNaem = 1')}`);
  assert.equal(itemAt(typo.runs, 0).status, 'error');
  assert.match(itemAt(typo.runs, 0).error!.message, /^SQL error: .*eventNaem/s);
  assert.equal(itemAt(typo.runs, 0).error!.line, 3, 'the SQL line (0-based), as the cache path says it');
  const syntax = await runWith(`# Cold\n\n${cell('syntax', 'SELEC eventName FROM cloudtrail_logs')}`);
  assert.equal(itemAt(syntax.runs, 0).status, 'error');
  assert.match(itemAt(syntax.runs, 0).error!.message, /^SQL error: /);

  const two = await runWith(`# Cold\n\n${cell('first', QUERIES.detection)}\n${cell('second', QUERIES.json)}`);
  assert.ok(!two.progress.some((m) => m.startsWith('answering from the logs')), two.progress.join('\n'));
  assert.deepEqual(sorted(itemAt(two.runs, 0).rows), sorted(plain.plainRows));
  assert.deepEqual(
    two.runs.map((r) => r.status),
    ['ok', 'ok'],
  );
});
