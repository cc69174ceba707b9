// What may stand between the braces, and where a reference may stand, shared by the parser
// (which reports problems) and substitution (which refuses to produce broken SQL).
import { isIdentifierChar } from './sqlScan';

/** Cell ids and parameter names: what a reference can name without quoting. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const CELL_COLUMN = /^([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;

export type ReferenceTarget =
  { readonly kind: 'param'; readonly name: string } | { readonly kind: 'cell'; readonly cellId: string; readonly column: string };

/** Reads `name` or `cellId.column` (whitespace around it allowed); undefined if neither. */
export function readReferenceTarget(inner: string): ReferenceTarget | undefined {
  const text = inner.trim();
  if (NAME_PATTERN.test(text)) return { kind: 'param', name: text };
  const [, cellId, column] = CELL_COLUMN.exec(text) ?? [];
  return cellId !== undefined && column !== undefined ? { kind: 'cell', cellId, column } : undefined;
}

/**
 * Why a reference at [start, end) would not become a separate token, or undefined if it
 * would. A literal glued to a name or quote merges with it (`E'…'` turns on backslash
 * escapes, `{{a}}{{b}}` gives `'a''b'`, one string), and `-` before a negative number starts a comment.
 */
export function adjacencyProblem(sql: string, start: number, end: number): string | undefined {
  const before = sql[start - 1];
  const after = sql[end];
  if (isIdentifierChar(before) || (before !== undefined && `'".-}`.includes(before))) {
    return `it touches "${before}" before it; put a space between them`;
  }
  if (isIdentifierChar(after) || (after !== undefined && `'".{`.includes(after))) {
    return `it touches "${after}" after it; put a space between them`;
  }
  return undefined;
}

/** True when the reference is all that stands inside a pair of parentheses, as in `IN ( {{c.x}} )`. */
export function isSoleContentOfParentheses(sql: string, start: number, end: number): boolean {
  return /\(\s*$/.test(sql.slice(0, start)) && /^\s*\)/.test(sql.slice(end));
}
