// Lint's portability warnings for SQL that DuckDB runs and Athena (Trino) runs differently
// or not at all, found by the cross-engine suite (docs/trino-conformance.md): subqueries
// correlated on a row's field, and aggregates that return any row's value.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintRunbook } from '../../src/app/lintRunbook';
import { checkSql, correlatedStructFields, openSqlChecker } from '../../src/engine/sqlCheck';
import { parseRunbook } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

let checker: Awaited<ReturnType<typeof openSqlChecker>>;
before(async () => {
  checker = await openSqlChecker();
});
after(() => checker.close());

const tree = async (sql: string): Promise<unknown> => {
  const result = await checker.connection.runAndReadAll('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
  return JSON.parse(String(itemAt(result.getRowsJS(), 0)[0]));
};
const fields = async (sql: string): Promise<string[]> => correlatedStructFields(await tree(sql));
const warnings = async (sql: string): Promise<string[]> =>
  (await checkSql(checker.connection, sql)).map((p) => {
    assert.equal(p.severity, 'warning', p.message);
    return p.message;
  });

// The verify-keys-off cell as it was: Trino said NOT_SUPPORTED "Given correlated subquery is not supported".
const KEYS_OFF = `SELECT DISTINCT c.userIdentity.userName AS userName, c.userIdentity.accessKeyId AS accessKey
FROM cloudtrail_logs c
WHERE c.userIdentity.accessKeyId IN ('AKIA1')
  AND NOT EXISTS (
    SELECT 1 FROM cloudtrail_logs r
    WHERE r.eventSource = 'iam.amazonaws.com' AND r.errorCode IS NULL
      AND json_extract_scalar(r.requestParameters, '$.accessKeyId') = c.userIdentity.accessKeyId)`;

// The verify-roles-revoked cell as it was: Trino said EXPRESSION_NOT_AGGREGATE.
const ROLES_REVOKED = `SELECT c.userIdentity.sessionContext.sessionIssuer.userName AS roleName, max(c.eventTime) AS lastCall
FROM cloudtrail_logs c
GROUP BY c.userIdentity.sessionContext.sessionIssuer.userName
HAVING NOT EXISTS (
  SELECT 1 FROM cloudtrail_logs r
  WHERE json_extract_scalar(r.requestParameters, '$.roleName') = c.userIdentity.sessionContext.sessionIssuer.userName)`;

test('a subquery correlated on a field of a row of the enclosing query is reported, with the fix', async () => {
  assert.deepEqual(await fields(KEYS_OFF), ['c.userIdentity.accessKeyId']);
  assert.deepEqual(await fields(ROLES_REVOKED), ['c.userIdentity.sessionContext.sessionIssuer.userName']);
  const [message, ...rest] = await warnings(KEYS_OFF);
  assert.deepEqual(rest, []);
  assert.match(message!, /c\.userIdentity\.accessKeyId.*Athena \(Trino\) cannot run.*LEFT JOIN/);
  // Scalar and IN subqueries, a table named without an alias, and deeper nesting.
  assert.deepEqual(
    await fields(
      'SELECT (SELECT max(r.eventTime) FROM cloudtrail_logs r WHERE r.userIdentity.arn = c.userIdentity.arn) FROM cloudtrail_logs c',
    ),
    ['c.userIdentity.arn'],
  );
  assert.deepEqual(
    await fields(
      'SELECT 1 FROM cloudtrail_logs WHERE eventName IN (SELECT r.eventName FROM cloudtrail_logs r WHERE r.eventID = cloudtrail_logs.userIdentity.arn)',
    ),
    ['cloudtrail_logs.userIdentity.arn'],
  );
  assert.deepEqual(
    await fields(
      'SELECT 1 FROM cloudtrail_logs c WHERE EXISTS (SELECT 1 FROM cloudtrail_logs r WHERE EXISTS (SELECT 1 FROM cloudtrail_logs q WHERE q.eventID = c.userIdentity.arn))',
    ),
    ['c.userIdentity.arn'],
  );
  // In a CTE's body, correlated with that body's own FROM.
  assert.deepEqual(
    await fields(
      'WITH x AS (SELECT eventID FROM cloudtrail_logs c WHERE NOT EXISTS (SELECT 1 FROM cloudtrail_logs r WHERE r.eventID = c.userIdentity.arn)) SELECT * FROM x',
    ),
    ['c.userIdentity.arn'],
  );
});

test('what Trino runs is not reported', async () => {
  // Correlated on plain columns (Trino decorrelates these; the suite runs several).
  assert.deepEqual(
    await fields('SELECT 1 FROM cloudtrail_logs c WHERE NOT EXISTS (SELECT 1 FROM cloudtrail_logs r WHERE r.eventName = c.eventName)'),
    [],
  );
  assert.deepEqual(
    await fields(
      "SELECT 1 FROM cloudtrail_logs c WHERE NOT EXISTS (SELECT 1 FROM cloudtrail_logs r WHERE r.eventID = json_extract_scalar(c.responseElements, '$.a'))",
    ),
    [],
  );
  // A row's field of the subquery's own table, qualified or not, and an alias it redeclares.
  assert.deepEqual(
    await fields(
      'SELECT 1 FROM cloudtrail_logs c WHERE EXISTS (SELECT 1 FROM cloudtrail_logs r WHERE r.userIdentity.arn = userIdentity.arn)',
    ),
    [],
  );
  assert.deepEqual(
    await fields('SELECT 1 FROM cloudtrail_logs c WHERE EXISTS (SELECT 1 FROM cloudtrail_logs c WHERE c.userIdentity.arn IS NULL)'),
    [],
  );
  // Fields of the query's own rows, an uncorrelated IN, and the CTE anti-join the runbooks use.
  assert.deepEqual(
    await fields(
      'SELECT c.userIdentity.arn FROM cloudtrail_logs c WHERE c.userIdentity.sessionContext.sessionIssuer.userName IN (SELECT r.userIdentity.userName FROM cloudtrail_logs r)',
    ),
    [],
  );
  const antiJoin = `WITH off AS (SELECT DISTINCT json_extract_scalar(r.requestParameters, '$.accessKeyId') AS accessKey FROM cloudtrail_logs r)
SELECT DISTINCT c.userIdentity.accessKeyId FROM cloudtrail_logs c LEFT JOIN off o ON o.accessKey = c.userIdentity.accessKeyId WHERE o.accessKey IS NULL`;
  assert.deepEqual(await warnings(antiJoin), []);
  // A derived table does not see the FROM beside it: its own fields are not correlations.
  assert.deepEqual(
    await fields('SELECT 1 FROM cloudtrail_logs c JOIN (SELECT c.userIdentity.arn AS a FROM cloudtrail_logs c) d ON d.a = c.eventID'),
    [],
  );
});

test('arbitrary and any_value are reported: each engine picks another row', async () => {
  const [message, ...rest] = await warnings('SELECT eventName, arbitrary(errorMessage) FROM cloudtrail_logs GROUP BY eventName');
  assert.deepEqual(rest, []);
  assert.match(message!, /^arbitrary gives different rows in Athena than here .*instead: min\(x\) or max\(x\)/);
  assert.match(itemAt(await warnings('SELECT any_value(errorMessage) FROM cloudtrail_logs'), 0), /^any_value gives different rows/);
  assert.deepEqual(await warnings('SELECT min(errorMessage), max_by(errorMessage, eventTime) FROM cloudtrail_logs'), []);
});

test("lint refuses json_structure() as a run does: it recurses per level of a log's text", async () => {
  const problems = await checkSql(checker.connection, 'SELECT json_structure(requestParameters) FROM cloudtrail_logs');
  assert.deepEqual(
    problems.map((p) => p.severity),
    ['error'],
  );
  assert.match(itemAt(problems, 0).message, /^json_structure\(\) cannot run in a runbook query: it recurses once per level/);
  assert.deepEqual(await checkSql(checker.connection, "SELECT requestParameters->>'$.bucketName' FROM cloudtrail_logs"), []);
});

test('the bundled runbooks have no portability warning', async () => {
  const dir = resolve(__dirname, '../../runbooks');
  const found: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    const rb = parseRunbook(readFileSync(join(dir, file), 'utf8'), file);
    for (const p of await lintRunbook(rb, checker.connection))
      if (p.code === 'sql-portability') found.push(`${file}:${p.line + 1}: ${p.message}`);
  }
  assert.deepEqual(found, []);
});
