// The time window a query runs over. It is never part of the SQL text: the runbook, the
// cell or the user chooses it, and every backend applies it in its own way (a filter on
// the local view, StartTime/EndTime for LookupEvents, a partition filter for Athena).
// What window text may say is defined once, in src/runbook/window; here it becomes instants.
import { parseWindow as parseWindowText } from '../runbook/window';

export interface TimeWindow {
  /** Inclusive. */
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
  /** How the user said it: `7d`, or `2024-07-01T00:00:00Z/2024-08-01T00:00:00Z`. */
  readonly label: string;
  /** Which rule chose it (src/app/windowChoice.ts), when a run chose it. */
  readonly origin?: WindowOrigin;
}

/**
 * Where a run's window came from: the run's explicit window (a CLI flag, the editor's
 * investigation window), the cell, the runbook, the user's default setting, the source's default.
 */
export type WindowOrigin = 'explicit' | 'cell' | 'runbook' | 'default' | 'source' | 'none';

export class TimeWindowError extends Error {}

/** `90m`, `24h`, `7d` (the span that ends at `now`) or `START/END` in ISO-8601. */
export function parseWindow(text: string, now: Date = new Date()): TimeWindow {
  const spec = parseWindowText(text.trim());
  if ('error' in spec) throw new TimeWindowError(spec.error);
  if (spec.kind === 'relative') return { start: new Date(now.getTime() - spec.milliseconds), end: now, label: spec.text };
  return { start: spec.start, end: spec.end, label: spec.text };
}

export function absoluteWindow(start: string, end: string): TimeWindow {
  return parseWindow(`${start.trim()}/${end.trim()}`);
}

/** Everything: what local logs use when nobody chose a window. */
export const ALL_TIME: TimeWindow = {
  start: new Date('1970-01-01T00:00:00Z'),
  end: new Date('9999-12-31T00:00:00Z'),
  label: 'all time',
};
