// Axis ticks and time labels, in UTC or local time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisTicks, formatInstant, formatSpan, tickLabel } from '../../src/webview/timeline/timeAxis';
import { itemAt } from '../support/itemAt';

const HOUR = 3_600_000;

test('ticks fall on whole steps inside the range, far enough apart', () => {
  const range = { start: Date.parse('2025-03-05T00:10:00Z'), end: Date.parse('2025-03-06T00:00:00Z') };
  const { step, ticks } = axisTicks(range, 1000, 'utc');
  assert.equal(step, 3 * HOUR);
  assert.equal(new Date(itemAt(ticks, 0)).toISOString(), '2025-03-05T03:00:00.000Z');
  assert.ok(ticks.every((t) => t >= range.start && t <= range.end && t % step === 0));
  assert.ok((1000 / (range.end - range.start)) * step >= 110);
});

test('labels say as much as the step needs', () => {
  const t = Date.parse('2025-03-05T14:05:30Z');
  assert.equal(tickLabel(t, 86_400_000, 'utc'), '2025-03-05');
  assert.equal(tickLabel(t, HOUR, 'utc'), '14:05');
  assert.equal(tickLabel(Date.parse('2025-03-06T00:00:00Z'), HOUR, 'utc'), '2025-03-06', 'midnight names the day');
  assert.equal(tickLabel(t, 5000, 'utc'), '14:05:30');
});

test('instants name their zone', () => {
  const t = Date.parse('2025-03-05T14:05:30Z');
  assert.equal(formatInstant(t, 'utc'), '2025-03-05 14:05:30 UTC');
  assert.match(formatInstant(t, 'local'), /^2025-03-0[4-6] \d\d:\d\d:30 [+-]\d\d:\d\d$/);
});

test('spans in the largest short unit', () => {
  assert.equal(formatSpan(45_000), '45 s');
  assert.equal(formatSpan(12 * 60_000), '12 min');
  assert.equal(formatSpan(3.5 * HOUR), '3.5 h');
  assert.equal(formatSpan(2 * 86_400_000), '2 d');
});
