// How values read in the results table and its detail (the words for a run: run-wording.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCell, prettyJson, rowAsObject } from '../../src/webview/formatValue';

test('each kind of value gets its kind, for alignment and styling', () => {
  assert.deepEqual(formatCell(null), { kind: 'null', text: '' });
  assert.deepEqual(formatCell(undefined), { kind: 'null', text: '' });
  assert.deepEqual(formatCell(42), { kind: 'number', text: '42' });
  assert.deepEqual(formatCell(false), { kind: 'boolean', text: 'false' });
  assert.deepEqual(formatCell('AssumeRole'), { kind: 'string', text: 'AssumeRole' });
});

test('objects and arrays show as compact JSON', () => {
  assert.deepEqual(formatCell({ type: 'IAMUser', mfa: { authenticated: false } }), {
    kind: 'json',
    text: '{"type":"IAMUser","mfa":{"authenticated":false}}',
  });
  assert.deepEqual(formatCell([{ ARN: 'arn:aws:s3:::bucket' }]), { kind: 'json', text: '[{"ARN":"arn:aws:s3:::bucket"}]' });
});

test('long text is cut with an ellipsis and kept whole in the title', () => {
  const userAgent = 'aws-cli/2.15.0 '.repeat(20);
  const cell = formatCell(userAgent, 40);
  assert.equal(cell.text.length, 40);
  assert.ok(cell.text.endsWith('…'));
  assert.equal(cell.title, userAgent);
  assert.equal(formatCell('x'.repeat(40), 40).title, undefined, 'text that fits has no title');
});

test('line breaks become spaces so a row stays one line; the title keeps them', () => {
  const sql = 'SELECT 1\nFROM cloudtrail_logs\r\n  WHERE true';
  const cell = formatCell(sql);
  assert.equal(cell.text, 'SELECT 1 FROM cloudtrail_logs WHERE true');
  assert.equal(cell.title, sql);
});

test('the detail shows the row as an object keyed by column; missing cells are null', () => {
  const row = rowAsObject(['eventTime', 'eventName', 'sourceIPAddress'], ['2024-06-01T10:00:00Z', 'CreateAccessKey']);
  assert.deepEqual(row, { eventTime: '2024-06-01T10:00:00Z', eventName: 'CreateAccessKey', sourceIPAddress: null });
  assert.equal(
    prettyJson(row),
    '{\n  "eventTime": "2024-06-01T10:00:00Z",\n  "eventName": "CreateAccessKey",\n  "sourceIPAddress": null\n}',
  );
});
