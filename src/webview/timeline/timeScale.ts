// The visible time range and how zooming and panning change it. Ranges stay inside the
// events' bounds and never shrink below a minimum span, so the view cannot be lost in
// empty time or zoomed into nothing. Pure: no DOM.

export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/** One second: finer than CloudTrail's own resolution gains nothing. */
export const MIN_SPAN_MS = 1000;

export const span = (range: TimeRange): number => range.end - range.start;

/** The events' extent with a little room at both ends, so the first and last marks are not cut. */
export function paddedBounds(first: number, last: number): TimeRange {
  const pad = Math.max(MIN_SPAN_MS / 2, (last - first) * 0.01);
  return { start: first - pad, end: last + pad };
}

/** `range` moved and shrunk as little as possible to fit `bounds`, and at least `minSpan` wide. */
export function clampRange(range: TimeRange, bounds: TimeRange, minSpan = MIN_SPAN_MS): TimeRange {
  const boundsSpan = span(bounds);
  let width = Math.min(Math.max(span(range), minSpan), boundsSpan);
  if (!(width > 0)) width = boundsSpan;
  let start = range.start;
  if (span(range) < minSpan) start = (range.start + range.end) / 2 - width / 2;
  start = Math.min(Math.max(start, bounds.start), bounds.end - width);
  return { start, end: start + width };
}

/** Zoom by `factor` (< 1 in, > 1 out) keeping `anchor` (the time under the cursor) in place. */
export function zoomAround(range: TimeRange, anchor: number, factor: number, bounds: TimeRange, minSpan = MIN_SPAN_MS): TimeRange {
  const width = Math.max(span(range) * factor, minSpan);
  const fraction = span(range) > 0 ? (anchor - range.start) / span(range) : 0.5;
  const start = anchor - fraction * width;
  const zoomed = clampRange({ start, end: start + width }, bounds, minSpan);
  return zoomed;
}

/** Shift by `deltaMs` (positive: later), stopping at the bounds. */
export function panBy(range: TimeRange, deltaMs: number, bounds: TimeRange): TimeRange {
  return clampRange({ start: range.start + deltaMs, end: range.end + deltaMs }, bounds, 0);
}

export function sameRange(a: TimeRange, b: TimeRange): boolean {
  return a.start === b.start && a.end === b.end;
}

/** Linear map between a time range and a pixel span [x0, x0 + width]. */
export function timeToX(time: number, range: TimeRange, x0: number, width: number): number {
  return x0 + ((time - range.start) / span(range)) * width;
}

export function xToTime(x: number, range: TimeRange, x0: number, width: number): number {
  return range.start + ((x - x0) / width) * span(range);
}

/** A wheel's deltaY as a zoom factor: smooth for trackpads, one notch ≈ 20 %. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(Math.max(-500, Math.min(500, deltaY)) * 0.0018);
}
