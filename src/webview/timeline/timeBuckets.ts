// Events per time bucket, for the histogram over the axis. Bucket sizes are the ones a
// person reads without arithmetic, so a burst (say 200 AssumeRole calls in a minute)
// lands in one or two buckets and shows as one spike. Pure: no DOM.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const YEAR = 365 * DAY;

export const NICE_BUCKETS_MS: readonly number[] = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
  90 * DAY,
  YEAR,
];

/** The smallest nice size that cuts `spanMs` into at most `maxBuckets` buckets. */
export function niceBucketSize(spanMs: number, maxBuckets: number): number {
  const wanted = spanMs / Math.max(1, maxBuckets);
  for (const size of NICE_BUCKETS_MS) if (size >= wanted) return size;
  // Past the largest nice size (a year), whole years.
  return Math.ceil(wanted / YEAR) * YEAR;
}

/** Buckets start on multiples of the size since the epoch: whole minutes, hours, UTC days. */
export function bucketFloor(time: number, size: number): number {
  return Math.floor(time / size) * size;
}

export interface Histogram {
  /** Start of the first bucket. */
  readonly start: number;
  readonly size: number;
  readonly counts: Uint32Array;
}

/** Counts of `times` (NaN skipped) in the buckets that cover [from, to]. */
export function countByBucket(times: ArrayLike<number>, length: number, from: number, to: number, size: number): Histogram {
  const start = bucketFloor(from, size);
  const buckets = Math.max(1, Math.floor((to - start) / size) + 1);
  const counts = new Uint32Array(buckets);
  for (let i = 0; i < length; i += 1) {
    const t = times[i]!;
    if (!(t >= from && t <= to)) continue;
    counts[Math.floor((t - start) / size)]! += 1;
  }
  return { start, size, counts };
}

/** The bucket holding most events: where a burst is. */
export function peakBucket(histogram: Histogram): { readonly start: number; readonly count: number } {
  let best = 0;
  let most = 0;
  // The first of equal buckets wins: the earliest burst.
  for (const [i, count] of histogram.counts.entries()) {
    if (count > most) {
      best = i;
      most = count;
    }
  }
  return { start: histogram.start + best * histogram.size, count: most };
}
