// Help while writing a cloudtrail block: completion of columns, struct fields, portable Trino
// functions and references, and hovers on a column and on a reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../src/runbook';
import { NATIVE_TRINO_FUNCTIONS, TRINO_FUNCTIONS } from '../../src/engine/trinoFunctions';
import { blockAtLine, cellAtLine, fieldAt, hoverText, suggestionsAt, wordAt, type AssistContext } from '../../src/extension/sqlAssist';
import { itemAt } from '../support/itemAt';

const text = [
  '---',
  'title: Keys',
  'params:',
  '  user: { description: IAM user name, default: alice }',
  '---',
  '',
  '```cloudtrail id=new-keys',
  'SELECT userIdentity.accessKeyId AS key FROM cloudtrail_logs',
  '```',
  '',
  '```cloudtrail id=activity',
  'SELECT eventName FROM cloudtrail_logs t WHERE t.userIdentity.accessKeyId IN ({{new-keys.key}})',
  '```',
  '',
].join('\n');
const runbook = parseRunbook(text, 'keys.md');
const activity = itemAt(runbook.cells, 1);
const context: AssistContext = {
  functions: [...TRINO_FUNCTIONS, ...NATIVE_TRINO_FUNCTIONS],
  columnsOf: (id) => (id === 'new-keys' ? ['key'] : undefined),
  valuesOf: (id, column) => (id === 'new-keys' && column === 'key' ? ['AKIA1', 'AKIA2', 'AKIA1', null] : undefined),
};
const labels = (before: string) => suggestionsAt(before, runbook, activity, context).map((s) => s.label);

test('columns, the table and the portable Trino functions at the start of a word', () => {
  const all = labels('SELECT ');
  for (const name of [
    'cloudtrail_logs',
    'eventTime',
    'userIdentity',
    'recipientAccountId',
    'tlsDetails',
    'json_extract_scalar',
    'from_iso8601_timestamp',
    'regexp_like',
  ]) {
    assert.ok(all.includes(name), `${name} is offered`);
  }
});

test('struct fields after a dotted path, down to mfaAuthenticated, through a table alias, any case', () => {
  assert.deepEqual(labels('WHERE userIdentity.sessionContext.attributes.'), ['mfaAuthenticated', 'creationDate']);
  assert.ok(labels('WHERE t.userIdentity.').includes('accessKeyId'));
  assert.ok(labels('WHERE USERIDENTITY.sessioncontext.').includes('sessionIssuer'));
  assert.deepEqual(labels('WHERE eventName.'), [], 'a text column has no fields');
  assert.equal(fieldAt(['userIdentity', 'nope']), undefined);
});

test("references: parameters and cells above after {{, a cell's columns after {{cell.", () => {
  assert.deepEqual(labels('WHERE x IN ({{'), ['user', 'new-keys']);
  assert.deepEqual(labels('WHERE x IN ({{new-keys.'), ['key']);
  assert.deepEqual(labels('WHERE x IN ({{activity.'), [], 'a cell that has not run offers no columns');
});

test("hovers: a column's type and meaning, a reference's current values, a parameter's default and description", () => {
  assert.match(
    hoverText('userIdentity.sessionContext.attributes.mfaAuthenticated', runbook, context)!,
    /^`userIdentity\.sessionContext\.attributes\.mfaAuthenticated` · VARCHAR\n\n'true' when/,
  );
  assert.match(hoverText('t.useridentity.ARN', runbook, context)!, /^`userIdentity\.arn` · VARCHAR/);
  assert.match(hoverText('requestParameters', runbook, context)!, /JSON text/);
  assert.equal(
    hoverText('{{new-keys.key}}', runbook, context),
    '`{{new-keys.key}}`: 2 values from the last run of cell `new-keys`: `AKIA1`, `AKIA2`',
  );
  assert.match(hoverText('{{activity.x}}', runbook, context)!, /has not run in this session/);
  assert.equal(hoverText('{{user}}', runbook, context), '`{{user}}`: parameter (string)\n\nIAM user name\n\nDefault: `alice`');
  assert.match(hoverText('json_extract_scalar', runbook, context)!, /Trino function, the same on every backend/);
  assert.equal(hoverText('nothingKnown', runbook, context), undefined);
});

test('the word under the pointer, and the block under the cursor', () => {
  const line = 'WHERE t.userIdentity.accessKeyId IN ({{new-keys.key}})';
  assert.deepEqual(wordAt(line, 10), { text: 't.userIdentity.accessKeyId', start: 6, end: 32 });
  assert.equal(wordAt(line, 40)?.text, '{{new-keys.key}}');
  assert.equal(cellAtLine(runbook, 11)?.id, 'activity');
  assert.equal(cellAtLine(runbook, 10), undefined, 'the fence line is not SQL');
  assert.equal(blockAtLine(runbook, 10)?.id, 'activity', 'but running from it runs the cell');
  assert.equal(blockAtLine(runbook, 5), undefined);
});
