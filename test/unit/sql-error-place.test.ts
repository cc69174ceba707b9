// Lint's SQL errors name the misspelt name, stand on it in the Markdown (blockquotes and
// list indents included) and carry DuckDB's candidate for the quick fix; a line whose text
// substitution changed is not given a column, since the checked text is not what is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintRunbook } from '../../src/app/lintRunbook';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { placeSqlError, readableEngineMessage } from '../../src/engine/sqlErrorPlace';
import { parseRunbook } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

let checker: Awaited<ReturnType<typeof openSqlChecker>>;
before(async () => {
  checker = await openSqlChecker();
});
after(() => checker.close());

/** DuckDB's own message for a query, from preparing it on the checker. */
async function engineMessage(sql: string): Promise<string> {
  try {
    (await checker.connection.prepare(sql)).destroySync();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected DuckDB to refuse: ${sql}`);
}

const lintOne = async (markdown: string) => lintRunbook(parseRunbook(markdown, 'r.md'), checker.connection);

test('an unknown column: its line and column in the SQL, and the candidate', async () => {
  const sql = 'SELECT eventTime,\n       eventNaem\nFROM cloudtrail_logs';
  assert.deepEqual(placeSqlError(await engineMessage(sql), sql), {
    message: 'no column named "eventNaem" here; did you mean "eventName"? (Binder Error)',
    sqlLine: 2,
    sqlColumn: 7,
    length: 9,
    replacement: 'eventName',
  });
});

test('a struct field DuckDB gives no caret for is found in the SQL, whatever its case', async () => {
  const sql = "SELECT eventName FROM cloudtrail_logs\nWHERE userIdentity.sessionContext.attributes.MFAauthenticatd = 'true'";
  const placed = placeSqlError(await engineMessage(sql), sql);
  assert.equal(placed.message, 'no field named "mfaauthenticatd" in this struct; did you mean "mfaAuthenticated"? (Binder Error)');
  assert.deepEqual([placed.sqlLine, placed.sqlColumn, placed.length, placed.replacement], [2, 45, 15, 'mfaAuthenticated']);
  assert.equal(itemAt(sql.split('\n'), 1).slice(45, 60), 'MFAauthenticatd');
});

test('a long line DuckDB shows shortened with "..." still places the caret on the name', async () => {
  const sql = `SELECT eventName FROM cloudtrail_logs WHERE eventSource = 'iam.amazonaws.com' AND awsRegion = 'us-east-1' AND lower(eventnme) = 'x'`;
  const message = await engineMessage(sql);
  assert.match(message, /LINE 1: \.\.\./, 'DuckDB shortened the line');
  const placed = placeSqlError(message, sql);
  assert.equal(sql.slice(placed.sqlColumn!, placed.sqlColumn! + placed.length!), 'eventnme');
  assert.equal(placed.replacement, 'eventName');
});

test('an unknown function and a syntax error are placed; an error with no name to fix has no replacement', async () => {
  const fn = 'SELECT eventName FROM cloudtrail_logs WHERE lowr(eventName) = 1';
  const placedFn = placeSqlError(await engineMessage(fn), fn);
  assert.match(placedFn.message, /^no function named lowr; did you mean lower\? \(Catalog Error\)$/);
  assert.equal(fn.slice(placedFn.sqlColumn!, placedFn.sqlColumn! + 4), 'lowr');
  const syntax = 'SELECT eventName FRM cloudtrail_logs';
  const placedSyntax = placeSqlError(await engineMessage(syntax), syntax);
  assert.equal(placedSyntax.message, 'syntax error at "cloudtrail_logs" or just before it (Parser Error)');
  assert.deepEqual([placedSyntax.sqlLine, placedSyntax.sqlColumn, placedSyntax.replacement], [1, 21, undefined]);
  const type = "SELECT eventName FROM cloudtrail_logs WHERE eventTime + 1 = 'x'";
  const placedType = placeSqlError(await engineMessage(type), type);
  assert.equal(placedType.replacement, undefined);
  assert.match(placedType.message, /Error/);
});

test('lint puts the column in the Markdown: after a blockquote prefix, with the length and the replacement', async () => {
  const problems = await lintOne('# R\n\n> ```cloudtrail id=q\n> SELECT eventNaem\n> FROM cloudtrail_logs\n> ```\n');
  assert.equal(problems.length, 1);
  assert.deepEqual(
    [itemAt(problems, 0).line, itemAt(problems, 0).column, itemAt(problems, 0).length, itemAt(problems, 0).replacement],
    [3, 9, 9, 'eventName'],
  );
  assert.equal('> SELECT eventNaem'.slice(9, 18), 'eventNaem');
});

test('a line whose references were substituted keeps its line but gets no column or fix', async () => {
  const markdown =
    '---\nparams:\n  user: { description: who }\n---\n```cloudtrail id=q\nSELECT eventName FROM cloudtrail_logs\nWHERE userIdentity.userName = {{user}} AND eventNaem = 1\n```\n';
  const [problem] = await lintOne(markdown);
  assert.ok(problem);
  assert.equal(problem.line, 6);
  assert.match(problem.message, /no column named "eventNaem"/);
  assert.deepEqual([problem.column, problem.replacement], [undefined, undefined]);
});

test("DuckDB's INTERNAL errors lose their native stack trace and say what to do; other messages are kept whole", async () => {
  const message = await engineMessage(
    "SELECT json_extract_scalar(requestParameters, '$.name') AS trail, count(*) AS n FROM cloudtrail_logs GROUP BY ALL",
  );
  assert.match(
    message,
    /^INTERNAL Error: .*\n[\s\S]*Stack Trace/,
    'DuckDB still trips on this query (if it no longer does, pick another INTERNAL error)',
  );
  const readable = readableEngineMessage(message);
  assert.equal(readable.split('\n').length, 1);
  assert.match(
    readable,
    /^INTERNAL Error: Failed to bind column reference "requestParameters".*: an internal error of DuckDB, not of the query's meaning; write it another way \(for example GROUP BY 1, 2 instead of GROUP BY ALL\)$/,
  );
  const binder = await engineMessage('SELECT eventNaem FROM cloudtrail_logs');
  assert.equal(readableEngineMessage(binder), binder);
});
