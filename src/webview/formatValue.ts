// How a result value reads in a table cell and in the row's detail. Pure: no DOM.
// Values come from logs an attacker can write to, so every hidden character (bidi override,
// zero-width space, control) is shown as an escape token (see protocol/displayText.ts).
import { displayJson, displayParts, displayText, type DisplayPart } from '../protocol/displayText';
import type { ResultValue } from '../protocol/results';

export type CellKind = 'null' | 'number' | 'string' | 'boolean' | 'json';

export interface FormattedCell {
  readonly kind: CellKind;
  /** What the cell shows: one line, at most `maxLength` characters, hidden characters escaped. */
  readonly text: string;
  /** The full text (escaped, line breaks kept), when `text` had to be shortened or flattened. */
  readonly title?: string;
  /** `text` split into plain parts and escape tokens, only when it holds a token (for styling). */
  readonly parts?: readonly DisplayPart[];
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
      return shorten('string', value, maxLength, false);
    default:
      return shorten('json', JSON.stringify(value), maxLength, true);
  }
}

function shorten(kind: CellKind, full: string, maxLength: number, json: boolean): FormattedCell {
  // A row is one line high (the table relies on it), so line breaks become spaces; every
  // other hidden character becomes a token.
  const line = full.replace(/\s*[\r\n]+\s*/g, ' ');
  const parts = displayParts(line, { tab: true, json });
  const escaped = parts.length > 1 || parts[0]?.escaped === true;
  const shownParts = clipParts(parts, maxLength);
  const text = shownParts.map((part) => part.text).join('');
  const title = text === full ? undefined : displayText(full, { lineBreaks: true, tab: true, json });
  return { kind, text, ...(title !== undefined ? { title } : {}), ...(escaped ? { parts: shownParts } : {}) };
}

/** At most `maxLength` characters with `…` at the end when cut; a token is kept whole or dropped. */
function clipParts(parts: readonly DisplayPart[], maxLength: number): readonly DisplayPart[] {
  const total = parts.reduce((sum, part) => sum + part.text.length, 0);
  if (total <= maxLength) return parts;
  let room = Math.max(0, maxLength - 1);
  const clipped: DisplayPart[] = [];
  for (const part of parts) {
    if (room === 0) break;
    if (part.text.length <= room) {
      clipped.push(part);
      room -= part.text.length;
    } else {
      if (!part.escaped) clipped.push({ text: part.text.slice(0, room), escaped: false });
      break;
    }
  }
  clipped.push({ text: '…', escaped: false });
  return clipped;
}

/** The row as one object keyed by column, as the detail view shows and copies it. */
export function rowAsObject(columns: readonly string[], row: readonly ResultValue[]): { [column: string]: ResultValue } {
  const object: { [column: string]: ResultValue } = {};
  columns.forEach((column, index) => {
    object[column] = row[index] ?? null;
  });
  return object;
}

/** Indented JSON, hidden characters as JSON escapes: the same value, safe to paste anywhere. */
export function prettyJson(value: ResultValue): string {
  return displayJson(JSON.stringify(value, null, 2));
}
