// How a result value reads in a table cell and in the row's detail. Pure: no DOM.
import type { ResultValue } from '../protocol/results';

export type CellKind = 'null' | 'number' | 'string' | 'boolean' | 'json';

export interface FormattedCell {
  readonly kind: CellKind;
  /** What the cell shows: one line, at most `maxLength` characters. */
  readonly text: string;
  /** The full text, when `text` had to be shortened. */
  readonly title?: string;
}

/** Long enough for an ARN or a user agent, short enough to keep a row one line. */
export const DEFAULT_CELL_LENGTH = 160;

export function formatCell(value: ResultValue | undefined, maxLength = DEFAULT_CELL_LENGTH): FormattedCell {
  if (value === null || value === undefined) return { kind: 'null', text: '' };
  switch (typeof value) {
    case 'number':
      return { kind: 'number', text: String(value) };
    case 'boolean':
      return { kind: 'boolean', text: String(value) };
    case 'string':
      return shorten('string', value, maxLength);
    default:
      return shorten('json', JSON.stringify(value), maxLength);
  }
}

function shorten(kind: CellKind, full: string, maxLength: number): FormattedCell {
  // A row is one line high (the table relies on it), so line breaks become spaces.
  const line = full.replace(/\s*[\r\n]+\s*/g, ' ');
  if (line.length <= maxLength) return line === full ? { kind, text: line } : { kind, text: line, title: full };
  return { kind, text: `${line.slice(0, Math.max(0, maxLength - 1))}…`, title: full };
}

/** The row as one object keyed by column, as the detail view shows and copies it. */
export function rowAsObject(columns: readonly string[], row: readonly ResultValue[]): { [column: string]: ResultValue } {
  const object: { [column: string]: ResultValue } = {};
  columns.forEach((column, index) => {
    object[column] = row[index] ?? null;
  });
  return object;
}

export function prettyJson(value: ResultValue): string {
  return JSON.stringify(value, null, 2);
}
