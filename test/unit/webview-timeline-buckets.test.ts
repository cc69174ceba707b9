// The histogram over the axis: nice bucket sizes, counts, and a burst that shows as one spike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketFloor, countByBucket, NICE_BUCKETS_MS, niceBucketSize, peakBucket } from '../../src/webview/timeline/timeBuckets';
import { itemAt } from '../support/itemAt';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test('the smallest nice size that keeps the bucket count under the limit', () => {
  assert.equal(niceBucketSize(7 * DAY, 300), HOUR, 'a week in 300 buckets: hours');
  assert.equal(niceBucketSize(DAY, 300), 5 * MINUTE);
  assert.equal(niceBucketSize(10 * MINUTE, 300), 5 * SECOND);
  assert.equal(niceBucketSize(30 * SECOND, 300), SECOND, 'never below a second');
  assert.equal(niceBucketSize(90 * DAY, 30), 7 * DAY);
  assert.ok(NICE_BUCKETS_MS.includes(niceBucketSize(3 * HOUR, 250)));
});

test('beyond the largest nice size, a multiple of it', () => {
  const size = niceBucketSize(10_000 * DAY, 2);
  assert.equal(size % (365 * DAY), 0);
  assert.ok(size >= 5000 * DAY && size < 5365 * DAY);
});

test('buckets start on whole units, in UTC', () => {
  assert.equal(bucketFloor(Date.parse('2025-03-05T14:07:31Z'), 5 * MINUTE), Date.parse('2025-03-05T14:05:00Z'));
  assert.equal(bucketFloor(Date.parse('2025-03-05T14:07:31Z'), DAY), Date.parse('2025-03-05T00:00:00Z'));
});

test('counts: each time in its bucket, times outside the range and NaN skipped', () => {
  const t0 = Date.parse('2025-03-05T00:00:00Z');
  const times = new Float64Array([t0 + 10, t0 + MINUTE + 5, t0 + MINUTE + 6, NaN, t0 + 10 * MINUTE]);
  const histogram = countByBucket(times, times.length, t0, t0 + 3 * MINUTE, MINUTE);
  assert.equal(histogram.start, t0);
  assert.deepEqual([...histogram.counts], [1, 2, 0, 0]);
});

test('an AssumeRole burst (200 calls in 40 s) over a day of background is one spike', () => {
  const t0 = Date.parse('2025-03-05T00:00:00Z');
  const times: number[] = [];
  for (let i = 0; i < 2000; i += 1) times.push(t0 + ((i * 7919) % 2000) * (DAY / 2000)); // even background
  const burst = t0 + 13 * HOUR + 17 * MINUTE;
  for (let i = 0; i < 200; i += 1) times.push(burst + i * 200);
  const size = niceBucketSize(DAY, 300);
  const histogram = countByBucket(Float64Array.from(times), times.length, t0, t0 + DAY, size);
  const peak = peakBucket(histogram);
  assert.ok(peak.start <= burst && burst < peak.start + 2 * size, 'the peak is where the burst is');
  const sorted = [...histogram.counts].sort((a, b) => b - a);
  assert.ok(itemAt(sorted, 0) > 10 * itemAt(sorted, 2), `the spike (${sorted[0]}) towers over the background (${sorted[2]})`);
});
