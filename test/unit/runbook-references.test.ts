// Where references are found in SQL, and which ones are left alone (strings, comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook, type RunbookCell } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

const FRONT = '---\nparams: { p: x }\n---\n';
const cellOf = (sql: string): { cell: RunbookCell; codes: string[] } => {
  const rb = parseRunbook(`${FRONT}\`\`\`cloudtrail id=c\n${sql}\n\`\`\`\n`, 'x.md');
  return { cell: itemAt(rb.cells, 0), codes: rb.problems.map((p) => `${p.line} ${p.code}`) };
};

test('params and cell columns, with whitespace inside the braces, offsets and lines', () => {
  const text = `${FRONT}\`\`\`cloudtrail id=a\nSELECT 1 AS x\n\`\`\`\n\`\`\`cloudtrail id=b\nSELECT *\nWHERE x IN ({{ a.x }}) AND y = {{p}}\n\`\`\`\n`;
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(rb.problems, []);
  const cell = itemAt(rb.cells, 1);
  assert.deepEqual(cell.references, [
    { kind: 'cell', cellId: 'a', column: 'x', text: '{{ a.x }}', start: 21, end: 30, line: 8, textColumn: 12 },
    { kind: 'param', name: 'p', text: '{{p}}', start: 40, end: 45, line: 8, textColumn: 31 },
  ]);
  for (const ref of cell.references) assert.equal(cell.sql.slice(ref.start, ref.end), ref.text);
});

test('references in comments are neither recorded nor checked', () => {
  const { cell, codes } = cellOf('SELECT 1 -- {{nope}}\n/* {{nope}} /* nested */ {{nope}} */ , {{p}}');
  assert.deepEqual(codes, []);
  assert.deepEqual(
    cell.references.map((r) => [r.text, r.line]),
    [['{{p}}', 5]],
  );
});

test('references in strings, E-strings, dollar quotes and quoted identifiers are warnings, not references', () => {
  const { cell, codes } = cellOf(
    ["SELECT '{{p}}', 'it''s {{p}}', E'\\' {{p}}', $$ {{p}} $$, $t$ {{p}} $t$, \"{{p}}\"", ', {{p}}'].join('\n'),
  );
  assert.deepEqual(codes, [
    '4 reference-in-string',
    '4 reference-in-string',
    '4 reference-in-string',
    '4 reference-in-string',
    '4 reference-in-string',
    '4 reference-in-string',
  ]);
  assert.deepEqual(
    cell.references.map((r) => [r.text, r.line, r.start]),
    [['{{p}}', 5, cell.sql.indexOf('\n, {{p}}') + 3]],
  );
});

test('a -- inside the braces is part of the reference, not a comment', () => {
  const text = '---\nparams: { a--b: x }\n---\n```cloudtrail\nSELECT {{a--b}}, {{ a--b }}\n```\n';
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(rb.problems, []);
  assert.deepEqual(
    itemAt(rb.cells, 0).references.map((r) => r.text),
    ['{{a--b}}', '{{ a--b }}'],
  );
});

test('an identifier ending in e before a string is not an E-string', () => {
  const { cell } = cellOf("SELECT name'\\' , {{p}}");
  // name'\' is the string '\' (backslash is ordinary), so {{p}} is code.
  assert.deepEqual(
    cell.references.map((r) => r.text),
    ['{{p}}'],
  );
});

test('cell ids and columns may use -, _ and digits; columns are case-preserved', () => {
  const text = '```cloudtrail id=step-1_a\nSELECT 1 AS Col_2\n```\n```cloudtrail\nSELECT {{step-1_a.Col_2}}\n```\n';
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(rb.problems, []);
  assert.deepEqual(itemAt(itemAt(rb.cells, 1).references, 0), {
    kind: 'cell',
    cellId: 'step-1_a',
    column: 'Col_2',
    text: '{{step-1_a.Col_2}}',
    start: 7,
    end: 25,
    line: 4,
    textColumn: 7,
  });
});

test('auto ids (cell-N) can be referenced', () => {
  const rb = parseRunbook('```cloudtrail\nSELECT 1 AS x\n```\n```cloudtrail\nSELECT ({{cell-1.x}})\n```\n', 'x.md');
  assert.deepEqual(rb.problems, []);
  assert.deepEqual(
    rb.cells.map((c) => c.id),
    ['cell-1', 'cell-2'],
  );
});
