// Zoom around the cursor, pan, and clamping to the events' bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clampRange,
  MIN_SPAN_MS,
  paddedBounds,
  panBy,
  span,
  timeToX,
  wheelFactor,
  xToTime,
  zoomAround,
} from '../../src/webview/timeline/timeScale';

const bounds = { start: 0, end: 100_000_000 };

test('zooming keeps the time under the cursor where it was', () => {
  const range = { start: 10_000_000, end: 50_000_000 };
  const anchor = 20_000_000;
  const zoomed = zoomAround(range, anchor, 0.5, bounds);
  assert.equal(span(zoomed), 20_000_000);
  const before = timeToX(anchor, range, 100, 800);
  const after = timeToX(anchor, zoomed, 100, 800);
  assert.ok(Math.abs(before - after) < 1e-6);
});

test('zooming out stops at the bounds, and zooming in at the minimum span', () => {
  assert.deepEqual(zoomAround({ start: 40_000_000, end: 60_000_000 }, 50_000_000, 100, bounds), bounds);
  const tiny = zoomAround({ start: 50_000_000, end: 50_002_000 }, 50_001_000, 0.01, bounds);
  assert.equal(span(tiny), MIN_SPAN_MS);
});

test('zooming out near an edge slides the range inside rather than past it', () => {
  const zoomed = zoomAround({ start: 0, end: 10_000_000 }, 0, 2, bounds);
  assert.deepEqual(zoomed, { start: 0, end: 20_000_000 });
});

test('panning moves by the given time and stops at either end', () => {
  const range = { start: 10_000_000, end: 20_000_000 };
  assert.deepEqual(panBy(range, 5_000_000, bounds), { start: 15_000_000, end: 25_000_000 });
  assert.deepEqual(panBy(range, -50_000_000, bounds), { start: 0, end: 10_000_000 });
  assert.deepEqual(panBy(range, 500_000_000, bounds), { start: 90_000_000, end: 100_000_000 });
});

test('clamping: a range wider than the bounds becomes the bounds', () => {
  assert.deepEqual(clampRange({ start: -5, end: 200_000_000 }, bounds), bounds);
});

test('time ↔ pixel round trip', () => {
  const range = { start: 1000, end: 5000 };
  assert.equal(xToTime(timeToX(3210, range, 50, 400), range, 50, 400), 3210);
});

test('bounds have room at both ends, even for a single event', () => {
  const one = paddedBounds(1_000_000, 1_000_000);
  assert.ok(one.start < 1_000_000 && one.end > 1_000_000);
  assert.ok(span(one) >= MIN_SPAN_MS);
});

test('a wheel notch zooms in (negative delta) or out by about a fifth', () => {
  assert.ok(wheelFactor(-100) < 0.85 && wheelFactor(-100) > 0.8);
  assert.ok(Math.abs(wheelFactor(100) * wheelFactor(-100) - 1) < 1e-9);
});
