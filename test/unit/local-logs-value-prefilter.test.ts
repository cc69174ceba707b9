// A cold first answer reads only the log files whose text holds the strings the cell's WHERE
// requires (engine/requiredValues.ts, sources/local/valuePrefilter.ts). The answer must be
// the one the cache gives: the same rows whatever the files say and however they spell it;
// the notes say what was read, and once the cache is written the run has the whole scan's
// notes and problems, or fails when nothing in the logs could be read.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { valuesTheCellRequires, type RequiredValues } from '../../src/engine/requiredValues';
import { parseSelect } from '../../src/engine/sqlGuard';
import { runQuery, type CellValue } from '../../src/engine/query';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { filesThatCanMatch } from '../../src/sources/local/valuePrefilter';
import { searcher } from '../../src/sources/local/textSearch';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { generateTrail } from '../../src/testbed/loggen';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore } from '../support/store';
import { testDuckDB } from '../support/syntaxTree';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const duckdb = testDuckDB();

async function required(sql: string): Promise<RequiredValues> {
  const parsed = await parseSelect(duckdb.connection(), sql);
  assert.ok('tree' in parsed, `${sql}: ${'problem' in parsed ? parsed.problem : ''}`);
  return valuesTheCellRequires(parsed.tree);
}

const DETECTION = `SELECT eventTime, eventName, userIdentity.arn AS actor, sourceIPAddress, awsRegion
FROM cloudtrail_logs
WHERE eventSource = 'cloudtrail.amazonaws.com'
  AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors')
ORDER BY eventTime`;

test('the strings a cell requires: top-level AND of = and IN on text stored as the log wrote it', async () => {
  assert.deepEqual(await required(DETECTION), [
    ['cloudtrail.amazonaws.com'],
    ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
  ]);
  assert.deepEqual(
    await required(
      `SELECT count(*) FROM cloudtrail_logs t WHERE 'Root' = t.userIdentity.type AND USERIDENTITY.ARN = 'arn:aws:iam::1:user/é' AND errorCode IS NOT NULL GROUP BY ALL HAVING count(*) > 1 AND max(eventName) = 'X'`,
    ),
    [['Root'], ['arn:aws:iam::1:user/é']],
    'either side, any case, a table alias, struct fields; HAVING and other conjuncts add nothing',
  );
  assert.deepEqual(
    await required(
      `SELECT eventName FROM cloudtrail_logs WHERE (eventName = 'A' OR eventName IN ('B', 'A')) AND ((userIdentity.arn IN ('x', 'y') AND sourceIPAddress = '1.2.3.4') OR (errorCode = 'E' AND userIdentity.arn = 'z'))`,
    ),
    [
      ['A', 'B'],
      ['x', 'y', 'E'],
    ],
    'an OR: one requirement of each side, any of them',
  );
});

test('what the strings required cannot be sure of is left out, conjunct by conjunct', async () => {
  const ignored = [
    // Not a plain equality of a stored text with a plain string.
    "eventName = 'A' OR eventName LIKE 'B%'",
    "(eventName = 'A' AND errorCode = 'E') OR readOnly = 'false'",
    "NOT eventName = 'A'",
    "eventName LIKE 'Stop%'",
    "lower(eventName) = 'stoplogging'",
    "eventName = 'A' COLLATE NOCASE",
    "eventName = 'A'::VARCHAR",
    "eventName IN ('A', NULL)",
    "eventName <> 'A'",
    // Stored otherwise than written: eventTime canonical, JSON text, maps, lists, whole structs.
    "eventTime = '2024-01-01T00:00:00Z'",
    "requestParameters = 'x'",
    "userIdentity.sessionContext.attributes = 'x'",
    "userIdentity = 'x'",
    "en = 'stoplogging'",
    // Valid JSON (a number, true, null, an object in the log is stored as its text), or only written escaped.
    "eventName = '123'",
    "readOnly = 'true'",
    "eventName = 'null'",
    'eventName = \'{"a":1}\'',
    'eventName = \'say "hi"\'',
    "eventName = 'back\\slash'",
    `eventName = '${'tab\there'}'`,
    "eventName = ''",
  ];
  for (const where of ignored) {
    assert.deepEqual(
      await required(`SELECT lower(eventName) AS en FROM cloudtrail_logs WHERE (${where}) AND eventSource = 'kept.amazonaws.com'`),
      [['kept.amazonaws.com']],
      where,
    );
  }
  const nothing = [
    "SELECT a.eventName FROM cloudtrail_logs a JOIN cloudtrail_logs b USING (eventID) WHERE a.eventName = 'A'",
    "SELECT eventName FROM cloudtrail_logs WHERE eventName = 'A' AND eventID IN (SELECT eventID FROM cloudtrail_logs)",
    "SELECT (SELECT count(*) FROM cloudtrail_logs) AS n, eventName FROM cloudtrail_logs WHERE eventName = 'A'",
    "WITH x AS (SELECT 1) SELECT eventName FROM cloudtrail_logs WHERE eventName = 'A'",
    "SELECT eventName FROM cloudtrail_logs WHERE eventName = 'A' UNION ALL SELECT eventName FROM cloudtrail_logs",
    "SELECT eventName FROM cloudtrail_logs WHERE eventName = 'A' USING SAMPLE 10",
    "SELECT eventName FROM cloudtrail_logs TABLESAMPLE 10% WHERE eventName = 'A'",
    "SELECT eventName FROM other_table WHERE eventName = 'A'",
    "SELECT eventName FROM main.cloudtrail_logs WHERE eventName = 'A'",
    // An alias named like a column makes `x.y` mean either.
    "SELECT eventName FROM cloudtrail_logs AS useridentity WHERE useridentity.type = 'A'",
  ];
  for (const sql of nothing) assert.deepEqual(await required(sql), [], sql);
});

test('a file passes when it holds a string of every conjunct, or an escape that could spell one', () => {
  const search = searcher([['cloudtrail.amazonaws.com'], ['StopLogging', 'DeleteTrail']]);
  const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
  assert.equal(search(bytes('{"eventSource":"cloudtrail.amazonaws.com","eventName":"DeleteTrail"}')), true);
  assert.equal(search(bytes('{"eventSource":"cloudtrail.amazonaws.com","eventName":"GetTrail"}')), false, 'one conjunct only');
  assert.equal(search(bytes('{"eventSource":"s3.amazonaws.com","eventName":"StopLogging"}')), false, 'the other only');
  assert.equal(search(bytes('{"eventSource":"cloudtrail.amazonaws.com","eventName":"\\u0053topLogging"}')), true, '\\u escape');
  // Only an escape of a character the strings hold can hide one: `\\u0026` (&) cannot spell StopLogging.
  assert.equal(
    search(bytes('{"eventSource":"cloudtrail.amazonaws.com","x":"a\\u0026b","y":"a\\/b"}')),
    false,
    'escapes of other characters',
  );
  assert.equal(search(bytes('{"eventSource":"cloudtrail.amazonaws.com","x":"\\u00zz"}')), true, 'not an escape a reader takes: read');
  const arn = searcher([['arn:aws:iam::1:user/x']]);
  assert.equal(arn(bytes('{"arn":"arn:aws:iam::1:user\\/x"}')), true, '\\/ escape of a string with a slash');
  assert.equal(arn(bytes('{"arn":"arn:aws:iam::1:user/y"}')), false);
  assert.equal(searcher([['user/😀']])(bytes('{"x":"user/\\ud83d\\ude00"}')), true, 'an escaped pair of surrogates');
  assert.equal(searcher([['user/é']])(bytes('{"x":"user/\\u00E9"}')), true, 'an escape in capitals');
  assert.equal(searcher([['Stop'], ['StopLogging']])(bytes('"StopLogging","Stop"')), true, 'a string inside a longer one');
  assert.equal(searcher([['arn:aws:iam::1:user/é']])(bytes('{"arn":"arn:aws:iam::1:user/é"}')), true, 'UTF-8 bytes');
  assert.equal(searcher([['a.b']])(bytes('{"x":"aXb"}')), false, 'a dot is a dot');
  assert.equal(searcher([])(Buffer.from('anything')), true);
  // Strings of 6 bytes or more are looked for in one pass (needleScan.ts), shorter ones one by one: both ways decide the same.
  assert.equal(searcher([['StopLog'], ['StopLogging']])(bytes('"StopLogging"')), true, 'one in another, in one pass');
  assert.equal(searcher([['StopLog'], ['StopLogging']])(bytes('"StopLog"')), false, 'one conjunct, in one pass');
  assert.equal(searcher([['Root'], ['IAMUser', 'AWSService']])(bytes('{"type":"Root"},{"invokedBy":"AWSService"}')), true);
  assert.equal(searcher([['Root'], ['IAMUser', 'AWSService']])(bytes('{"type":"Root"}')), false, 'one conjunct, one by one');
  assert.equal(searcher([['IAMUser', 'Root']])(bytes('{"type":"Root"}')), true, 'any of a conjunct, one by one');
  assert.equal(searcher([['Root'], ['IAMUser']])(bytes('{"type":"\\u0052oot"}')), true, 'an escape, one by one');
});

/** A trail in the S3 layout with a few trails stopped among ordinary events. */
async function stoppedTrail(): Promise<string> {
  const trail = tempDir();
  await generateTrail({ outDir: trail, events: 4000, seed: 21, days: 2, attacks: ['stop-logging'] });
  return trail;
}

const sorted = (rows: CellValue[][]): string[] => rows.map((row) => JSON.stringify(row)).sort();

async function plainAnswer(logs: string, sql: string): Promise<{ rows: CellValue[][]; notes: readonly string[] }> {
  const store = await openStore({ cacheDir: tempDir() });
  const prepared = await new LocalLogsSource(store, logs).prepare(ALL_TIME, sql, {});
  return { rows: (await runQuery(store, prepared.scope, sql)).rows, notes: prepared.notes };
}

test('searched first: the same rows as the cache from fewer files, the whole notes once it is written', async () => {
  const trail = await stoppedTrail();
  const store = await openStore({ cacheDir: tempDir() });
  const progress: string[] = [];
  const first = await new LocalLogsSource(store, trail, { answerFirst: true }).prepare(ALL_TIME, DETECTION, {
    lastOnSource: true,
    onProgress: (p) => progress.push(p.message),
  });
  assert.ok(first.writeCache, 'answered before the cache was written');
  const answer = await runQuery(store, first.scope, DETECTION);
  const plain = await plainAnswer(trail, DETECTION);
  assert.ok(plain.rows.length > 0, 'rows to compare');
  assert.deepEqual(sorted(answer.rows), sorted(plain.rows));
  const files = (await discoverLogFiles(trail, ALL_TIME)).files.length;
  const [said] = first.notes;
  const read = /answered from the ([\d,]+) files? holding the values the cell requires .*the other ([\d,]+) hold none/.exec(said ?? '');
  assert.ok(read, said);
  const count = (text: string | undefined): number => Number(text?.replaceAll(',', ''));
  assert.ok(count(read[1]) < files && count(read[1]) + count(read[2]) === files, said);
  assert.ok(
    progress.some((m) => m.startsWith('finding the files that can match: read')),
    progress.join('\n'),
  );
  const stored = await first.writeCache();
  assert.deepEqual(stored.notes, plain.notes, 'the cache has the notes of the whole scan');
  assert.deepEqual(sorted((await runQuery(store, stored.scope, DETECTION)).rows), sorted(plain.rows));
});

const NAMES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'];

test('a matching event written with escapes is still found', async () => {
  const trail = await stoppedTrail();
  const gz = readdirSync(trail, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json.gz'));
  // Spell the event names escaped in every file: no file holds them as written.
  for (const name of gz) {
    const path = join(trail, name);
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    const escaped = NAMES.reduce(
      (json, name) => json.replaceAll(`"${name}"`, `"\\u00${name.charCodeAt(0).toString(16)}${name.slice(1)}"`),
      text,
    );
    assert.ok(!NAMES.some((name) => escaped.includes(name)), `${name}: every name escaped`);
    writeFileSync(path, gzipSync(escaped));
  }
  const plain = await plainAnswer(trail, DETECTION);
  assert.ok(
    plain.rows.some((row) => row.includes('StopLogging')),
    'the escaped name reads as StopLogging',
  );
  const store = await openStore({ cacheDir: tempDir() });
  const first = await new LocalLogsSource(store, trail, { answerFirst: true }).prepare(ALL_TIME, DETECTION, { lastOnSource: true });
  assert.ok(first.writeCache, 'answered first');
  assert.match(itemAt(first.notes, 0), /answered from the [\d,]+ files? holding/);
  assert.deepEqual(sorted((await runQuery(store, first.scope, DETECTION)).rows), sorted(plain.rows));
});

test("on real logs, a file with escapes of other characters is not read: the Stratus Red Team's, two of which escape & < >", async () => {
  const logs = join(__dirname, '..', 'fixtures', 'stratus-red-team', 'detonation-logs');
  const { files } = await discoverLogFiles(logs, ALL_TIME);
  const names = (found: number[] | undefined): string[] | undefined => found?.map((i) => itemAt(files, i).path.slice(logs.length + 1));
  const escaping = files.filter((file) => readFileSync(file.path, 'utf8').includes('\\u00')).length;
  assert.equal(escaping, 2, 'the fixture as described');
  assert.deepEqual(names(await filesThatCanMatch(files, [['cloudtrail.amazonaws.com'], ['StopLogging', 'DeleteTrail']])), [
    'aws.defense-evasion.cloudtrail-delete.json',
    'aws.defense-evasion.cloudtrail-stop.json',
  ]);
  // `&` escaped (\\u0026), where a string holds `&`: that file may hide one, and is read.
  assert.deepEqual(names(await filesThatCanMatch(files, [['&StopLogging']])), ['aws.execution.ssm-start-session.json']);
});

test('a file the search cannot read or inflate is one to read', async () => {
  const logs = tempDir();
  const record = cloudTrailRecord('2024-12-16T18:41:07Z', { eventName: 'GetTrail' });
  writeFileSync(join(logs, 'a.json'), JSON.stringify({ Records: [record] }));
  writeFileSync(join(logs, 'b.json.gz'), gzipSync(JSON.stringify({ Records: [record] })).subarray(0, 30));
  writeFileSync(join(logs, 'c.json'), JSON.stringify({ Records: [record] }));
  const { files } = await discoverLogFiles(logs, ALL_TIME);
  rmSync(itemAt(files, 2).path);
  assert.deepEqual(await filesThatCanMatch(files, [['StopLogging']]), [1, 2]);
});

test('a gzip trailer that understates the text (the last of several members) only sizes a buffer: the whole file is searched', async () => {
  const logs = tempDir();
  const filler = Array.from({ length: 2_000 }, (_, i) =>
    cloudTrailRecord('2024-12-16T18:41:07Z', { eventName: 'GetTrail', requestID: `r${i}` }),
  );
  const text = (last: string): string =>
    JSON.stringify({ Records: [...filler, cloudTrailRecord('2024-12-16T18:42:07Z', { eventName: last })] });
  // Two members: the first holds the records (hundreds of KB), the second one space, so the
  // trailer states an inflated size of 1 byte.
  const members = (json: string): Buffer => Buffer.concat([gzipSync(json), gzipSync(' ')]);
  writeFileSync(join(logs, 'a.json.gz'), members(text('StopLogging')));
  writeFileSync(join(logs, 'b.json.gz'), members(text('GetTrail')));
  assert.ok(gunzipSync(readFileSync(join(logs, 'a.json.gz'))).length > 256 * 1024, 'the text is far past the smallest buffer');
  const { files } = await discoverLogFiles(logs, ALL_TIME);
  assert.deepEqual(await filesThatCanMatch(files, [['StopLogging']]), [0]);
});

test('so many files hold the strings that searching costs more than reading: every file is read', async () => {
  const trail = await stoppedTrail();
  const { files } = await discoverLogFiles(trail, ALL_TIME);
  assert.equal(await filesThatCanMatch(files, [['Records']]), undefined);
  assert.deepEqual(await filesThatCanMatch(files, [['NoSuchValueAnywhere']]), []);
  const answered = await new LocalLogsSource(await openStore({ cacheDir: tempDir() }), trail, { answerFirst: true }).prepare(
    ALL_TIME,
    "SELECT eventName FROM cloudtrail_logs WHERE eventName = 'NoSuchValueAnywhere'",
    { lastOnSource: true },
  );
  const [said] = answered.notes;
  assert.match(said ?? '', /answered from the 1 file holding/, 'never no file: the cell binds to one');
});

test('through the runner: logs whose every record is refused fail the cell once the cache is written, though the answer came first', async () => {
  const logs = tempDir();
  const untimed = (eventName: string): Record<string, unknown> => {
    const { eventTime: _, ...rest } = cloudTrailRecord('2024-12-16T18:41:07Z', { eventName });
    return rest;
  };
  writeFileSync(join(logs, 'a.json'), JSON.stringify({ Records: [untimed('StopLogging')] }));
  writeFileSync(join(logs, 'b.json'), JSON.stringify({ Records: [untimed('GetTrail')] }));
  const markdown = "# Cold\n\n```cloudtrail id=stopped\nSELECT eventName FROM cloudtrail_logs WHERE eventName = 'StopLogging'\n```\n";
  const store = await openStore({ cacheDir: tempDir() });
  const told: CellRun[] = [];
  const amended: CellRun[] = [];
  const runs = await runRunbook(parseRunbook(markdown, 'cold.md'), {
    store,
    source: new LocalLogsSource(store, logs, { answerFirst: true }),
    onCell: (run) => told.push(run),
    onCellAmended: (run) => amended.push(run),
  });
  assert.equal(itemAt(told, 0).status, 'ok', JSON.stringify(itemAt(told, 0).error) + JSON.stringify(itemAt(told, 0).notes));
  assert.match(itemAt(itemAt(told, 0).notes, 0), /answered from the 1 file holding/);
  const run = itemAt(runs, 0);
  assert.equal(run.status, 'error');
  assert.equal(run.nothingRead, true);
  assert.match(run.error?.message ?? '', /^nothing could be read from the 2 log files/);
  assert.deepEqual(
    run.problems.map((p) => p.where.split('/').at(-1)),
    ['a.json', 'b.json'],
  );
  assert.deepEqual(amended, [run]);
});
