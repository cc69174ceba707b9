// Everything that can be checked without running: the runbook's own problems and, for each
// cell, whether DuckDB can parse and bind its SQL against the schema. Used by
// `trailbook lint` and by the editor's diagnostics.
import type { Runbook, RunbookCell, RunbookProblem } from '../runbook/types';
import { checkSql, type SqlProblem } from './sqlCheck';
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The cell's SQL with every `{{…}}` replaced by NULL: values are not known before a run,
 * and NULL fits wherever a literal or a list of literals can stand.
 */
export function sqlForChecking(cell: RunbookCell): string {
  let sql = cell.sql;
  for (const ref of [...cell.references].sort((a, b) => b.start - a.start)) {
    sql = `${sql.slice(0, ref.start)}NULL${sql.slice(ref.end)}`;
  }
  return sql;
}

/** Runbooks that nobody has re-read rot: the APIs, the accounts and the threats move on. */
export const REVIEW_MAX_AGE_DAYS = 90;

/** Checks one cell's SQL (references substituted); the editor passes one that remembers results. */
export type CellSqlCheck = (sql: string) => Promise<readonly SqlProblem[]>;

export async function lintRunbook(runbook: Runbook, check: DuckDBConnection | CellSqlCheck, now: Date = new Date()): Promise<RunbookProblem[]> {
  const checkCell: CellSqlCheck = typeof check === 'function' ? check : (sql) => checkSql(check, sql);
  const problems: RunbookProblem[] = [...runbook.problems];
  if (runbook.reviewed !== undefined) {
    const age = Math.floor((now.getTime() - Date.parse(`${runbook.reviewed}T00:00:00Z`)) / 86_400_000);
    if (age > REVIEW_MAX_AGE_DAYS) {
      problems.push({
        line: 0,
        severity: 'warning',
        code: 'review-overdue',
        message: `last reviewed ${runbook.reviewed}, ${age} days ago: read it again, check its queries still find what they should, and update reviewed`,
      });
    }
  }
  for (const cell of runbook.cells) {
    if (cell.sql.trim() === '') continue;
    for (const found of await checkCell(sqlForChecking(cell))) {
      problems.push({
        line: found.sqlLine !== undefined ? cell.sqlStartLine + found.sqlLine - 1 : cell.sqlStartLine,
        severity: found.severity,
        code: found.severity === 'error' ? 'sql' : 'sql-portability',
        message: `cell ${cell.id}: ${found.message}`,
      });
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
