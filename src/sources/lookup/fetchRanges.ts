// Which parts of a time range still have to be fetched from LookupEvents, given the parts
// already fetched. Ranges are half-open, [start, end) in epoch milliseconds on whole
// seconds (CloudTrail times have second precision), so adjacent ranges never share an event.

export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/** CloudTrail delivers events late: the last minutes are fetched again every time. */
export const SETTLE_MS = 15 * 60_000;

const floorToSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** The parts of `want` that no range of `have` covers, in order. */
export function missingRanges(want: TimeRange, have: readonly TimeRange[]): TimeRange[] {
  const missing: TimeRange[] = [];
  let cursor = want.start;
  for (const range of [...have].sort((a, b) => a.start - b.start)) {
    if (range.end <= cursor || range.start >= want.end) continue;
    if (range.start > cursor) missing.push({ start: cursor, end: range.start });
    cursor = Math.max(cursor, range.end);
    if (cursor >= want.end) break;
  }
  if (cursor < want.end) missing.push({ start: cursor, end: want.end });
  return missing;
}

/**
 * Splits a window into the part that can be kept once fetched (older than SETTLE_MS) and
 * the recent tail that never can.
 */
export function settledAndRecent(start: Date, end: Date, now: number): { settled?: TimeRange; recent?: TimeRange } {
  const from = floorToSecond(start.getTime());
  const to = floorToSecond(end.getTime() + 999);
  const settledEnd = Math.min(to, floorToSecond(now - SETTLE_MS));
  return {
    ...(settledEnd > from ? { settled: { start: from, end: settledEnd } } : {}),
    ...(to > Math.max(from, settledEnd) ? { recent: { start: Math.max(from, settledEnd), end: to } } : {}),
  };
}
