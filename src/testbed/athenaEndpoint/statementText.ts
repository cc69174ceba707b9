// What Athena reads from the query text before anything runs: its length, the kind of
// statement, and backticks, which Athena's DML (Trino's parser) refuses while its DDL
// (Hive's) requires them.
import { lineAndColumn, QuerySyntaxError } from './athenaErrors';

/** Athena's QueryString limit: 262,144 bytes. */
export const MAX_QUERY_BYTES = 262_144;

export type StatementType = 'DML' | 'DDL' | 'UTILITY';

/** The first keyword, past comments, white space and opening parentheses. */
function firstKeyword(sql: string): string {
  const rest = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/, '');
  return (/^[A-Za-z]+/.exec(rest)?.[0] ?? '').toUpperCase();
}

export function statementType(sql: string): StatementType {
  const keyword = firstKeyword(sql);
  if (['SELECT', 'WITH', 'VALUES', 'TABLE', 'INSERT', 'DELETE', 'UPDATE', 'MERGE', 'UNLOAD'].includes(keyword)) return 'DML';
  if (['SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'USE'].includes(keyword)) return 'UTILITY';
  return 'DDL';
}

/** True for statements whose first page starts with the column names (Athena's header row). */
export const hasHeaderRow = (sql: string): boolean => ['SELECT', 'WITH', 'VALUES', 'TABLE'].includes(firstKeyword(sql));

/** Offset of the first backtick outside string literals, quoted identifiers and comments. */
export function backtickOffset(sql: string): number | undefined {
  for (let i = 0; i < sql.length; i += 1) {
    const c = sql.charAt(i);
    if (c === '`') return i;
    if (c === "'" || c === '"') {
      for (i += 1; i < sql.length; i += 1) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) i += 1;
          else break;
        }
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
    }
  }
  return undefined;
}

/** Trino's parser on a backtick, as Athena reports it for DML. */
export function checkBackticks(sql: string): void {
  if (statementType(sql) === 'DDL') return;
  const offset = backtickOffset(sql);
  if (offset === undefined) return;
  const at = lineAndColumn(sql, offset);
  throw new QuerySyntaxError(at.line, at.column, 'backquoted identifiers are not supported; use double quotes to quote identifiers');
}
