// Substitution: params and earlier cells' values become literals, only at recorded spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunbook, substitute, SubstitutionError, type CellResult, type Runbook } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

const PARAMS = `---
params:
  user: { description: IAM user name }
  region: { default: us-east-1, pattern: "[a-z]{2}-[a-z]+-\\\\d" }
  limit: { type: number, default: 10 }
  keys: { type: list, pattern: "AKIA[A-Z0-9]+" }
---
`;
const book = (sql: string): Runbook =>
  parseRunbook(
    `${PARAMS}\`\`\`cloudtrail id=prior\nSELECT 1 AS key, 2 AS ip\n\`\`\`\n\`\`\`cloudtrail id=main\n${sql}\n\`\`\`\n`,
    'runbooks/test.md',
  );
const results =
  (columns: string[], rows: unknown[][]) =>
  (id: string): CellResult | undefined =>
    id === 'prior' ? { columns, rows } : undefined;
const none = () => undefined;
const run = (sql: string, params: Record<string, string> = {}, cellResults: (id: string) => CellResult | undefined = none) => {
  const rb = book(sql);
  return substitute(itemAt(rb.cells, 1), rb, { params, cellResults }).sql;
};
const fails = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SubstitutionError, String(error));
    assert.match(error.message, pattern);
    return true;
  });

test('params: given values, defaults, numbers and lists', () => {
  assert.equal(run('SELECT {{user}}, {{ region }}, {{limit}}', { user: "o'brien" }), "SELECT 'o''brien', 'us-east-1', 10");
  assert.equal(run('SELECT {{user}} LIMIT {{limit}}', { user: 'ops', limit: ' -2.5e1 ' }), "SELECT 'ops' LIMIT -25");
  assert.equal(run('SELECT {{limit}}', { limit: '12345678901234567890' }), 'SELECT 12345678901234567890');
  assert.equal(run('WHERE k IN ({{keys}})', { keys: 'AKIA1, AKIA2,,AKIA1' }), "WHERE k IN ('AKIA1', 'AKIA2')");
  // keys has no default: given blank it is not configured, not an empty list.
  fails(() => run('WHERE k IN ( {{keys}} )', { keys: '' }), /not configured: set `keys`/);
  assert.equal(run('WHERE k = {{keys}}', { keys: 'AKIA1' }), "WHERE k = 'AKIA1'");
});

test('a number parameter becomes a number literal in its canonical form, never the text given', () => {
  // Trino (Athena) refuses `count(*) >= '10'`; the literal must be a number.
  assert.equal(run('SELECT 1 HAVING count(*) >= {{limit}}'), 'SELECT 1 HAVING count(*) >= 10');
  const canonical: [string, string][] = [
    ['+007', '7'],
    ['-0', '0'],
    ['1e3', '1000'],
    ['.5', '0.5'],
    ['2.50', '2.5'],
    [' 1e-7 ', '1e-7'],
    ['-1.5E+2', '-150'],
  ];
  for (const [given, literal] of canonical) assert.equal(run('SELECT {{limit}}', { limit: given }), `SELECT ${literal}`, given);
  // Anything but a plain decimal number is refused, so nothing else can reach the SQL.
  for (const given of ['0x10', '1_000', 'NaN', 'Infinity', '1,5', '1e3 --', '10)', '1 OR 1=1', '\uff11', '', '-', '1e', '--1']) {
    fails(() => run('SELECT {{limit}}', { limit: given }), /must be a number/);
  }
});

test('a map-form parameter with a number default and no type is text, and lint says so', () => {
  const rb = parseRunbook(
    '---\nparams:\n  n: { description: count, default: 10 }\n  q: { default: "10" }\n  t: { type: string, default: 10 }\n---\n```cloudtrail\nSELECT {{n}}, {{q}}, {{t}}\n```\n',
    'x.md',
  );
  assert.deepEqual(
    rb.problems.map((p) => [p.code, p.severity, p.line]),
    [['number-default-as-text', 'warning', 2]],
  );
  assert.match(itemAt(rb.problems, 0).message, /add type: number/);
  assert.equal(substitute(itemAt(rb.cells, 0), rb, { params: {}, cellResults: none }).sql, "SELECT '10', '10', '10'");
});

test('param errors name the runbook, the line and the reference, and say what to do', () => {
  // No default: the parameter describes the reader's environment, and unset or blank it is not configured.
  fails(() => run('SELECT {{user}}'), /^runbooks\/test\.md:12: \{\{user\}\}: not configured: set `user` \(--param user=…\)/);
  fails(() => run('SELECT {{user}}', { user: ' , ' }), /not configured: set `user`/);
  fails(() => run('SELECT {{region}}', { region: 'mars' }), /"mars".*does not match its pattern/);
  fails(() => run('SELECT {{limit}}', { limit: '1; DROP TABLE x' }), /must be a number/);
  fails(() => run('SELECT {{limit}}', { limit: '1e999' }), /too large/);
  fails(() => run('WHERE k IN ({{keys}})', { keys: 'AKIA1,evil' }), /"evil"/);
  fails(() => run('WHERE k = {{keys}}', { keys: 'AKIA1,AKIA2' }), /gives 2 values.*IN \(\{\{keys\}\}\)/);
  fails(() => run('SELECT {{user}}', { user: 'a\0b' }), /NUL/);
  const error = (() => {
    try {
      run('SELECT 1,\n  {{user}}');
    } catch (e) {
      return e as SubstitutionError;
    }
    return undefined;
  })();
  assert.ok(error);
  assert.deepEqual([error.path, error.line, error.reference], ['runbooks/test.md', 12, '{{user}}']);
});

test('cell values: distinct non-null values of a column, matched case-insensitively', () => {
  const prior = results(
    ['Key', 'ip'],
    [
      ['A', 1],
      ['B', null],
      ['A', 3n],
      [null, 4],
    ],
  );
  assert.equal(run('WHERE k IN ({{prior.key}}) OR ip IN ({{prior.IP}})', {}, prior), "WHERE k IN ('A', 'B') OR ip IN (1, 3, 4)");
  assert.equal(run('WHERE k IN ({{prior.key}})', {}, results(['key'], [])), 'WHERE k IN (NULL)');
  assert.equal(run('WHERE k = {{prior.key}}', {}, results(['key'], [['only'], ['only'], [null]])), "WHERE k = 'only'");
  const exact = results(['KEY', 'key'], [['upper', 'lower']]);
  assert.equal(run('SELECT {{prior.key}}', {}, exact), "SELECT 'lower'");
});

test('cell value errors', () => {
  fails(
    () => run('WHERE k = {{prior.key}}', {}, results(['key'], [['a'], ['b']])),
    /gives 2 values, but only one fits here; .*IN \(\{\{prior\.key\}\}\)/,
  );
  fails(() => run('WHERE k = {{prior.key}}', {}, results(['key'], [])), /gives 0 values/);
  fails(() => run('WHERE k IN ({{prior.nope}})', {}, results(['key', 'ip'], [])), /no column nope; its columns are key, ip/);
  fails(() => run('WHERE k IN ({{prior.key}})'), /cell prior has not run yet/);
  fails(
    () => run('WHERE k IN ({{prior.key}})', {}, results(['key'], [[{ nested: 1 }]])),
    /column key of cell prior: cannot turn a structured value/,
  );
});

test('only the recorded spans change: strings, comments and other text stay byte for byte', () => {
  const sql = 'SELECT \'{{user}}\' AS s, "{{user}}" -- {{user}}\n/* {{user}} */ , {{user}}';
  const rb = book(sql);
  assert.equal(substitute(itemAt(rb.cells, 1), rb, { params: { user: 'u' }, cellResults: none }).sql, sql.replace(/\{\{user\}\}$/, "'u'"));
});

test('a value that looks like a reference is not substituted again', () => {
  assert.equal(run('SELECT {{user}}, {{region}}', { user: '{{region}}' }), "SELECT '{{region}}', 'us-east-1'");
});

test('a cell the linter rejects does not run', () => {
  fails(() => run('SELECT {{ghost.x}}'), /cannot run: .*names no cell "ghost"/);
  fails(() => run('SELECT 1-{{limit}}'), /cannot run: .*touches "-"/);
  fails(() => run('SELECT {{a.b.c}}'), /cannot run: .*not a reference/);
  // Warnings do not block: a reference in a string is left as it is.
  assert.equal(run("SELECT '{{user}}'"), "SELECT '{{user}}'");
});

test('the good fixture substitutes end to end', () => {
  const rb = parseRunbook(readFileSync(resolve('test/fixtures/runbooks/access-keys-without-mfa.md'), 'utf8'), 'good.md');
  const keys = {
    columns: ['eventTime', 'actor', 'sourceIPAddress', 'newKey'],
    rows: [
      ['t', 'a', '1.2.3.4', 'AKIAX'],
      ['t', 'a', '1.2.3.4', 'AKIAY'],
    ],
  };
  const { sql } = substitute(itemAt(rb.cells, 1), rb, { params: {}, cellResults: (id) => (id === 'new-keys' ? keys : undefined) });
  assert.match(
    sql,
    /IN \('AKIAX', 'AKIAY'\)\n {2}AND awsRegion = 'us-east-1'\n {2}-- a comment mentioning \{\{not-a-param\}\} is not checked\nLIMIT 100$/,
  );
});

test("lint's stand-in fills only what a run would lack: a given value is still checked, a bad default is replaced", () => {
  const rb = parseRunbook(
    '---\nparams:\n  region: { default: mars, pattern: "[a-z]{2}-[a-z]+-\\\\d" }\n  user: {}\n---\n```cloudtrail id=c\nSELECT {{region}}, {{user}}\n```\n',
    'r.md',
  );
  const standIn = () => ({ kind: 'scalar', value: 'stand-in' }) as const;
  assert.equal(substitute(itemAt(rb.cells, 0), rb, { params: {}, cellResults: none, standIn }).sql, "SELECT 'stand-in', 'stand-in'");
  fails(
    () => substitute(itemAt(rb.cells, 0), rb, { params: { region: 'venus' }, cellResults: none, standIn }),
    /"venus".*does not match its pattern/,
  );
  // A run has no stand-in: the bad default and the missing value are errors, as before.
  fails(() => substitute(itemAt(rb.cells, 0), rb, { params: { user: 'bob' }, cellResults: none }), /"mars".*does not match its pattern/);
});
