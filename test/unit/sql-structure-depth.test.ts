// A runbook's json_transform()/from_json() structure becomes a DuckDB type, and DuckDB folds an
// expression into it, so `repeat('{"a":', 20000)` builds a deep one from a short query. Lint
// prepares a cell's query for a runbook just opened, and preparing a call on constants folds
// it: 1,000 levels took 17 s, 20,000 crashed the process (SIGSEGV), which in the editor is the
// extension host. A run over a column spends it at execution (700 levels 2.2 s, 20,000 more
// than a minute). Without the guard, the first test below crashes this process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSql, openSqlChecker } from '../../src/engine/sqlCheck';
import { guardSql, MAX_EXPRESSION_DEPTH, MAX_STRUCTURE_DEPTH } from '../../src/engine/sqlGuard';
import { itemAt } from '../support/itemAt';

let checker: Awaited<ReturnType<typeof openSqlChecker>>;
before(async () => {
  checker = await openSqlChecker();
});
after(() => checker.close());

/** What lint says, as [severity, message] pairs. */
const lint = async (sql: string): Promise<string[][]> => (await checkSql(checker.connection, sql)).map((p) => [p.severity, p.message]);

const nested = (levels: number): string => `${'{"a":'.repeat(levels)}"INTEGER"${'}'.repeat(levels)}`;

test('a structure built by an expression is refused by lint and by a run, before DuckDB binds it', async () => {
  const deep = `repeat('{"a":', 20000) || '"INTEGER"' || repeat('}', 20000)`;
  const problems = await lint(`SELECT json_transform('{"a":1}', ${deep}) AS v`);
  assert.equal(problems.length, 1);
  assert.equal(itemAt(problems, 0)[0], 'error');
  assert.match(itemAt(problems, 0)[1]!, /^json_transform\(\)'s structure must be written out as a string literal/);
  const overColumn = `SELECT json_transform(requestParameters, ${deep}) AS v FROM cloudtrail_logs`;
  assert.match((await guardSql(checker.connection, overColumn)) ?? '', /^json_transform\(\)'s structure must be written out/);
  // A cast of a literal, a NULL and a column are expressions too.
  for (const structure of [`'{"a":"INTEGER"}'::VARCHAR`, 'NULL', 'eventName']) {
    assert.match(
      (await guardSql(checker.connection, `SELECT from_json(requestParameters, ${structure}) FROM cloudtrail_logs`)) ?? '',
      /^from_json\(\)'s structure must be written out as a string literal/,
      structure,
    );
  }
});

test('a literal structure nesting deeper than the limit is refused, in every spelling of the four functions', async () => {
  const deep = nested(MAX_STRUCTURE_DEPTH + 1);
  const spellings = [
    `SELECT json_transform(requestParameters, '${deep}') FROM cloudtrail_logs`,
    `SELECT JSON_TRANSFORM_STRICT(requestParameters, '${deep}') FROM cloudtrail_logs`,
    `SELECT requestParameters.from_json('${deep}') FROM cloudtrail_logs`,
    `WITH x AS (SELECT list_transform([requestParameters], p -> from_json_strict(p, '${deep}')) AS v FROM cloudtrail_logs) SELECT v FROM x`,
  ];
  for (const sql of spellings) {
    const refused = await guardSql(checker.connection, sql);
    assert.match(refused ?? '', new RegExp(`structure nests ${MAX_STRUCTURE_DEPTH + 1} levels, more than ${MAX_STRUCTURE_DEPTH}:`), sql);
    assert.deepEqual(await lint(sql), [['error', refused]]);
  }
});

test('a literal structure within the limit checks and runs as DuckDB gives it; brackets inside its strings do not count', async () => {
  const within = nested(MAX_STRUCTURE_DEPTH);
  const value = `${'{"a":'.repeat(MAX_STRUCTURE_DEPTH)}7${'}'.repeat(MAX_STRUCTURE_DEPTH)}`;
  const sql = `SELECT json_transform('${value}', '${within}')${'.a'.repeat(MAX_STRUCTURE_DEPTH)} AS v`;
  assert.equal(await guardSql(checker.connection, sql), undefined);
  assert.deepEqual(await lint(sql), []);
  assert.deepEqual((await checker.connection.runAndReadAll(sql)).getRowsJS(), [[7]]);

  const bracketKey = `{"${'['.repeat(40)}":"VARCHAR","b":{"c":"VARCHAR"}}`;
  const keyed = `SELECT from_json('{"b":{"c":"x"}}', '${bracketKey}').b.c AS v`;
  assert.equal(await guardSql(checker.connection, keyed), undefined);
  assert.deepEqual((await checker.connection.runAndReadAll(keyed)).getRowsJS(), [['x']]);
  assert.deepEqual(await lint(`SELECT requestParameters.from_json('{"bucketName":"VARCHAR"}').bucketName FROM cloudtrail_logs`), []);
});

test('json_serialize_plan() is refused: it plans SQL text the guard never sees', async () => {
  const sql = `SELECT json_serialize_plan('SELECT * FROM read_text(''/etc/hostname'')') AS plan`;
  const refused = await guardSql(checker.connection, sql);
  assert.match(refused ?? '', /^json_serialize_plan\(\) cannot run in a runbook query: it plans the SQL text it is given/);
  assert.deepEqual(await lint(sql), [['error', refused]]);
});

test('expressions nested deeper than the limit are refused before DuckDB binds them; at the limit they run', async () => {
  // A list literal nested n levels is n + 1 expressions deep (the lists, then the constant).
  const list = (levels: number): string => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
  const over = `SELECT ${list(MAX_EXPRESSION_DEPTH)} AS v FROM cloudtrail_logs`;
  const refused = await guardSql(checker.connection, over);
  assert.equal(
    refused,
    `the query nests its expressions ${MAX_EXPRESSION_DEPTH + 1} levels deep, more than ${MAX_EXPRESSION_DEPTH}: DuckDB's time to bind it grows with about the cube of the depth`,
  );
  assert.deepEqual(await lint(over), [['error', refused]]);
  // Inside a CTE's lambda, too.
  const hidden = `WITH x AS (SELECT list_transform([1], n -> ${list(MAX_EXPRESSION_DEPTH)}) AS v) SELECT v FROM x`;
  assert.match((await guardSql(checker.connection, hidden)) ?? '', /^the query nests its expressions \d+ levels deep/);

  const at = `SELECT ${list(MAX_EXPRESSION_DEPTH - 1)} AS v`;
  assert.equal(await guardSql(checker.connection, at), undefined);
  let value = itemAt(itemAt((await checker.connection.runAndReadAll(at)).getRowsJS(), 0), 0);
  let levels = 0;
  for (; Array.isArray(value); levels++) value = itemAt(value, 0);
  assert.deepEqual([levels, value], [MAX_EXPRESSION_DEPTH - 1, 1]);
});
