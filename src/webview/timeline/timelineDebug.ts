// For tests and benchmarks only: what the timeline painted and when, on
// `window.__trailbookTimeline`. Nothing in the view reads it back.

export interface PaintRecord {
  /** performance.now() when the paint ended. */
  readonly at: number;
  /** How long the paint took, ms. */
  readonly ms: number;
  /** Events with a time in the scene, and how many of them are in the visible range. */
  readonly placed: number;
  readonly inView: number;
  readonly lanes: number;
}

export interface TimelineDebug {
  paints: number;
  /** The first paint that drew any event. */
  firstPaint?: PaintRecord;
  last?: PaintRecord;
  /** The most recent paints, oldest first (bounded). */
  readonly recent: PaintRecord[];
}

const KEEP = 500;

export function publishPaint(record: PaintRecord): void {
  const global = globalThis as { __trailbookTimeline?: TimelineDebug };
  const debug = (global.__trailbookTimeline ??= { paints: 0, recent: [] });
  debug.paints += 1;
  if (debug.firstPaint === undefined && record.inView > 0) debug.firstPaint = record;
  debug.last = record;
  debug.recent.push(record);
  if (debug.recent.length > KEEP) debug.recent.splice(0, debug.recent.length - KEEP);
}
