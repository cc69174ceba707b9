// Time windows are kept as text in the model (front matter, cell attributes and the UI all
// speak text); this module is the single definition of what that text may be, so the
// linter and the engine cannot disagree about it.

/** `24h`, `7d`, `90m` (relative to now) or `START/END` (ISO-8601 interval notation). */
export type WindowSpec =
  | { readonly kind: 'relative'; readonly text: string; readonly milliseconds: number }
  | { readonly kind: 'absolute'; readonly text: string; readonly start: Date; readonly end: Date };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

// A date-time must carry Z or an offset: a bare local time would mean different instants
// on a laptop and in CI. A date alone is midnight UTC.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** The instant an ISO-8601 timestamp names, or undefined if it is not one we accept. */
export function parseTimestamp(text: string): Date | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date accepts 2024-02-30 and rolls it into March; a typo must not become another day.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

/** Parses window text; returns a message naming the value when it is invalid. */
export function parseWindow(text: string): WindowSpec | { readonly error: string } {
  const relative = /^(\d+)([mhd])$/.exec(text);
  if (relative) {
    const amount = Number(relative[1]);
    if (amount === 0) return { error: `window "${text}" is empty; use a positive amount such as 24h` };
    return { kind: 'relative', text, milliseconds: amount * UNIT_MS[relative[2] as keyof typeof UNIT_MS] };
  }
  const parts = text.split('/');
  if (parts.length === 2) {
    const start = parseTimestamp(parts[0].trim());
    const end = parseTimestamp(parts[1].trim());
    if (!start || !end) {
      return { error: `window "${text}" needs ISO-8601 timestamps with a time zone, e.g. 2024-05-01T00:00:00Z/2024-05-02T00:00:00Z` };
    }
    if (start.getTime() >= end.getTime()) return { error: `window "${text}" ends before it starts` };
    return { kind: 'absolute', text, start, end };
  }
  return { error: `window "${text}" is not valid; use a number with m, h or d (90m, 24h, 7d) or start and end timestamps` };
}

/** Text for a front-matter `{start, end}` window, in the same interval notation cells use. */
export function windowText(start: string, end: string): string {
  return `${start}/${end}`;
}
