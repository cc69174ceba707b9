// Parsing well-formed runbooks: metadata, cells and their exact 0-based lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunbook } from '../../src/runbook';
import { itemAt } from '../support/itemAt';

const fixture = (name: string) => readFileSync(resolve('test/fixtures/runbooks', name), 'utf8');
const good = fixture('access-keys-without-mfa.md');

test('reads front matter fields and params', () => {
  const rb = parseRunbook(good, 'runbooks/access-keys-without-mfa.md');
  assert.deepEqual(rb.problems, []);
  assert.equal(rb.title, 'Access keys created without MFA');
  assert.equal(rb.description, 'Finds access keys created by sessions that did not use MFA, then follows the keys.');
  assert.deepEqual(rb.tags, ['iam', 'credentials']);
  assert.equal(rb.window, '7d');
  assert.equal(rb.source, 'local');
  assert.equal(rb.reviewed, '2024-05-01');
  assert.deepEqual(rb.params, [
    { name: 'user', type: 'string', description: 'IAM user name', default: '', line: 8 },
    {
      name: 'region',
      type: 'string',
      description: 'Region the keys were used in',
      default: 'us-east-1',
      pattern: '[a-z]{2}-[a-z]+-\\d',
      line: 9,
    },
    { name: 'limit', type: 'number', default: '100', line: 13 },
  ]);
});

test('finds only cloudtrail fences, with exact lines, attributes and headings', () => {
  const rb = parseRunbook(good, 'x.md');
  assert.deepEqual(
    rb.cells.map((c) => [c.id, c.index, c.fenceLine, c.sqlStartLine, c.endLine, c.heading]),
    [
      ['new-keys', 0, 24, 25, 30, 'Detect'],
      ['key-activity', 1, 34, 35, 41, 'Pivot: what did the new keys do?'],
      ['cell-3', 2, 47, 48, 49, 'Pivot: what did the new keys do?'],
    ],
  );
  const detect = itemAt(rb.cells, 0);
  const pivot = itemAt(rb.cells, 1);
  const last = itemAt(rb.cells, 2);
  assert.equal(detect.expect, 'empty');
  assert.deepEqual(detect.attributes, { id: 'new-keys', expect: 'empty' });
  assert.ok(detect.sql.startsWith('SELECT eventTime, userIdentity.arn AS actor'));
  assert.ok(detect.sql.endsWith("<> 'true'"), 'the newline before the closing fence is not SQL');
  assert.equal(pivot.window, '24h');
  assert.equal(pivot.source, 'lookup');
  assert.equal(pivot.expect, undefined);
  assert.equal(last.info, 'cloudtrail');
  assert.deepEqual(last.attributes, {});
});

test('the SQL line of each cell is the Markdown line it came from', () => {
  const lines = good.split('\n');
  for (const cell of parseRunbook(good, 'x.md').cells) {
    assert.match(itemAt(lines, cell.fenceLine), /^```cloudtrail/);
    assert.equal(lines[cell.sqlStartLine], cell.sql.split('\n')[0]);
    assert.equal(lines[cell.endLine], '```');
  }
});

test('CRLF line endings give the same lines, SQL and references', () => {
  const lf = parseRunbook(good, 'x.md');
  const crlf = parseRunbook(good.replaceAll('\n', '\r\n'), 'x.md');
  assert.deepEqual(crlf.problems, []);
  assert.deepEqual(crlf.params, lf.params);
  assert.deepEqual(crlf.cells, lf.cells);
  assert.ok(!itemAt(crlf.cells, 0).sql.includes('\r'));
});

test('without front matter: title from the first # heading, lines unchanged', () => {
  const rb = parseRunbook(fixture('no-front-matter.md'), 'no-front-matter.md');
  assert.deepEqual(rb.problems, []);
  assert.equal(rb.title, 'Console logins from new countries');
  assert.deepEqual(rb.tags, []);
  assert.deepEqual(rb.params, []);
  const cell = itemAt(rb.cells, 0);
  assert.deepEqual([cell.id, cell.fenceLine, cell.sqlStartLine, cell.endLine, cell.expect], ['logins', 4, 5, 6, 'rows']);
  const crlf = parseRunbook(fixture('no-front-matter.md').replaceAll('\n', '\r\n'), 'x.md');
  assert.deepEqual(crlf.cells, rb.cells);
});

test('without a title or # heading, the file name is the title', () => {
  const rb = parseRunbook('## Only a subheading\n\n```cloudtrail\nSELECT 1\n```\n', 'C:\\runbooks\\lateral-movement.md');
  assert.equal(rb.title, 'lateral-movement');
  assert.equal(itemAt(rb.cells, 0).id, 'cell-1');
  assert.equal(itemAt(rb.cells, 0).heading, 'Only a subheading');
});

test('front matter lines count: the first cell after it keeps its file line', () => {
  const text = '---\ntitle: T\n---\n```cloudtrail id=a\nSELECT 1\n```\n';
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(rb.problems, []);
  assert.deepEqual([itemAt(rb.cells, 0).fenceLine, itemAt(rb.cells, 0).sqlStartLine, itemAt(rb.cells, 0).endLine], [3, 4, 5]);
  assert.equal(rb.title, 'T');
});

test('quoted attribute values, tildes, indented and quoted fences', () => {
  const text = [
    '~~~cloudtrail id="spaced-id" window="2024-05-01T00:00:00Z/2024-05-02T00:00:00Z"',
    'SELECT 1',
    '~~~',
    '',
    '> ```cloudtrail id=quoted',
    '> SELECT {{quoted-param}}',
    '> ```',
    '',
    '- item',
    '',
    '  ```cloudtrail id=listed',
    '  SELECT 2',
    '  ```',
  ].join('\n');
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(
    rb.cells.map((c) => [c.id, c.fenceLine, c.sqlStartLine, c.endLine, c.sql]),
    [
      ['spaced-id', 0, 1, 2, 'SELECT 1'],
      ['quoted', 4, 5, 6, 'SELECT {{quoted-param}}'],
      ['listed', 10, 11, 12, 'SELECT 2'],
    ],
  );
  assert.equal(itemAt(rb.cells, 0).window, '2024-05-01T00:00:00Z/2024-05-02T00:00:00Z');
  // The column is that of the Markdown line, after the "> " prefix.
  assert.equal(itemAt(itemAt(rb.cells, 1).references, 0).textColumn, 9);
  assert.deepEqual(
    rb.problems.map((p) => [p.code, p.line, p.column]),
    [['unknown-param', 5, 9]],
  );
});

test('front-matter window as {start, end} is kept in interval notation', () => {
  const text = '---\nwindow: { start: "2024-05-01T00:00:00Z", end: "2024-05-01T06:00:00+02:00" }\n---\n';
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(rb.problems, []);
  assert.equal(rb.window, '2024-05-01T00:00:00Z/2024-05-01T06:00:00+02:00');
});

test('params: bare values are defaults, list defaults may be YAML lists', () => {
  const text = '---\nparams:\n  user: alice\n  days: 3\n  keys: { type: list, default: [AKIA1, AKIA2] }\n  required:\n---\n';
  const rb = parseRunbook(text, 'x.md');
  assert.deepEqual(rb.problems, []);
  assert.deepEqual(rb.params, [
    { name: 'user', type: 'string', default: 'alice', line: 2 },
    { name: 'days', type: 'number', default: '3', line: 3 },
    { name: 'keys', type: 'list', default: 'AKIA1,AKIA2', line: 4 },
    { name: 'required', type: 'string', line: 5 },
  ]);
});

test('a fence whose info merely starts with the letters is not a cell', () => {
  const rb = parseRunbook('```cloudtrailish\nSELECT 1\n```\n```sql\nSELECT 2\n```\n', 'x.md');
  assert.equal(rb.cells.length, 0);
});

test('never throws on odd input', () => {
  for (const text of ['', '---', '---\n---', '```cloudtrail', '{{', '\uFEFF---\ntitle: BOM\n---\n', '---\n- a\n- b\n---\n', '\0\0']) {
    assert.doesNotThrow(() => parseRunbook(text, 'odd.md'));
  }
  assert.equal(parseRunbook('\uFEFF---\ntitle: BOM\n---\n', 'x.md').title, 'BOM');
});
