import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, plural } from '../../src/protocol/plural';

test('count groups digits as toLocaleString("en-US") does, for whole numbers of every length and sign', () => {
  const values = [0, 1, 7, 12, 999, 1000, 1001, 99_999, 100_000, 123_456, 1_000_000, 8147, 2_310, Number.MAX_SAFE_INTEGER];
  for (const n of [...values, ...values.filter((v) => v !== 0).map((v) => -v)])
    assert.equal(count(n), n.toLocaleString('en-US'), String(n));
  assert.equal(count(1_000_000), '1,000,000');
  // The one difference: no "-0" (toLocaleString keeps the sign of a negative zero).
  assert.equal(count(-0), '0');
});

test('count leaves what is not a safe whole number to toLocaleString', () => {
  for (const n of [1234.5678, 0.5, -2.25, 1e21, Number.NaN, Number.POSITIVE_INFINITY])
    assert.equal(count(n), n.toLocaleString('en-US'), String(n));
});

test('plural says one without an s, any other count with one', () => {
  assert.equal(plural(1, 'file'), '1 file');
  assert.equal(plural(0, 'file'), '0 files');
  assert.equal(plural(8147, 'log file'), '8,147 log files');
});
