// The span one check covers. CloudTrail delivers events minutes after they happen (about 5
// on average, more at times), so a window ends `delay` before now, and starts `overlap`
// before the last window's end so an event delivered late is still seen; findings seen twice
// are recognised by their key and not alerted again.
import { parseWindow } from '../../engine/timeWindow';

export interface CheckWindowOptions {
  readonly now: Date;
  readonly delayMs: number;
  readonly overlapMs: number;
  /** The end of the last window checked without error. */
  readonly mark?: string;
  /** --start (and --end): a fixed span, e.g. a backfill. */
  readonly start?: Date;
  readonly end?: Date;
  /** The runbook's own window, for a first run. */
  readonly runbookWindow?: string;
}

/** A first run without --start and without a runbook window looks back this far. */
export const FIRST_RUN_WINDOW = '24h';

export function checkWindow(options: CheckWindowOptions): { start: Date; end: Date } {
  const end = options.end ?? new Date(options.now.getTime() - options.delayMs);
  if (options.start) return { start: options.start, end };
  if (options.mark) return { start: new Date(Date.parse(options.mark) - options.overlapMs), end };
  const first = parseWindow(options.runbookWindow ?? FIRST_RUN_WINDOW, end);
  return { start: first.start, end: options.runbookWindow && /\//.test(options.runbookWindow) ? first.end : end };
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `15m`, `1h`, `1d`; undefined when not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}
