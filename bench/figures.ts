// What the benchmarks print beside their figures: the load average (the machine is shared,
// so a figure means little without it) and aligned text tables.
import { loadavg } from 'node:os';

/** The one-minute load average, `3.4`. */
export function oneMinuteLoad(): string {
  const [oneMinute = Number.NaN] = loadavg();
  return oneMinute.toFixed(1);
}

/** The width of each column: its longest cell (a short row leaves the rest as they are). */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

/** The middle value (the upper one of an even count); NaN for none. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** Rows as an aligned text table, the first row its header, underlined. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(rows);
  return rows
    .map((row, r) => {
      const line = `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
      return r === 0 ? `${line}\n  ${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

/**
 * Runs `once` for each subject in turn, `rounds` times, so that a change in the machine's load
 * falls on every subject alike (A/B alternated); each subject's results, and the load before–after.
 */
export function alternated<T>(
  subjects: readonly string[],
  rounds: number,
  once: (subject: string) => T,
): { results: Map<string, T[]>; load: string } {
  const before = oneMinuteLoad();
  const results = new Map<string, T[]>(subjects.map((subject) => [subject, []]));
  for (let i = 0; i < rounds; i++) for (const subject of subjects) results.get(subject)?.push(once(subject));
  return { results, load: `${before}–${oneMinuteLoad()}` };
}
