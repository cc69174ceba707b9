// The time-window text shared by front matter, cell attributes and the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp, parseWindow } from '../../src/runbook';

test('relative windows in minutes, hours and days', () => {
  assert.deepEqual(parseWindow('90m'), { kind: 'relative', text: '90m', milliseconds: 90 * 60_000 });
  assert.deepEqual(parseWindow('24h'), { kind: 'relative', text: '24h', milliseconds: 86_400_000 });
  assert.deepEqual(parseWindow('7d'), { kind: 'relative', text: '7d', milliseconds: 7 * 86_400_000 });
});

test('absolute windows in ISO-8601 interval notation', () => {
  const window = parseWindow('2024-05-01T00:00:00Z/2024-05-01T06:00:00+02:00');
  assert.ok('kind' in window && window.kind === 'absolute');
  assert.equal(window.start.toISOString(), '2024-05-01T00:00:00.000Z');
  assert.equal(window.end.toISOString(), '2024-05-01T04:00:00.000Z');
});

test('invalid windows say what is wrong and name the value', () => {
  const error = (text: string) => (parseWindow(text) as { error?: string }).error ?? '';
  assert.match(error('0h'), /"0h" is empty/);
  assert.match(error('1w'), /"1w" is not valid/);
  assert.match(error('2024-05-02T00:00:00Z/2024-05-01T00:00:00Z'), /ends before it starts/);
  assert.match(error('2024-05-01T00:00:00/2024-05-02T00:00:00'), /time zone/);
});

test('timestamps: time zone required with a time, real calendar days only', () => {
  assert.equal(parseTimestamp('2024-05-01')?.toISOString(), '2024-05-01T00:00:00.000Z');
  assert.equal(parseTimestamp('2024-05-01T10:00Z')?.toISOString(), '2024-05-01T10:00:00.000Z');
  assert.equal(parseTimestamp('2024-05-01T10:00:00'), undefined);
  assert.equal(parseTimestamp('2024-02-30'), undefined);
  assert.equal(parseTimestamp('2024-02-29')?.toISOString(), '2024-02-29T00:00:00.000Z');
});
