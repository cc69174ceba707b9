// Time windows are kept as text in the model (front matter, cell attributes and the UI all
// speak text); this module is the single definition of what that text may be, so the
// linter and the engine cannot disagree about it. A timestamp's own form is in
// src/protocol/timestamp.ts, since the results view must accept exactly the same ones.
import { parseTimestamp } from '../protocol/timestamp';

export { parseTimestamp };

/** `24h`, `7d`, `90m` (relative to now) or `START/END` (ISO-8601 interval notation). */
export type WindowSpec =
  | { readonly kind: 'relative'; readonly text: string; readonly milliseconds: number }
  | { readonly kind: 'absolute'; readonly text: string; readonly start: Date; readonly end: Date };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

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
    const [startText = '', endText = ''] = parts;
    const start = parseTimestamp(startText.trim());
    const end = parseTimestamp(endText.trim());
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
