// Hostile values, as params and as earlier cells' values, must not change the query's
// structure. DuckDB's own parser is the judge: the syntax tree of the substituted SQL must
// equal the tree for a benign value in everything but the constants, and the hostile
// string must come back intact as a constant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDuckDB } from '../support/syntaxTree';
import { parseRunbook, substitute, SubstitutionError, type CellResult } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

const HOSTILE = [
  "x' OR '1'='1",
  "'); DROP TABLE x; --",
  'line one\nline two -- not a comment\n',
  '\\',
  "C:\\temp\\' OR 1=1 --",
  'ünïcødé 🚀 \' " ` \u202e',
  '{{other}}',
  '*/ OR 1=1 /*',
  '$$ OR 1=1 $$',
  "E'\\' OR 1=1 --",
  '"; SELECT 1; --',
];

const RUNBOOK = `---
params:
  user: { description: who }
  other: { default: should-not-appear }
  n: { type: number }
---
\`\`\`cloudtrail id=prior
SELECT 1 AS ip, 2 AS code
\`\`\`

\`\`\`cloudtrail id=pivot
SELECT eventName, {{other}} AS o
FROM cloudtrail_logs
WHERE userIdentity.userName = {{user}}  -- {{user}} in a comment stays
  AND sourceIPAddress IN ({{prior.ip}})
  AND errorCode = {{prior.code}}
  AND eventID <> '{{user}}'
  AND recipientAccountId > 1 - {{n}}
\`\`\`
`;

const duckdb = testDuckDB();
const syntaxTree = duckdb.syntaxTree;

function substituted(value: string, n: string): string {
  const rb = parseRunbook(RUNBOOK, 'injection.md');
  // The quoted '{{user}}' is there on purpose: it must stay as written.
  assert.deepEqual(
    rb.problems.map((p) => p.code),
    ['reference-in-string'],
  );
  const prior: CellResult = {
    columns: ['ip', 'code'],
    rows: [
      [value, value],
      ['second', null],
    ],
  };
  return substitute(itemAt(rb.cells, 1), rb, {
    params: { user: value, n },
    cellResults: (id) => (id === 'prior' ? prior : undefined),
  }).sql;
}

test('hostile values keep the syntax tree of a benign value and arrive intact', async () => {
  const benign = await syntaxTree(substituted('benign', '5'));
  assert.deepEqual(benign.constants, ['should-not-appear', 'benign', 'benign', 'second', 'benign', '{{user}}', 1, 5]);
  for (const value of HOSTILE) {
    const sql = substituted(value, '-5');
    const hostile = await syntaxTree(sql);
    assert.deepEqual(hostile.shape, benign.shape, `structure changed for ${JSON.stringify(value)}:\n${sql}`);
    assert.deepEqual(hostile.constants, ['should-not-appear', value, value, 'second', value, '{{user}}', 1, -5]);
  }
});

test('the comment and the quoted string around references are left exactly as written', () => {
  const sql = substituted("'); DROP TABLE x; --", '5');
  assert.ok(sql.includes('-- {{user}} in a comment stays\n'));
  assert.ok(sql.includes("eventID <> '{{user}}'"));
});

test('the hostile values also survive a real query round trip', async () => {
  for (const value of HOSTILE) {
    const rb = parseRunbook('---\nparams: { v: {} }\n---\n```cloudtrail\nSELECT {{v}} AS v, 1 AS n WHERE {{v}} IN ({{v}})\n```\n', 'x.md');
    const { sql } = substitute(itemAt(rb.cells, 0), rb, { params: { v: value }, cellResults: () => undefined });
    const reader = await duckdb.connection().runAndReadAll(sql);
    assert.deepEqual(reader.getRowsJS(), [[value, 1]]);
  }
});

test('a NUL byte is refused rather than altered', () => {
  assert.throws(() => substituted('a\0b', '5'), SubstitutionError);
});
