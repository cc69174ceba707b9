// Result formats of `trailbook run`: a readable table for people, and json, ndjson and csv
// for programs. Values that are structs or lists print as JSON text in table and csv.
import type { CellValue } from '../engine/query';
import type { CellRun } from '../engine/runbookRunner';

export type OutputFormat = 'table' | 'json' | 'csv' | 'ndjson';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'ndjson'];

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
    .flatMap((run) => run.rows.map((row) => JSON.stringify({ cell: run.cell.id, ...rowObject(run.columns, row) })))
    .map((line) => `${line}\n`)
    .join('');
}

const MAX_WIDTH = 60;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_WIDTH ? `${flat.slice(0, MAX_WIDTH - 1)}…` : flat;
}

export function toTable(columns: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  const cells = rows.map((row) => row.map((v) => clip(cellText(v))));
  const widths = columns.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}
