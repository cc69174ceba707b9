// The investigation window: one window the investigator sets in the editor (the status bar's
// Window), which wins over each runbook's default (src/app/windowChoice.ts has the table).
// It is kept as window text, so the runner, the lenses and the evidence read it like any
// other: `7d` (relative to now), `START/END`, or, around an event or an alert time, the
// START/END that surrounds that instant. Plain TypeScript: tested in node.
import type { WindowChoice } from '../app/windowChoice';
import type { TimeWindow } from '../engine/timeWindow';
import { pivotValue } from '../protocol/pivotValues';
import { parseTimestamp, parseWindow } from '../runbook/window';

export interface InvestigationWindow {
  /** Window text, as a runbook would write it. */
  readonly spec: string;
  /** What it was set from, for people: "around the alert at 2026-11-03T10:00:00Z (6h before, 1h after)". */
  readonly about?: string;
}

/** A span before and after an instant (an event's time, an alert's time), as START/END. */
export function aroundInstant(
  instant: string,
  before: string,
  after: string,
  what: string,
): InvestigationWindow | { readonly error: string } {
  const at = parseTimestamp(instant.trim());
  if (!at) return { error: `"${instant}" is not an ISO-8601 time with a time zone, e.g. 2026-11-03T10:00:00Z` };
  const span = (text: string, side: string): number | { error: string } => {
    if (text.trim() === '0') return 0;
    const parsed = parseWindow(text.trim());
    if ('error' in parsed || parsed.kind !== 'relative') return { error: `${side}: "${text}" is not a span such as 90m, 6h or 2d` };
    return parsed.milliseconds;
  };
  const back = span(before, 'before');
  if (typeof back !== 'number') return back;
  const ahead = span(after, 'after');
  if (typeof ahead !== 'number') return ahead;
  if (back + ahead === 0) return { error: 'the window needs a span before or after the time' };
  const start = new Date(at.getTime() - back).toISOString();
  const end = new Date(at.getTime() + ahead).toISOString();
  return { spec: `${start}/${end}`, about: `around ${what} at ${at.toISOString()} (${before.trim()} before, ${after.trim()} after)` };
}

/** `2026-11-01T00:00:00Z/2026-11-05T00:00:00Z` → `2026-11-01 00:00 → 2026-11-05 00:00 UTC`; relative text as it is. */
export function windowText(spec: string): string {
  const parsed = parseWindow(spec);
  if ('error' in parsed || parsed.kind === 'relative') return spec;
  const short = (d: Date): string =>
    d
      .toISOString()
      .replace('T', ' ')
      .replace(/:00\.000Z$|\.000Z$|Z$/, '')
      .replace(/(\d\d:\d\d):\d\d(\.\d+)?$/, '$1');
  return `${short(parsed.start)} → ${short(parsed.end)} UTC`;
}

/** What a lens, the status bar and a result say of a chosen window: its text and, when it matters, why it applies. */
export function windowCaption(choice: WindowChoice): string {
  if (choice.spec === undefined) return 'all events';
  const text = windowText(choice.spec);
  return choice.origin === 'explicit' ? `investigation window ${text}` : text;
}

/** The caption of the window a run used (its label, and the rule that chose it). */
export function ranWindowCaption(window: TimeWindow | undefined): string {
  // Not `=== ALL_TIME`: the runtime's bundle holds its own copy of that constant.
  if (!window || window.end.getUTCFullYear() >= 9999) return 'all events';
  return windowCaption({ spec: window.label, origin: window.origin ?? 'none' });
}

/** An event of a result the window can be set around. */
export interface EventAnchor {
  readonly time: string;
  /** `StopLogging · cell tamper-calls` */
  readonly label: string;
}

/** The events with a time in the given results (the cells run so far), newest first, each time once. */
export function eventAnchors(
  results: readonly { readonly cellId: string; readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }[],
  max = 200,
): EventAnchor[] {
  const seen = new Map<string, EventAnchor>();
  for (const result of results) {
    for (const values of result.rows) {
      const row = Object.fromEntries(result.columns.map((column, i) => [column, values[i]]));
      const time = pivotValue(row, 'around');
      if (!time || seen.has(time)) continue;
      const name = typeof row.eventName === 'string' ? row.eventName : undefined;
      seen.set(time, { time, label: `${name ? `${name} · ` : ''}cell ${result.cellId}` });
    }
  }
  return [...seen.values()]
    .sort((a, b) => (parseTimestamp(b.time)?.getTime() ?? 0) - (parseTimestamp(a.time)?.getTime() ?? 0))
    .slice(0, max);
}
