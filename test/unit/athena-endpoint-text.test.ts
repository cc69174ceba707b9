// The endpoint's pieces that decide what a client reads, on their own: Athena's text forms
// of values (Java's doubles, DuckDB's map entries, rows, arrays, timestamps), the statement
// checks (backticks outside literals and comments, the statement type), the days a query's
// partition predicates keep, and error positions mapped back past a replaced table name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { athenaText, javaDouble } from '../../src/testbed/athenaEndpoint/athenaText';
import type { AthenaType } from '../../src/testbed/athenaEndpoint/athenaType';
import { partitionDays, scannedBytes } from '../../src/testbed/athenaEndpoint/scannedBytes';
import { DEFAULT_SERVED_TABLE, mapServedTable } from '../../src/testbed/athenaEndpoint/servedTable';
import { backtickOffset, hasHeaderRow, statementType } from '../../src/testbed/athenaEndpoint/statementText';
import { parseSelect } from '../../src/engine/sqlGuard';
import { itemAt } from '../support/itemAt';

let checker: Awaited<ReturnType<typeof openSqlChecker>>;
before(async () => {
  checker = await openSqlChecker();
});
after(() => checker?.close());

const scalar = (name: string, extra: { precision?: number; scale?: number } = {}): AthenaType => ({ kind: 'scalar', name, ...extra });

test('doubles print as Java prints them (Trino and so Athena do)', () => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [0.5, '0.5'],
    [-2.25, '-2.25'],
    [0, '0.0'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1.5e-10, '1.5E-10'],
    [9999999, '9999999.0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ];
  for (const [value, text] of cases) assert.equal(javaDouble(value), text, String(value));
});

test("rows, arrays and maps in Trino's text form; nested nulls as null, a top-level null as no value", () => {
  const row: AthenaType = {
    kind: 'row',
    fields: [
      { name: 'arn', type: scalar('varchar'), source: 'ARN' },
      { name: 'n', type: scalar('integer') },
    ],
  };
  assert.equal(athenaText({ ARN: 'arn:aws:s3:::b', n: null }, row), '{arn=arn:aws:s3:::b, n=null}');
  assert.equal(
    athenaText(
      [
        { ARN: 'a', n: 1 },
        { ARN: 'b', n: 2 },
      ],
      { kind: 'array', element: row },
    ),
    '[{arn=a, n=1}, {arn=b, n=2}]',
  );
  const map: AthenaType = { kind: 'map', key: scalar('varchar'), value: scalar('bigint') };
  // DuckDB gives maps as [{key, value}], Trino as an object: one text.
  assert.equal(
    athenaText(
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ],
      map,
    ),
    '{a=1, b=2}',
  );
  assert.equal(athenaText({ a: 1, b: 2 }, map), '{a=1, b=2}');
  assert.equal(athenaText(['x', null], { kind: 'array', element: scalar('varchar') }), '[x, null]');
  assert.equal(athenaText(null, scalar('varchar')), undefined);
  assert.equal(athenaText('2024-01-02T03:04:05.678Z', scalar('timestamp', { precision: 3 })), '2024-01-02 03:04:05.678');
  assert.equal(athenaText('2024-01-02T03:04:05.678Z', scalar('timestamp with time zone', { precision: 3 })), '2024-01-02 03:04:05.678 UTC');
  assert.equal(athenaText('2024-01-02T00:00:00.000Z', scalar('date')), '2024-01-02');
  assert.equal(athenaText(1.5, scalar('decimal', { precision: 10, scale: 2 })), '1.50');
  assert.equal(athenaText(true, scalar('boolean')), 'true');
});

test('backticks count only outside string literals, quoted identifiers and comments; DDL may use them', () => {
  assert.equal(backtickOffset('SELECT \'`\', "a`b" -- `\n/* ` */ FROM t'), undefined);
  const quoted = "SELECT 'it''s' , `x`";
  assert.equal(backtickOffset(quoted), quoted.indexOf('`'));
  assert.equal(statementType('  -- note\n(SELECT 1)'), 'DML');
  assert.equal(statementType('SHOW TABLES'), 'UTILITY');
  assert.equal(statementType('CREATE EXTERNAL TABLE `t` (a string)'), 'DDL');
  assert.ok(hasHeaderRow('WITH a AS (SELECT 1) SELECT * FROM a'));
  assert.ok(!hasHeaderRow('SHOW TABLES'));
});

test('the days the timestamp predicates keep, and the bytes of the files in them', async () => {
  const parsed = await parseSelect(
    checker.connection,
    `SELECT * FROM t WHERE "timestamp" >= '2025/03/04' AND '2025/03/05' >= "timestamp" AND "timestamp" > '2025/03/01'`,
  );
  assert.ok('tree' in parsed);
  const days = partitionDays(parsed.tree);
  assert.deepEqual(days, { from: '2025/03/04', to: '2025/03/05' });
  const file = (path: string, size: number) => ({ path, size, mtimeMs: 0 });
  const files = [
    file('/l/AWSLogs/1/CloudTrail/us-east-1/2025/03/03/a.json.gz', 1),
    file('/l/AWSLogs/1/CloudTrail/us-east-1/2025/03/04/b.json.gz', 10),
    file('/l/AWSLogs/1/CloudTrail/us-east-1/2025/03/05/c.json.gz', 100),
    file('/l/export.json', 1000),
  ];
  assert.equal(scannedBytes(files, days), 1110);
  assert.equal(scannedBytes(files, {}), 1111);
});

test('error positions in the text run map back to the text sent, past the replaced table name', async () => {
  const sql = `SELECT a\nFROM "default"."cloudtrail_logs" WHERE b = 1 AND c = 2`;
  const mapped = await mapServedTable(
    checker.connection,
    { sql, catalog: 'awsdatacatalog', database: 'default', tables: [DEFAULT_SERVED_TABLE] },
    () => 'hive.trail.cloudtrail_logs AS cloudtrail_logs',
  );
  assert.ok(!('problem' in mapped));
  assert.equal(mapped.sql, `SELECT a\nFROM hive.trail.cloudtrail_logs AS cloudtrail_logs WHERE b = 1 AND c = 2`);
  const c = itemAt(mapped.sql.split('\n'), 1).indexOf('c = 2') + 1;
  assert.deepEqual(mapped.originalPosition(2, c), { line: 2, column: itemAt(sql.split('\n'), 1).indexOf('c = 2') + 1 });
  assert.deepEqual(mapped.originalPosition(1, 8), { line: 1, column: 8 });
  // Inside the replacement: where the table name stood.
  assert.deepEqual(mapped.originalPosition(2, 10), { line: 2, column: 6 });
  await assert.rejects(
    mapServedTable(
      checker.connection,
      { sql: 'SELECT * FROM other.cloudtrail_logs', catalog: 'awsdatacatalog', database: 'default', tables: [DEFAULT_SERVED_TABLE] },
      () => '',
    ),
    /line 1:15: Table 'awsdatacatalog.other.cloudtrail_logs' does not exist/,
  );
});
