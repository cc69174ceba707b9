// How values read in the results table and its detail, and the words used for a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCell, prettyJson, rowAsObject } from '../../src/webview/formatValue';
import { formatElapsed, rowCountText, statusText } from '../../src/webview/runLabels';

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
  assert.equal(prettyJson(row), '{\n  "eventTime": "2024-06-01T10:00:00Z",\n  "eventName": "CreateAccessKey",\n  "sourceIPAddress": null\n}');
});

test('row counts read like the editor summary, and say when the limit was reached', () => {
  assert.equal(rowCountText(1, false), '1 row');
  assert.equal(rowCountText(12, false), '12 rows');
  assert.equal(rowCountText(10_000, true), '10,000 rows · limit reached');
});

test('status words: a detection reads as findings, a plain query as done', () => {
  assert.equal(statusText('ok', 'empty'), '✓ No findings');
  assert.equal(statusText('ok', undefined), '✓ Done');
  assert.equal(statusText('finding', 'empty'), '⚠ Findings');
  assert.equal(statusText('finding', 'rows'), '⚠ Expected rows, found none');
  assert.equal(statusText('running', undefined), '◌ Running');
  assert.equal(statusText('error', undefined), '✗ Error');
  assert.equal(statusText('cancelled', undefined), '■ Cancelled');
  assert.equal(statusText('skipped', undefined), '↷ Skipped');
});

test('elapsed times', () => {
  assert.equal(formatElapsed(850), '850 ms');
  assert.equal(formatElapsed(1400), '1.4 s');
  assert.equal(formatElapsed(125_000), '2 min 5 s');
});
