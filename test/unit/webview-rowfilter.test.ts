// The table's filter box: every word, anywhere in the row, any case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterTerms, rowMatches } from '../../src/webview/rowFilter';

const row = ['2025-03-05T14:05:30Z', 'CreateAccessKey', { arn: 'arn:aws:iam::111122223333:user/Alice' }, '203.0.113.7', null, 42];

test('words are matched in any column and any case; all must match', () => {
  assert.ok(rowMatches(row, filterTerms('createaccesskey')));
  assert.ok(rowMatches(row, filterTerms('  alice   203.0.113 ')), 'inside a struct, and across columns');
  assert.ok(rowMatches(row, filterTerms('42')));
  assert.ok(!rowMatches(row, filterTerms('alice bob')));
});

test('an empty filter matches everything', () => {
  assert.deepEqual(filterTerms('   '), []);
  assert.ok(rowMatches(row, []));
});
