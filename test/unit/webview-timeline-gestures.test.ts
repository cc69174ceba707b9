// The keys and the wheel move the span in view the same way on both timelines (the one
// over rows in the webview and the one over a result the host keeps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyMove, wheelMove } from '../../src/webview/timeline/timelineGestures';
import { timelineLayout } from '../../src/webview/timeline/timelineLayout';

// Milliseconds: a day in view of ten.
const DAY = 86_400_000;
const bounds = { start: 0, end: 10 * DAY };
const range = { start: 4 * DAY, end: 5 * DAY };

test('keys: + and = zoom in around the middle, - out, arrows pan a fifth, 0 and Home show everything, others move nothing', () => {
  assert.deepEqual(keyMove('+', range, bounds), { start: 4.25 * DAY, end: 4.75 * DAY });
  assert.deepEqual(keyMove('=', range, bounds), keyMove('+', range, bounds));
  assert.deepEqual(keyMove('-', range, bounds), { start: 3.5 * DAY, end: 5.5 * DAY });
  assert.deepEqual(keyMove('ArrowLeft', range, bounds), { start: 3.8 * DAY, end: 4.8 * DAY });
  assert.deepEqual(keyMove('ArrowRight', range, bounds), { start: 4.2 * DAY, end: 5.2 * DAY });
  assert.equal(keyMove('0', range, bounds), undefined);
  assert.equal(keyMove('Home', range, bounds), undefined);
  assert.equal(keyMove('x', range, bounds), 'none');
});

test('wheel: sideways pans, up and down zoom around the time under the pointer, which over the overview is a time of the whole span', () => {
  const layout = timelineLayout(800, 400, 5, 180);
  const panned = wheelMove({ deltaX: layout.plotWidth / 10, deltaY: 0 }, layout.plotLeft + 10, layout.lanes.top + 2, layout, range, bounds);
  assert.deepEqual([Math.round(panned!.start), Math.round(panned!.end)], [Math.round(4.1 * DAY), Math.round(5.1 * DAY)]);
  // Zooming in at the plot's left edge keeps that edge's time where it is.
  const atLeft = wheelMove({ deltaX: 0, deltaY: -100 }, layout.plotLeft, layout.lanes.top + 2, layout, range, bounds) as {
    start: number;
    end: number;
  };
  assert.equal(atLeft.start, 4 * DAY);
  assert.ok(atLeft.end < 5 * DAY);
  // Over the overview the same place on screen is the start of all time.
  const overview = wheelMove({ deltaX: 0, deltaY: -100 }, layout.plotLeft, layout.overview.top + 2, layout, range, bounds) as {
    start: number;
    end: number;
  };
  assert.ok(overview.start < 4 * DAY, JSON.stringify(overview));
});
