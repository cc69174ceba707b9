// The LookupEvents planner pushes down the most selective predicate that maps exactly onto a
// lookup attribute, nothing when the query's shape makes that unsafe, and says why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { planLookup, type LookupPlan } from '../../src/sources/lookup/planner';

let connection: DuckDBConnection;

before(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});

after(() => {
  connection.closeSync();
});

async function plan(where: string, from = 'cloudtrail_logs'): Promise<LookupPlan> {
  return planLookup(connection, `SELECT eventTime FROM ${from} WHERE ${where}`);
}

const lookups = (result: LookupPlan): string[] => result.lookups.map(({ key, value }) => `${key}=${value}`);
const text = (result: LookupPlan): string => result.explanation.join('\n');

function assertLocalNote(result: LookupPlan): void {
  assert.match(text(result), /DuckDB applies the whole WHERE clause locally/);
}

test('each attribute maps from its column', async () => {
  assert.deepEqual(lookups(await plan("eventName = 'CreateAccessKey'")), ['EventName=CreateAccessKey']);
  assert.deepEqual(lookups(await plan("eventSource = 'iam.amazonaws.com'")), ['EventSource=iam.amazonaws.com']);
  assert.deepEqual(lookups(await plan("eventID = 'e-1'")), ['EventId=e-1']);
  assert.deepEqual(lookups(await plan("readOnly = 'false'")), ['ReadOnly=false']);
  assert.deepEqual(lookups(await plan("userIdentity.accessKeyId = 'AKIA1'")), ['AccessKeyId=AKIA1']);
});

test('the constant may stand on either side of =', async () => {
  assert.deepEqual(lookups(await plan("'CreateUser' = eventName")), ['EventName=CreateUser']);
  assert.deepEqual(lookups(await plan("'true' = readOnly")), ['ReadOnly=true']);
});

test('an IN list becomes one lookup per distinct value', async () => {
  const result = await plan("eventName IN ('CreateUser', 'DeleteUser', 'CreateUser')");
  assert.deepEqual(lookups(result), ['EventName=CreateUser', 'EventName=DeleteUser']);
  assert.match(text(result), /one lookup per value \(2 lookups/);
});

test('among several candidates of an AND, the most selective is chosen and the others named', async () => {
  const result = await plan(
    "readOnly = 'false' AND eventSource = 'iam.amazonaws.com' AND eventName = 'CreateUser' AND userIdentity.accessKeyId = 'AKIA1'",
  );
  assert.deepEqual(lookups(result), ['AccessKeyId=AKIA1']);
  assert.match(text(result), /AWS filters by AccessKeyId = "AKIA1"/);
  assert.match(text(result), /Also usable, not chosen: EventName = "CreateUser"/);
  assert.match(text(result), /Also usable, not chosen: EventSource = "iam.amazonaws.com"/);
  assert.match(text(result), /Also usable, not chosen: ReadOnly = "false"/);
  assert.deepEqual(lookups(await plan("eventName = 'X' AND eventID = 'e-1' AND readOnly = 'true'")), ['EventId=e-1']);
});

test('rank comes first, then fewer values; a single value beats a list of lower rank', async () => {
  assert.deepEqual(lookups(await plan("eventName IN ('A', 'B') AND eventSource = 's'")), ['EventName=A', 'EventName=B']);
  assert.deepEqual(lookups(await plan("eventName IN ('A', 'B', 'C') AND eventName IN ('A', 'D')")), ['EventName=A', 'EventName=D']);
  assert.deepEqual(lookups(await plan("eventSource IN ('s1', 's2') AND eventName = 'X'")), ['EventName=X']);
});

test('predicates under OR are not pushed down', async () => {
  const result = await plan("eventName = 'A' OR eventSource = 'B'");
  assert.deepEqual(result.lookups, []);
  assert.match(text(result), /Nothing is pushed down/);
  assert.match(text(result), /eventName sits under OR/);
  assertLocalNote(result);
  assert.deepEqual(lookups(await plan("eventSource = 's' AND (eventName = 'A' OR eventID = 'e')")), ['EventSource=s']);
});

test('predicates under NOT, <> and NOT IN are not pushed down', async () => {
  assert.deepEqual((await plan("NOT (eventName = 'A' AND readOnly = 'true')")).lookups, []);
  assert.match(text(await plan("NOT (eventName = 'A' AND readOnly = 'true')")), /eventName sits under NOT/);
  assert.deepEqual((await plan("NOT eventName = 'A'")).lookups, []);
  assert.deepEqual((await plan("eventName <> 'A'")).lookups, []);
  assert.deepEqual((await plan("eventName NOT IN ('A', 'B')")).lookups, []);
});

test('a function on the column, LIKE, a cast or a non-string value is not pushed down', async () => {
  for (const where of [
    "lower(eventName) = 'createuser'",
    "eventName LIKE 'Create%'",
    "eventName ILIKE 'createuser'",
    "CAST(eventID AS VARCHAR) = 'e'",
    "eventName = 'A' COLLATE NOCASE",
    'readOnly = true',
    'eventName = NULL',
    'eventName = eventSource',
  ]) {
    const result = await plan(where);
    assert.deepEqual(result.lookups, [], where);
    assert.match(text(result), /is not pushed down/, where);
  }
  assert.match(text(await plan("lower(eventName) = 'x'")), /The condition on eventName is not `eventName = 'value'`/);
});

test('an IN list with a non-constant, an empty value or an odd readOnly value is not pushed down', async () => {
  assert.deepEqual((await plan("eventName IN ('A', eventSource)")).lookups, []);
  assert.deepEqual((await plan("eventName = ''")).lookups, []);
  const odd = await plan("readOnly = 'TRUE'");
  assert.deepEqual(odd.lookups, []);
  assert.match(text(odd), /only takes "true" or "false"/);
});

test('a constant cast to VARCHAR is still a string constant', async () => {
  assert.deepEqual(lookups(await plan("eventName = 'X'::VARCHAR")), ['EventName=X']);
  assert.deepEqual(lookups(await plan("eventName = CAST('X' AS VARCHAR)")), ['EventName=X']);
});

test('joins, CTEs, subqueries, UNION and other tables push nothing down', async () => {
  const cases: Array<[string, RegExp]> = [
    ["SELECT * FROM cloudtrail_logs a JOIN cloudtrail_logs b USING (eventID) WHERE a.eventName = 'X'", /joins/],
    ["SELECT * FROM cloudtrail_logs a, cloudtrail_logs b WHERE a.eventName = 'X'", /joins/],
    ["WITH k AS (SELECT 1) SELECT * FROM cloudtrail_logs WHERE eventName = 'X'", /WITH clause/],
    ["SELECT * FROM (SELECT * FROM cloudtrail_logs) WHERE eventName = 'X'", /subquery/],
    ["SELECT * FROM cloudtrail_logs WHERE eventName = 'X' UNION ALL SELECT * FROM cloudtrail_logs", /UNION/],
    ["SELECT * FROM cloudtrail_logs WHERE eventName = 'X' AND eventID IN (SELECT eventID FROM cloudtrail_logs)", /more than once/],
    ["SELECT * FROM other_table WHERE eventName = 'X'", /does not read the table cloudtrail_logs/],
    ["SELECT * FROM main.cloudtrail_logs WHERE eventName = 'X'", /does not read the table cloudtrail_logs/],
  ];
  for (const [sql, why] of cases) {
    const result = await planLookup(connection, sql);
    assert.deepEqual(result.lookups, [], sql);
    assert.match(text(result), why, sql);
    assertLocalNote(result);
  }
});

test('no WHERE clause, or SQL DuckDB cannot read, means a full scan with a reason', async () => {
  const none = await planLookup(connection, 'SELECT eventName FROM cloudtrail_logs');
  assert.deepEqual(none.lookups, []);
  assert.match(text(none), /no WHERE clause/);
  const broken = await planLookup(connection, 'SELECT FROM WHERE');
  assert.deepEqual(broken.lookups, []);
  assert.match(text(broken), /could not read the query/);
});

test('identifiers match case-insensitively, quoted or not', async () => {
  assert.deepEqual(lookups(await plan("EVENTNAME = 'CreateUser'")), ['EventName=CreateUser']);
  assert.deepEqual(lookups(await plan(`"EventSource" = 's'`)), ['EventSource=s']);
  assert.deepEqual(lookups(await plan(`"USERIDENTITY"."ACCESSKEYID" = 'AKIA1'`)), ['AccessKeyId=AKIA1']);
  assert.deepEqual(lookups(await plan("eventname = 'x' AND EventId = 'e'")), ['EventId=e']);
  assert.deepEqual(lookups(await planLookup(connection, "SELECT 1 FROM CloudTrail_Logs WHERE eventName = 'A'")), ['EventName=A']);
});

test('values keep their case and their quotes', async () => {
  assert.deepEqual(lookups(await plan("userIdentity.accessKeyId = 'O''Brien'")), ["AccessKeyId=O'Brien"]);
  assert.deepEqual(lookups(await plan("eventName IN ('createUser', 'CreateUser')")), ['EventName=createUser', 'EventName=CreateUser']);
});

test('columns qualified by the alias or the table name are recognised', async () => {
  assert.deepEqual(lookups(await plan("t.eventName = 'X'", 'cloudtrail_logs t')), ['EventName=X']);
  assert.deepEqual(lookups(await plan("T.userIdentity.accessKeyId = 'K'", 'cloudtrail_logs AS t')), ['AccessKeyId=K']);
  assert.deepEqual(lookups(await plan("cloudtrail_logs.eventID = 'e'")), ['EventId=e']);
  assert.deepEqual(lookups(await plan('"t"."eventName" IN (\'A\')', 'cloudtrail_logs "t"')), ['EventName=A']);
  // A qualifier that is neither the alias nor a struct column names nothing the planner knows.
  assert.deepEqual((await plan("x.eventName = 'X'", 'cloudtrail_logs t')).lookups, []);
});

test('accessKeyId is recognised through every way of reaching a struct field', async () => {
  assert.deepEqual(lookups(await plan("userIdentity['accessKeyId'] = 'K1'")), ['AccessKeyId=K1']);
  assert.deepEqual(lookups(await plan("struct_extract(userIdentity, 'AccessKeyId') = 'K2'")), ['AccessKeyId=K2']);
  assert.deepEqual(lookups(await plan("userIdentity.accessKeyId IN ('K3', 'K4')")), ['AccessKeyId=K3', 'AccessKeyId=K4']);
  // Another field of the same struct is not accessKeyId.
  assert.deepEqual((await plan("userIdentity.principalId = 'K5'")).lookups, []);
  assert.deepEqual((await plan("userIdentity.sessionContext.sessionIssuer.accessKeyId = 'K6'")).lookups, []);
});

test('userIdentity.userName and resources are never pushed down, and the explanation says why', async () => {
  const result = await plan("userIdentity.userName = 'alice' AND resources[1].ARN = 'arn:aws:s3:::b' AND eventName = 'GetObject'");
  assert.deepEqual(lookups(result), ['EventName=GetObject']);
  assert.match(
    text(result),
    /userIdentity\.userName is not pushed down because LookupEvents' Username is not always userIdentity\.userName/,
  );
  assert.match(text(result), /resources is not pushed down because LookupEvents' ResourceName/);
  const only = await plan("userIdentity.userName = 'alice'");
  assert.deepEqual(only.lookups, []);
  assert.match(text(only), /no condition of the WHERE clause maps exactly onto a lookup attribute/);
});

test('the explanation names what AWS filters and that the whole WHERE applies locally', async () => {
  const result = await plan(
    "eventName = 'CreateAccessKey' AND coalesce(userIdentity.sessionContext.attributes.mfaAuthenticated, 'false') <> 'true'",
  );
  assert.deepEqual(lookups(result), ['EventName=CreateAccessKey']);
  assert.equal(result.explanation[0], 'AWS filters by EventName = "CreateAccessKey" (from the condition on eventName).');
  assertLocalNote(result);
});
