// Tick marks and time labels, in UTC (CloudTrail's own zone, and what runbooks and the
// AWS console show) or in the viewer's local time. Pure: no DOM.
import { NICE_BUCKETS_MS, niceBucketSize } from './timeBuckets';
import type { TimeRange } from './timeScale';

export type TimeZoneMode = 'utc' | 'local';

const DAY = 86_400_000;

/** Minutes to add to UTC for the zone at `time` (0 for UTC). */
function offsetMs(time: number, zone: TimeZoneMode): number {
  return zone === 'utc' ? 0 : -new Date(time).getTimezoneOffset() * 60_000;
}

/** Steps of a month or more fall on month starts, and their labels name the month. */
const MONTH_STEP = 28 * DAY;

/** Roughly how wide a tick's label is drawn (11 px UI font), with room before the next. */
export function labelSpacingPx(step: number): number {
  // `2024-09`; `2024-09-14` (a midnight tick of a finer step names its day too); `14:05:30`.
  const chars = step >= MONTH_STEP ? 7 : step >= 60_000 ? 10 : 8;
  return chars * 6.2 + 10;
}

/**
 * Tick times inside `range`, a nice step apart, at least `minSpacingPx` apart on screen
 * (and never closer than their labels need). A step chosen for the whole span can leave a
 * single tick or none in view (two days across 300 px: one midnight); a finer step then
 * gives a second label, as long as the labels keep their room.
 */
export function axisTicks(
  range: TimeRange,
  widthPx: number,
  zone: TimeZoneMode,
  minSpacingPx = 90,
): { readonly step: number; readonly ticks: number[] } {
  const spanMs = range.end - range.start;
  let step = niceBucketSize(spanMs, Math.max(1, Math.floor(widthPx / minSpacingPx)));
  let ticks = ticksOf(range, step, zone);
  // The nice sizes finer than the step, the nearest first.
  const finer = NICE_BUCKETS_MS.slice(0, Math.max(0, NICE_BUCKETS_MS.indexOf(step))).reverse();
  for (const candidate of finer) {
    if (ticks.length >= 2 || (candidate / spanMs) * widthPx < labelSpacingPx(candidate)) break;
    step = candidate;
    ticks = ticksOf(range, step, zone);
  }
  return { step, ticks };
}

function ticksOf(range: TimeRange, step: number, zone: TimeZoneMode): number[] {
  if (step >= MONTH_STEP) return monthTicks(range, Math.max(1, Math.round(step / (30 * DAY))), zone);
  const ticks: number[] = [];
  // Align to the zone's own midnight and hours, not UTC's, when showing local time.
  const offset = offsetMs(range.start, zone);
  let t = Math.ceil((range.start + offset) / step) * step - offset;
  for (let guard = 0; t <= range.end && guard < 1000; guard += 1, t += step) ticks.push(t);
  return ticks;
}

/** The starts of every `months`-th month (of the year: Jan, Apr, Jul, Oct for 3) inside `range`. */
function monthTicks(range: TimeRange, months: number, zone: TimeZoneMode): number[] {
  const start = new Date(range.start);
  let year = zone === 'utc' ? start.getUTCFullYear() : start.getFullYear();
  let month = zone === 'utc' ? start.getUTCMonth() : start.getMonth();
  month = Math.floor(month / months) * months;
  const ticks: number[] = [];
  for (let guard = 0; guard < 1000; guard += 1) {
    const t = zone === 'utc' ? Date.UTC(year, month, 1) : new Date(year, month, 1).getTime();
    if (t > range.end) break;
    if (t >= range.start) ticks.push(t);
    month += months;
    year += Math.floor(month / 12);
    month %= 12;
  }
  return ticks;
}

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function parts(time: number, zone: TimeZoneMode): Parts {
  const d = new Date(time);
  return zone === 'utc'
    ? {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      }
    : {
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        second: d.getSeconds(),
      };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** A tick's label: as much as the step needs (`03-05`, `03-05 14:00`, `14:05:30`). */
export function tickLabel(time: number, step: number, zone: TimeZoneMode): string {
  const p = parts(time, zone);
  const date = `${p.year}-${two(p.month)}-${two(p.day)}`;
  if (step >= MONTH_STEP) return `${p.year}-${two(p.month)}`;
  if (step >= DAY) return date;
  const clock = `${two(p.hour)}:${two(p.minute)}`;
  if (step >= 60_000) return p.hour === 0 && p.minute === 0 ? date : clock;
  return `${clock}:${two(p.second)}`;
}

/** A full instant for the tooltip and the range caption: `2025-03-05 14:05:30 UTC`. */
export function formatInstant(time: number, zone: TimeZoneMode): string {
  const p = parts(time, zone);
  const text = `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
  if (zone === 'utc') return `${text} UTC`;
  const offset = offsetMs(time, zone) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return `${text} ${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
}

/** A duration in the largest unit that keeps it short: `45 s`, `12 min`, `3.5 h`, `2 d`. */
export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < DAY) return `${Math.round(ms / 360_000) / 10} h`;
  return `${Math.round(ms / (DAY / 10)) / 10} d`;
}
