// The time window a query runs over. It is never part of the SQL text: the runbook, the
// cell or the user chooses it, and every backend applies it in its own way (a filter on
// the local view, StartTime/EndTime for LookupEvents, a partition filter on Athena).

export interface TimeWindow {
  /** Inclusive. */
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
  /** How the user said it: `7d`, or `2024-07-01T00:00:00Z..2024-08-01T00:00:00Z`. */
  readonly label: string;
}

export class TimeWindowError extends Error {}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const RELATIVE = /^(\d+)\s*([mhdw])$/;

/** `90m`, `24h`, `7d`, `2w`: the span that ends now. */
export function relativeWindow(spec: string, now: Date = new Date()): TimeWindow {
  const match = RELATIVE.exec(spec.trim());
  if (!match) {
    throw new TimeWindowError(
      `invalid window "${spec}": use a number and a unit (m, h, d, w) such as 24h or 7d, or --start and --end`,
    );
  }
  const amount = Number(match[1]);
  if (amount <= 0) throw new TimeWindowError(`invalid window "${spec}": it must be longer than zero`);
  const ms = amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return { start: new Date(now.getTime() - ms), end: now, label: spec.trim() };
}

/** Parses an ISO-8601 instant; a bare date means midnight UTC. */
export function parseInstant(text: string, what: string): Date {
  const trimmed = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed;
  // Without an offset, Date would read local time: CloudTrail speaks UTC, so insist on it.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) {
    throw new TimeWindowError(`invalid ${what} "${text}": give a UTC time such as 2024-07-31T13:00:00Z or a date such as 2024-07-31`);
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new TimeWindowError(`invalid ${what} "${text}": not an ISO-8601 time such as 2024-07-31T13:00:00Z`);
  }
  return date;
}

export function absoluteWindow(start: string, end: string): TimeWindow {
  const from = parseInstant(start, 'start');
  const to = parseInstant(end, 'end');
  if (from.getTime() >= to.getTime()) {
    throw new TimeWindowError(`invalid time range: start ${from.toISOString()} is not before end ${to.toISOString()}`);
  }
  return { start: from, end: to, label: `${from.toISOString()}..${to.toISOString()}` };
}

/**
 * Reads a window as runbooks and the CLI write it: relative (`7d`), or absolute as
 * `START..END`, or an object with start and end (front matter).
 */
export function parseWindow(spec: string | { start: string; end: string }, now: Date = new Date()): TimeWindow {
  if (typeof spec !== 'string') return absoluteWindow(spec.start, spec.end);
  const range = spec.split('..');
  if (range.length === 2) return absoluteWindow(range[0]!, range[1]!);
  return relativeWindow(spec, now);
}

/** Everything: for callers that want no window at all. */
export const ALL_TIME: TimeWindow = {
  start: new Date('1970-01-01T00:00:00Z'),
  end: new Date('9999-12-31T00:00:00Z'),
  label: 'all time',
};
