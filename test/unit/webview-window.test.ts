// Which rows the virtualised table puts in the DOM, and where it scrolls to show a row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scrollToShow, visibleRows, type Viewport } from '../../src/webview/virtualWindow';

const view = (scrollTop: number, total = 10_000): Viewport => ({ scrollTop, height: 440, offset: 22, rowHeight: 22, total, overscan: 10 });

test('at the top: the rows in view plus the margin below', () => {
  assert.deepEqual(visibleRows(view(0)), { first: 0, end: 31 });
});

test('scrolled down: a margin above and below, about the same count of rows', () => {
  const range = visibleRows(view(22 + 5000 * 22));
  assert.deepEqual(range, { first: 4990, end: 5031 });
});

test('at the end and with few rows, never past the last row', () => {
  assert.deepEqual(visibleRows(view(22 * 10_000, 10_000)).end, 10_000);
  assert.deepEqual(visibleRows(view(0, 3)), { first: 0, end: 3 });
  assert.deepEqual(visibleRows(view(0, 0)), { first: 0, end: 0 });
});

test('scrollToShow moves as little as possible, and not at all for a row in view', () => {
  assert.equal(scrollToShow(view(0), 5), 0);
  assert.equal(scrollToShow(view(0), 100), 22 + 101 * 22 - 440, 'a row below: it ends at the bottom');
  assert.equal(scrollToShow(view(22 * 50), 10), 22 * 10, 'a row above: it starts under the sticky header');
});
