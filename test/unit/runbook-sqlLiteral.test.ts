// Values to SQL literals: the only way values reach SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sqlLiteral, sqlLiteralList } from '../../src/runbook';

test('strings are single-quoted with quotes doubled; backslashes and newlines stay as they are', () => {
  assert.equal(sqlLiteral('alice'), "'alice'");
  assert.equal(sqlLiteral(''), "''");
  assert.equal(sqlLiteral("x' OR '1'='1"), "'x'' OR ''1''=''1'");
  assert.equal(sqlLiteral('C:\\temp\\'), "'C:\\temp\\'");
  assert.equal(sqlLiteral('a\nb'), "'a\nb'");
  assert.equal(sqlLiteral('ünï 🚀'), "'ünï 🚀'");
});

test('NUL cannot be stored in a DuckDB string, so it is refused', () => {
  assert.throws(() => sqlLiteral('a\0b'), /NUL/);
});

test('numbers in decimal, finite only; bigint, booleans, null', () => {
  assert.equal(sqlLiteral(42), '42');
  assert.equal(sqlLiteral(-3.5), '-3.5');
  assert.equal(sqlLiteral(-0), '0');
  assert.equal(sqlLiteral(1e21), '1000000000000000000000');
  assert.equal(sqlLiteral(123456789012345678901234567890n), '123456789012345678901234567890');
  assert.equal(sqlLiteral(true), 'TRUE');
  assert.equal(sqlLiteral(false), 'FALSE');
  assert.equal(sqlLiteral(null), 'NULL');
  assert.throws(() => sqlLiteral(NaN), /finite/);
  assert.throws(() => sqlLiteral(Infinity), /finite/);
  assert.throws(() => sqlLiteral(-Infinity), /finite/);
});

test('dates become ISO-8601 text, like eventTime', () => {
  assert.equal(sqlLiteral(new Date('2024-05-01T10:00:00Z')), "'2024-05-01T10:00:00.000Z'");
});

test('objects and other types are refused with a clear message', () => {
  assert.throws(() => sqlLiteral({ a: 1 } as never), /cannot turn a structured value/);
  assert.throws(() => sqlLiteral([1] as never), /cannot turn a list/);
  assert.throws(() => sqlLiteral(undefined as never), /missing value/);
});

test('lists: deduplicated, nulls dropped, order kept; empty is NULL', () => {
  assert.equal(sqlLiteralList(['b', 'a', 'b', null, 'c']), "'b', 'a', 'c'");
  assert.equal(sqlLiteralList([1, 1n, 2]), '1, 2');
  assert.equal(sqlLiteralList([]), 'NULL');
  assert.equal(sqlLiteralList([null, null]), 'NULL');
});
