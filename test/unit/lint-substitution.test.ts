// Lint checks the SQL run will send: references are substituted by run's own code
// (substitute), with stand-in values where run would have real ones. Lint used to put NULL
// in every reference, and NULL binds where a text value does not, so a cell could pass lint
// and fail on every run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintRunbook } from '../../src/app/lintRunbook';
import { checkSql, openSqlChecker } from '../../src/engine/sqlCheck';
import { substituteForCheck } from '../../src/runbook/checkSubstitution';
import { parseRunbook, substitute, type CellResult, type Runbook } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

let checker: Awaited<ReturnType<typeof openSqlChecker>>;
before(async () => {
  checker = await openSqlChecker();
});
after(() => checker.close());

const book = (sql: string, params = ''): Runbook =>
  parseRunbook(
    `---\nparams:\n  user: { description: IAM user name }\n  limit: { type: number }\n  keys: { type: list }\n${params}---\n` +
      "```cloudtrail id=detect\nSELECT eventTime, userIdentity.arn AS actor FROM cloudtrail_logs WHERE eventName = 'CreateAccessKey'\n```\n" +
      `\`\`\`cloudtrail id=next\n${sql}\n\`\`\`\n`,
    'r.md',
  );
const lint = async (rb: Runbook) => (await lintRunbook(rb, checker.connection)).map((p) => `${p.severity}: ${p.message}`);
/** The SQL a run sends once `detect` found this event. */
const runSql = (rb: Runbook): string => {
  const detect: CellResult = { columns: ['eventTime', 'actor'], rows: [['2024-07-30T21:31:21Z', 'arn:aws:iam::111122223333:user/bob']] };
  return substitute(itemAt(rb.cells, 1), rb, {
    params: { user: 'bob', limit: '5', keys: 'AKIA1,AKIA2' },
    cellResults: (id) => (id === 'detect' ? detect : undefined),
  }).sql;
};
/** What lint checked before: NULL for every reference. */
const nullSql = (rb: Runbook): string =>
  [...itemAt(rb.cells, 1).references]
    .sort((a, b) => b.start - a.start)
    .reduce((sql, ref) => `${sql.slice(0, ref.start)}NULL${sql.slice(ref.end)}`, itemAt(rb.cells, 1).sql);

test('a cell that NULL let through and every run rejects is now rejected by lint, with the error run gives', async () => {
  // Trino's date_add over the time a detection found: eventTime is text, so it needs
  // from_iso8601_timestamp first. NULL binds anywhere, so the old lint said nothing.
  const rb = book(
    "SELECT eventName FROM cloudtrail_logs\nWHERE from_iso8601_timestamp(eventTime) > date_add('hour', -1, {{detect.eventTime}})",
  );
  assert.deepEqual(await checkSql(checker.connection, nullSql(rb)), [], 'the old NULL form passed');
  const runProblems = await checkSql(checker.connection, runSql(rb));
  assert.equal(runProblems.length, 1, 'the real value fails to bind');
  assert.match(itemAt(runProblems, 0).message, /Could not choose a best candidate function/);
  const problems = await lint(rb);
  assert.deepEqual(problems, [`error: cell next: ${itemAt(runProblems, 0).message}`]);

  const fixed = book(
    "SELECT eventName FROM cloudtrail_logs\nWHERE from_iso8601_timestamp(eventTime) > date_add('hour', -1, from_iso8601_timestamp({{detect.eventTime}}))",
  );
  assert.deepEqual(await lint(fixed), []);
  assert.deepEqual(await checkSql(checker.connection, runSql(fixed)), [], 'and run agrees');
});

test('lint and run agree cell by cell, on the same shapes of reference', async () => {
  const cells = [
    'SELECT eventName FROM cloudtrail_logs WHERE userIdentity.arn IN ({{detect.actor}})',
    'SELECT eventName FROM cloudtrail_logs WHERE userIdentity.arn = {{detect.actor}}',
    'SELECT eventName FROM cloudtrail_logs WHERE userIdentity.userName = {{user}} LIMIT {{limit}}',
    'SELECT eventName FROM cloudtrail_logs WHERE userIdentity.accessKeyId IN ({{keys}})',
    "SELECT eventName FROM cloudtrail_logs WHERE strftime({{detect.eventTime}}, '%Y') = '2024'",
    'SELECT eventName FROM cloudtrail_logs WHERE eventName = ANY({{detect.actor}})',
    'SELECT eventName FROM cloudtrail_logs WHERE {{limit}} + 1 > 2',
    'SELECT eventName FROM cloudtrail_logs WHERE {{user}} + 1 > 2',
  ];
  for (const sql of cells) {
    const rb = book(sql);
    const runFails = (await checkSql(checker.connection, runSql(rb))).some((p) => p.severity === 'error');
    const lintFails = (await lintRunbook(rb, checker.connection)).some((p) => p.severity === 'error');
    assert.equal(lintFails, runFails, `${sql}: lint ${lintFails ? 'rejects' : 'accepts'}, run ${runFails ? 'rejects' : 'accepts'}`);
  }
});

test('stand-ins have the form run produces: text literals, a number, a list in parentheses', () => {
  const rb = book(
    'SELECT eventName FROM cloudtrail_logs WHERE userIdentity.arn IN ({{detect.actor}}) AND userIdentity.userName = {{user}} AND k IN ({{keys}}) LIMIT {{limit}}',
  );
  assert.deepEqual(substituteForCheck(itemAt(rb.cells, 1), rb), {
    sql: "SELECT eventName FROM cloudtrail_logs WHERE userIdentity.arn IN ('') AND userIdentity.userName = '' AND k IN ('') LIMIT 0",
    standIns: ['{{limit}}', '{{keys}}', '{{user}}', '{{detect.actor}}'],
  });
});

test('a default is what run sends, so lint checks exactly that value', async () => {
  const rb = book('SELECT eventName FROM cloudtrail_logs WHERE regexp_matches(eventName, {{pattern}})', '  pattern: { default: "(" }\n');
  const checked = substituteForCheck(itemAt(rb.cells, 1), rb);
  assert.deepEqual(checked, { sql: "SELECT eventName FROM cloudtrail_logs WHERE regexp_matches(eventName, '(')", standIns: [] });
  const problems = await lint(rb);
  assert.equal(problems.length, 1);
  assert.match(itemAt(problems, 0), /^error: cell next: Invalid Input Error/, 'a bad default is an error: every run without --param fails');
});

test('an error only a made-up value causes is a warning that says so', async () => {
  const problems = await lint(book('SELECT eventName FROM cloudtrail_logs LIMIT {{user}}'));
  assert.equal(problems.length, 1);
  assert.match(
    itemAt(problems, 0),
    /^warning: cell next: with stand-in values for \{\{user\}\} \(the real ones are known only when it runs\): Conversion Error/,
  );
});

test('a cell run refuses before any SQL is reported once, as run words it', async () => {
  const later = parseRunbook('```cloudtrail id=a\nSELECT {{b.x}}\n```\n```cloudtrail id=b\nSELECT 1 AS x\n```\n', 'r.md');
  const problems = await lintRunbook(later, checker.connection);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(itemAt(problems, 0).severity, 'error');
  const checked = substituteForCheck(itemAt(later.cells, 0), later);
  assert.ok('error' in checked && checked.alreadyReported);
});
