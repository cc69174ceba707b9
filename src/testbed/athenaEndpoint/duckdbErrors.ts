// DuckDB's errors in Athena's words: the error name Trino gives the same mistake, and the
// position (`line N:M:`) in the client's text. DuckDB's own sentence is kept after it: it
// says what is wrong as well as Trino's would, and inventing Trino's wording would hide
// which engine spoke.
import { firstLine } from '../../protocol/firstLine';
import { QueryFailure, QuerySyntaxError } from './athenaErrors';
import type { MappedQuery } from './servedTable';

const NAMES: readonly [RegExp, string][] = [
  [/^Binder Error: Referenced column/i, 'COLUMN_NOT_FOUND'],
  [/^Binder Error: .*(function|macro)/i, 'FUNCTION_NOT_FOUND'],
  [/^Catalog Error: .*Function/i, 'FUNCTION_NOT_FOUND'],
  [/^Catalog Error: Table/i, 'TABLE_NOT_FOUND'],
  [/^Binder Error/i, 'TYPE_MISMATCH'],
  [/^Conversion Error/i, 'INVALID_CAST_ARGUMENT'],
  [/^Invalid Input Error/i, 'INVALID_FUNCTION_ARGUMENT'],
  [/^Out of Range Error/i, 'NUMERIC_VALUE_OUT_OF_RANGE'],
];

/** Line and column from DuckDB's `LINE n: text` and the caret line under it, if they fit the text run. */
function caretPosition(message: string, sql: string): { line: number; column: number } | undefined {
  const [, lineText, shown, indent] = /\nLINE (\d+): (.*)\n( *)\^/.exec(message) ?? [];
  if (lineText === undefined || shown === undefined || indent === undefined) return undefined;
  const line = Number(lineText);
  const caret = indent.length - `LINE ${lineText}: `.length;
  const actual = sql.split('\n')[line - 1];
  if (actual === undefined || caret < 0) return undefined;
  // DuckDB shortens long lines with `...`: find where the shown part sits in the real line.
  const trimmed = shown.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
  const skipped = shown.startsWith('...') ? 3 : 0;
  const at = actual.indexOf(trimmed);
  if (at < 0) return undefined;
  return { line, column: at + caret - skipped + 1 };
}

export function duckdbFailure(error: unknown, mapped: MappedQuery): QueryFailure {
  const message = (error as Error).message ?? String(error);
  const name = NAMES.find(([pattern]) => pattern.test(message))?.[1] ?? 'GENERIC_USER_ERROR';
  const first = firstLine(message).replace(/^[A-Za-z ]+ Error: /, '');
  const position = caretPosition(message, mapped.sql);
  if (!position) return new QueryFailure(name, first);
  const at = mapped.originalPosition(position.line, position.column);
  return new QueryFailure(name, `line ${at.line}:${at.column}: ${first}`);
}

/** DuckDB's parser error (json_serialize_sql's `position` is a byte offset) as Trino's `line N:M: mismatched input`. */
export function duckdbSyntaxError(sql: string, errorMessage: string, bytePosition: number): QuerySyntaxError {
  const offset = Buffer.from(sql, 'utf8').subarray(0, bytePosition).toString('utf8').length;
  const before = sql.slice(0, offset).split('\n');
  // The token is quoted as it was written, quotes and all: `at or near ""default""`.
  const near = /at or near "(.*)"$/.exec(errorMessage)?.[1];
  const token = near ?? (/end of input/.test(errorMessage) ? '<EOF>' : (sql.slice(offset).split(/\s/)[0] ?? ''));
  return new QuerySyntaxError(before.length, (before.at(-1) ?? '').length + 1, `mismatched input '${token}'. (DuckDB: ${errorMessage})`);
}
