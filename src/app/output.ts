// Result formats of `trailbook run`: a readable table for people, and json, ndjson and csv
// for programs. Values that are structs or lists print as JSON text in table and csv.
// Values come from logs anyone calling AWS can write to: the table escapes every hidden
// character (ESC of a terminal sequence, bidi overrides, zero-width), json and ndjson write
// them as JSON escapes (the same value, and a `cat` or a CI log stays intact), csv keeps them raw.
import { displayJson, displayText } from '../protocol/displayText';
import type { CellValue } from '../engine/query';
import type { CellRun } from './runbookRunner';

/**
 * Text for a terminal or a CI log: every control character (ESC would start a sequence that
 * moves the cursor or clears the screen), bidi override and zero-width character is shown as
 * its `\u001B` code; line breaks and tabs stay.
 */
export function terminalText(text: string): string {
  return displayText(text, { lineBreaks: true, tab: true });
}

export type OutputFormat = 'table' | 'json' | 'csv' | 'ndjson' | 'junit';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'ndjson', 'junit'];

export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180: quote fields holding commas, quotes or line breaks; double the quotes. */
export function csvField(value: CellValue): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvText(columns: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((row) => row.map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function toCsv(run: CellRun): string {
  return csvText(run.columns, run.rows);
}

export function rowObject(columns: readonly string[], row: readonly CellValue[]): Record<string, CellValue> {
  return Object.fromEntries(columns.map((name, i) => [name, row[i] ?? null]));
}

export function toNdjson(runs: readonly CellRun[]): string {
  return runs
    .flatMap((run) => run.rows.map((row) => displayJson(JSON.stringify({ cell: run.cell.id, ...rowObject(run.columns, row) }))))
    .map((line) => `${line}\n`)
    .join('');
}

const MAX_WIDTH = 60;

function clip(text: string): string {
  // Escaped first, so a U+2028 or U+FEFF shows as its code rather than as a space.
  const flat = terminalText(text).replace(/\s+/g, ' ');
  return flat.length > MAX_WIDTH ? `${flat.slice(0, MAX_WIDTH - 1)}…` : flat;
}

export function toTable(columns: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  const cells = rows.map((row) => row.map((v) => clip(cellText(v))));
  const names = columns.map(clip);
  // A row shorter or longer than the columns still prints: a missing cell is blank, an extra one unpadded.
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(names), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}
