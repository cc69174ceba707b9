// The window rewrite for Trino and Athena: every reference to cloudtrail_logs, and only
// those, becomes the windowed subquery, aliases kept. DuckDB parses; no Trino is needed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { absoluteWindow } from '../../src/engine/timeWindow';
import { dayPartition } from '../../src/sources/trino/partitions';
import { rewriteForTrino, windowedTable, WindowRewriteError, type TrinoTarget } from '../../src/sources/trino/windowRewrite';

const WINDOW = absoluteWindow('2024-07-01T00:00:00Z', '2024-07-03T12:00:00Z');
const TARGET: TrinoTarget = { table: 'hive.trail.cloudtrail_logs' };
const SUB = windowedTable(TARGET, WINDOW);

let instance: DuckDBInstance;
let connection: DuckDBConnection;
before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
after(() => {
  connection.closeSync();
  instance.closeSync();
});

const rewrite = (sql: string, target: TrinoTarget = TARGET): Promise<string> => rewriteForTrino(connection, sql, target, WINDOW);

describe('the windowed subquery', () => {
  test('selects the table columns by name from the quoted table, bounded by the window on eventTime', () => {
    assert.match(
      SUB,
      /^\(SELECT "eventversion", "useridentity", "eventtime", .*"tlsdetails" FROM "hive"\."trail"\."cloudtrail_logs" WHERE /,
    );
    assert.ok(SUB.includes(`try(from_iso8601_timestamp("eventtime")) >= from_iso8601_timestamp('2024-07-01T00:00:00.000Z')`), SUB);
    assert.ok(SUB.includes(`try(from_iso8601_timestamp("eventtime")) < from_iso8601_timestamp('2024-07-03T12:00:00.000Z')`), SUB);
    assert.ok(!SUB.includes('\n'), 'one line, so error lines keep pointing at the runbook');
  });

  test("Athena's day partition: yyyy/MM/dd from the first day to one day past the last", () => {
    const sub = windowedTable({ table: 't', partitions: [dayPartition()] }, WINDOW);
    assert.ok(sub.endsWith(`AND "timestamp" >= '2024/07/01' AND "timestamp" <= '2024/07/04')`), sub);
    // An end at midnight is exclusive: the last day with events is the day before.
    const midnight = windowedTable(
      { table: 't', partitions: [dayPartition()] },
      absoluteWindow('2024-07-01T00:00:00Z', '2024-07-02T00:00:00Z'),
    );
    assert.ok(midnight.endsWith(`"timestamp" >= '2024/07/01' AND "timestamp" <= '2024/07/02')`), midnight);
    const dashed = windowedTable({ table: 't', partitions: [dayPartition('dt', { format: 'yyyy-MM-dd', lateDays: 0 })] }, WINDOW);
    assert.ok(dashed.endsWith(`"dt" >= '2024-07-01' AND "dt" <= '2024-07-03')`), dashed);
  });

  test('a table name of more than three parts, or with an empty part, is refused with the expected form', () => {
    assert.throws(() => windowedTable({ table: 'a.b.c.d' }, WINDOW), /catalog\.schema\.table/);
    assert.throws(() => windowedTable({ table: 'a..c' }, WINDOW), /catalog\.schema\.table/);
  });
});

describe('rewriteForTrino', () => {
  test('a plain reference gets the table name as its alias, so qualified columns still resolve', async () => {
    assert.equal(
      await rewrite("SELECT cloudtrail_logs.eventName FROM cloudtrail_logs WHERE eventName = 'X'"),
      `SELECT cloudtrail_logs.eventName FROM ${SUB} AS cloudtrail_logs WHERE eventName = 'X'`,
    );
  });

  test('an alias, with or without AS, and quoted, is kept as written', async () => {
    assert.equal(await rewrite('SELECT t.eventName FROM cloudtrail_logs t'), `SELECT t.eventName FROM ${SUB} t`);
    assert.equal(await rewrite('SELECT t.eventName FROM cloudtrail_logs AS t'), `SELECT t.eventName FROM ${SUB} AS t`);
    assert.equal(await rewrite('SELECT "T".x FROM cloudtrail_logs AS "T"'), `SELECT "T".x FROM ${SUB} AS "T"`);
  });

  test('names in any case and quoted names are references too', async () => {
    assert.equal(await rewrite('SELECT 1 FROM CloudTrail_Logs'), `SELECT 1 FROM ${SUB} AS cloudtrail_logs`);
    assert.equal(await rewrite('SELECT 1 FROM "cloudtrail_logs" c'), `SELECT 1 FROM ${SUB} c`);
  });

  test('a self-join replaces both sides and keeps both aliases', async () => {
    const sql = `SELECT a.eventID, b.eventID
FROM cloudtrail_logs a
JOIN cloudtrail_logs AS b ON a.userIdentity.arn = b.userIdentity.arn`;
    assert.equal(
      await rewrite(sql),
      `SELECT a.eventID, b.eventID
FROM ${SUB} a
JOIN ${SUB} AS b ON a.userIdentity.arn = b.userIdentity.arn`,
    );
  });

  test('subqueries in WHERE, in FROM and in a CTE are all rewritten; the CTE name is not a reference', async () => {
    const sql = `WITH keys AS (SELECT userIdentity.accessKeyId AS k FROM cloudtrail_logs WHERE eventName = 'CreateAccessKey')
SELECT eventName FROM (SELECT * FROM cloudtrail_logs) x
WHERE userIdentity.accessKeyId IN (SELECT k FROM keys)
  AND eventID NOT IN (SELECT eventID FROM cloudtrail_logs y WHERE errorCode IS NOT NULL)`;
    const out = await rewrite(sql);
    assert.equal(out.split(SUB).length - 1, 3, out);
    assert.ok(out.includes(`FROM keys)`), 'the CTE reference stays');
    assert.ok(out.includes(`FROM ${SUB} AS cloudtrail_logs WHERE eventName = 'CreateAccessKey')`), out);
    assert.ok(out.includes(`(SELECT * FROM ${SUB} AS cloudtrail_logs) x`), out);
    assert.ok(out.includes(`FROM ${SUB} y WHERE errorCode`), out);
    assert.equal(out.split('\n').length, sql.split('\n').length, 'the line count is unchanged');
  });

  test('the table name inside strings, comments and column names is left alone', async () => {
    const sql = `-- reads cloudtrail_logs
SELECT 'cloudtrail_logs' AS cloudtrail_logs_label, eventSource AS "cloudtrail_logs"
FROM cloudtrail_logs /* cloudtrail_logs */ WHERE eventName <> 'FROM cloudtrail_logs'`;
    assert.equal(
      await rewrite(sql),
      `-- reads cloudtrail_logs
SELECT 'cloudtrail_logs' AS cloudtrail_logs_label, eventSource AS "cloudtrail_logs"
FROM ${SUB} AS cloudtrail_logs /* cloudtrail_logs */ WHERE eventName <> 'FROM cloudtrail_logs'`,
    );
  });

  test('positions stay right after non-ASCII text (DuckDB counts bytes, JavaScript UTF-16 units)', async () => {
    const sql = `SELECT 'café → 🚀' AS note FROM cloudtrail_logs t WHERE userAgent <> 'ñ'`;
    assert.equal(await rewrite(sql), `SELECT 'café → 🚀' AS note FROM ${SUB} t WHERE userAgent <> 'ñ'`);
  });

  test('UNION branches, lateral UNNEST and scalar subqueries', async () => {
    const sql = `SELECT eventName FROM cloudtrail_logs WHERE readOnly = 'false'
UNION ALL
SELECT r.type FROM cloudtrail_logs CROSS JOIN UNNEST(resources) AS u(r)
WHERE eventTime = (SELECT max(eventTime) FROM cloudtrail_logs)`;
    const out = await rewrite(sql);
    assert.equal(out.split(SUB).length - 1, 3, out);
    assert.ok(out.includes(`FROM ${SUB} AS cloudtrail_logs CROSS JOIN UNNEST(resources) AS u(r)`), out);
  });

  test('other tables are not touched', async () => {
    const sql = 'SELECT * FROM cloudtrail_logs_archive';
    assert.equal(await rewrite(sql), sql);
  });

  test('a WITH query named cloudtrail_logs is refused: it would hide the table', async () => {
    await assert.rejects(
      rewrite('WITH cloudtrail_logs AS (SELECT 1 AS x) SELECT x FROM cloudtrail_logs'),
      (e: unknown) => e instanceof WindowRewriteError && /hides the table: rename the query/.test((e as Error).message),
    );
  });

  test('text that is not one SELECT is refused with the parser’s reason', async () => {
    await assert.rejects(rewrite('SELECT 1; SELECT 2'), /exactly one SELECT statement; this one has 2/);
    await assert.rejects(rewrite('SELEC eventName FROM cloudtrail_logs'), /syntax error/i);
  });
});
