// Every problem the parser reports, with its code, severity and exact 0-based line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunbook, type RunbookProblem } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

const fixture = (name: string) => readFileSync(resolve('test/fixtures/runbooks', name), 'utf8');
const summary = (problems: readonly RunbookProblem[]) => problems.map((p) => `${p.line} ${p.severity} ${p.code}`);
const find = (problems: readonly RunbookProblem[], code: string) => {
  const found = problems.find((p) => p.code === code);
  assert.ok(found, `expected a ${code} problem`);
  return found;
};

test('bad YAML is reported at the line of the error, and the rest still parses', () => {
  const rb = parseRunbook(fixture('bad-yaml.md'), 'bad-yaml.md');
  assert.deepEqual(summary(rb.problems), ['3 error yaml-syntax']);
  assert.match(itemAt(rb.problems, 0).message, /not valid YAML/);
  assert.equal(rb.title, 'Broken front matter');
  assert.equal(itemAt(rb.cells, 0).fenceLine, 6);
});

test('a duplicate front-matter key is a YAML error on its line', () => {
  const rb = parseRunbook('---\ntitle: a\ntitle: b\n---\n', 'x.md');
  assert.deepEqual(summary(rb.problems), ['2 error yaml-syntax']);
});

test('front-matter field problems name the value, on the value line', () => {
  const rb = parseRunbook(fixture('bad-front-matter.md'), 'bad-front-matter.md');
  assert.deepEqual(summary(rb.problems), [
    '2 warning unknown-front-matter-key',
    '3 error invalid-window',
    '4 error invalid-source',
    '5 error invalid-reviewed',
    '9 error invalid-pattern',
    '11 error invalid-param-type',
    '12 error invalid-param-default',
    '13 error invalid-param-name',
  ]);
  assert.match(find(rb.problems, 'unknown-front-matter-key').message, /"owner"/);
  assert.match(find(rb.problems, 'invalid-window').message, /"7 days"/);
  assert.match(find(rb.problems, 'invalid-source').message, /"cloudwatch".*local, lookup, trino, athena/);
  assert.match(find(rb.problems, 'invalid-reviewed').message, /"2024-13-01".*YYYY-MM-DD/);
  assert.match(find(rb.problems, 'invalid-pattern').message, /"\(\[a-z"/);
  assert.match(find(rb.problems, 'invalid-param-type').message, /"integer".*string, number or list/);
  assert.match(find(rb.problems, 'invalid-param-default').message, /"nope"/);
  assert.match(find(rb.problems, 'invalid-param-name').message, /"1bad"/);
  // Invalid values are not passed on as if they were valid.
  assert.equal(rb.window, undefined);
  assert.equal(rb.source, undefined);
  assert.equal(rb.reviewed, undefined);
});

test('window values: relative, absolute, and what is rejected', () => {
  const windowOf = (yaml: string) => {
    const rb = parseRunbook(`---\nwindow: ${yaml}\n---\n`, 'x.md');
    return rb.problems.length ? rb.problems.map((p) => `${p.line} ${p.code}`).join() : rb.window;
  };
  assert.equal(windowOf('90m'), '90m');
  assert.equal(windowOf('24h'), '24h');
  assert.equal(windowOf('7d'), '7d');
  assert.equal(windowOf('"2024-05-01/2024-05-03"'), '2024-05-01/2024-05-03');
  for (const bad of [
    '0d',
    '7w',
    '90',
    '-1h',
    '{ start: 2024-05-02T00:00:00Z, end: 2024-05-01T00:00:00Z }',
    '{ start: 2024-05-01T00:00:00, end: 2024-05-02T00:00:00 }',
    '{ start: yesterday, end: today }',
    '{ start: 2024-02-30, end: 2024-03-02 }',
    '[1, 2]',
  ]) {
    assert.equal(windowOf(bad), '1 invalid-window', bad);
  }
});

test('tags must be a list of words; title and description must be text', () => {
  const rb = parseRunbook('---\ntitle: [a]\ndescription: { a: 1 }\ntags: iam\n---\n# Heading\n', 'x.md');
  assert.deepEqual(summary(rb.problems), ['1 error invalid-title', '2 error invalid-description', '3 error invalid-tags']);
  assert.equal(rb.title, 'Heading');
});

test('front matter that is not a map, or never closed', () => {
  assert.deepEqual(summary(parseRunbook('---\n- a\n---\n', 'x.md').problems), ['1 error invalid-front-matter']);
  assert.deepEqual(summary(parseRunbook('---\ntitle: x\n', 'x.md').problems), ['0 error front-matter-unterminated']);
  assert.deepEqual(summary(parseRunbook('---\nparams: [a]\n---\n', 'x.md').problems), ['1 error invalid-params']);
  assert.deepEqual(summary(parseRunbook('---\nparams:\n  p: { help: x }\n---\n', 'x.md').problems), ['2 warning unknown-param-key']);
});

test('cell problems point at the fence line; reference problems at their own line and column', () => {
  const rb = parseRunbook(fixture('bad-cells.md'), 'bad-cells.md');
  assert.deepEqual(summary(rb.problems), [
    '8 warning unknown-attribute',
    '12 error invalid-expect',
    '12 error duplicate-cell-id',
    '16 warning malformed-attribute',
    '16 error invalid-cell-id',
    '16 error invalid-window',
    '16 error invalid-source',
    '20 error empty-cell',
    '29 error unknown-param',
    '30 error unknown-cell',
    '31 error self-reference',
    '32 error forward-reference',
    '33 error malformed-reference',
    '33 error malformed-reference',
    '34 warning reference-in-string',
    '34 error reference-adjacent',
  ]);
  assert.match(find(rb.problems, 'unknown-attribute').message, /expcet=empty/);
  assert.match(find(rb.problems, 'invalid-expect').message, /expect=maybe/);
  assert.match(find(rb.problems, 'duplicate-cell-id').message, /"first".*line 9/);
  assert.match(find(rb.problems, 'invalid-cell-id').message, /"9lives"/);
  assert.match(find(rb.problems, 'unknown-param').message, /\{\{nobody\}\}.*declared: user/);
  assert.match(find(rb.problems, 'unknown-cell').message, /"ghost".*earlier cells: first, 9lives, empty\)$/);
  assert.match(find(rb.problems, 'forward-reference').message, /"later".*line 38/);
  assert.match(find(rb.problems, 'reference-in-string').message, /remove the quotes/);
  const malformed = rb.problems.filter((p) => p.code === 'malformed-reference');
  assert.deepEqual(
    malformed.map((p) => [p.column, p.message.split(' ')[0]]),
    [
      [18, '{{'],
      [39, '{{a.b.c}}'],
    ],
  );
  assert.equal(find(rb.problems, 'unknown-param').column, 30);
  // Invalid attribute values never reach the typed fields.
  const odd = itemAt(rb.cells, 2);
  assert.deepEqual([odd.window, odd.source, itemAt(rb.cells, 1).expect], [undefined, undefined, undefined]);
  assert.equal(odd.attributes.source, 'cloudwatch');
});

test('a reference that only appears in a string is not recorded, so never replaced', () => {
  const rb = parseRunbook(fixture('bad-cells.md'), 'bad-cells.md');
  const refs = rb.cells.find((c) => c.id === 'refs')!;
  assert.deepEqual(
    refs.references.map((r) => r.text),
    ['{{nobody}}', '{{ghost.arn}}', '{{refs.eventName}}', '{{later.ip}}', '{{user}}'],
  );
});

test('an unterminated fence is reported at its opening line and runs to the end of the file', () => {
  const rb = parseRunbook(fixture('unterminated.md'), 'unterminated.md');
  assert.deepEqual(summary(rb.problems), ['8 error unterminated-fence']);
  const open = itemAt(rb.cells, 1);
  assert.deepEqual([open.fenceLine, open.sqlStartLine, open.endLine], [8, 9, 10]);
  assert.equal(open.sql, 'SELECT 2\nFROM cloudtrail_logs');
});

test('unterminated fences: at end of file, inside a blockquote, longer opening fence', () => {
  assert.deepEqual(summary(parseRunbook('text\n```cloudtrail', 'x.md').problems), ['1 error unterminated-fence', '1 error empty-cell']);
  assert.deepEqual(summary(parseRunbook('> ```cloudtrail\n> SELECT 1\n\nafter\n', 'x.md').problems), ['0 error unterminated-fence']);
  assert.deepEqual(summary(parseRunbook('````cloudtrail\nSELECT 1\n```\n', 'x.md').problems), ['0 error unterminated-fence']);
  assert.deepEqual(summary(parseRunbook('````cloudtrail\nSELECT 1\n`````\n', 'x.md').problems), []);
  assert.deepEqual(summary(parseRunbook('```cloudtrail\nSELECT 1\n```', 'x.md').problems), []);
});

test('attribute syntax problems', () => {
  const at = (info: string) => summary(parseRunbook(`\`\`\`${info}\nSELECT 1\n\`\`\`\n`, 'x.md').problems);
  assert.deepEqual(at('cloudtrail id="never-closed'), ['0 error malformed-attribute']);
  assert.deepEqual(at('cloudtrail id=a id=b'), ['0 error duplicate-attribute']);
  assert.deepEqual(at('cloudtrail =x'), ['0 warning malformed-attribute']);
  assert.deepEqual(at('cloudtrail __proto__=x'), ['0 warning unknown-attribute']);
  assert.deepEqual(at('cloudtrail id=a expect=rows window=90m source=athena'), []);
});

test('malformed references: empty, too many dots, never closed', () => {
  const codes = (sql: string) =>
    parseRunbook(`\`\`\`cloudtrail\n${sql}\n\`\`\`\n`, 'x.md').problems.map((p) => `${p.line}:${p.column} ${p.code}`);
  assert.deepEqual(codes('SELECT {{ }}'), ['1:7 malformed-reference']);
  assert.deepEqual(codes('SELECT 1,\n {{a.b.c}}'), ['2:1 malformed-reference']);
  assert.deepEqual(codes('SELECT {{x'), ['1:7 malformed-reference']);
  assert.deepEqual(codes('SELECT {{1x}}'), ['1:7 malformed-reference']);
});

test('references glued to other SQL are errors', () => {
  const text =
    '---\nparams: { n: { type: number } }\n---\n```cloudtrail\nSELECT 1-{{n}}, E{{n}}, {{n}}{{n}}, {{n}}.5, 1 - {{n}}, ({{n}})\n```\n';
  const problems = parseRunbook(text, 'x.md').problems;
  assert.deepEqual(
    problems.map((p) => `${p.line}:${p.column} ${p.code}`),
    ['4:9 reference-adjacent', '4:17 reference-adjacent', '4:24 reference-adjacent', '4:29 reference-adjacent', '4:36 reference-adjacent'],
  );
});
