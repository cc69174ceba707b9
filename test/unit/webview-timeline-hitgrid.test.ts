// Hit-testing by grid: the nearest mark in the lane, found without scanning every mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HitGrid } from '../../src/webview/timeline/hitGrid';

test('the nearest mark within the radius, in the pointer lane only', () => {
  const grid = new HitGrid();
  grid.reset(1000, 3);
  grid.add(10, 100, 0);
  grid.add(11, 104, 0);
  grid.add(20, 102, 1);
  assert.equal(grid.nearest(103.5, 0, 6), 11);
  assert.equal(grid.nearest(100.5, 0, 6), 10);
  assert.equal(grid.nearest(101, 1, 6), 20);
  assert.equal(grid.nearest(101, 2, 6), -1, 'an empty lane');
  assert.equal(grid.nearest(200, 0, 6), -1, 'nothing within the radius');
});

test('marks across cell borders are found; out-of-range marks and lanes are ignored', () => {
  const grid = new HitGrid();
  grid.reset(100, 1, 4);
  grid.add(1, 7.9, 0);
  grid.add(2, -5, 0);
  grid.add(3, 50, 5);
  assert.equal(grid.nearest(8.1, 0, 3), 1);
  assert.equal(grid.size, 1);
  assert.equal(grid.nearest(50, 5, 3), -1);
});

test('100,000 marks: filing allocates only typed arrays, a lookup reads a few cells', () => {
  const grid = new HitGrid();
  grid.reset(1200, 30);
  // Every lane full: a mark every 0.36 px.
  for (let i = 0; i < 100_000; i += 1) grid.add(i, Math.floor(i / 30) * 0.36, i % 30);
  const started = performance.now();
  let found = 0;
  for (let i = 0; i < 10_000; i += 1) if (grid.nearest((i * 13) % 1200, i % 30, 6) >= 0) found += 1;
  assert.equal(found, 10_000);
  assert.ok(performance.now() - started < 500, 'lookups stay cheap');
  grid.reset(1200, 30);
  assert.equal(grid.size, 0);
  assert.equal(grid.nearest(7, 1, 6), -1, 'a reset grid is empty');
});
