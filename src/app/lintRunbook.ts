// Everything that can be checked without running: the runbook's own problems and, for each
// cell, whether DuckDB can parse and bind its SQL against the schema. Used by
// `trailbook lint` and by the editor's diagnostics.
import { substituteForCheck } from '../runbook/checkSubstitution';
import type { Runbook, RunbookCell, RunbookProblem } from '../runbook/types';
import { checkSql, type SqlProblem } from '../engine/sqlCheck';
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * DuckDB errors about a value rather than the query's shape (`LIMIT ''`, an empty strptime
 * format): with a made-up stand-in value they may not hold for the real one.
 */
const VALUE_ERROR = /^(Conversion Error|Invalid Input Error|Out of Range Error):/;

/**
 * Problems of one cell's SQL, checked as run will send it: references substituted by run's
 * own code, with stand-in values (see runbook/checkSubstitution.ts).
 */
async function checkCellSql(cell: RunbookCell, runbook: Runbook, checkCell: CellSqlCheck): Promise<RunbookProblem[]> {
  const substituted = substituteForCheck(cell, runbook);
  if ('error' in substituted) {
    // Run refuses this cell before any SQL, so there is no SQL to check.
    if (substituted.alreadyReported) return [];
    const { error } = substituted;
    return [
      {
        line: error.line,
        severity: 'error',
        code: 'substitution',
        message: `cell ${cell.id}: ${error.message.slice(`${error.path}:${error.line + 1}: `.length)}`,
      },
    ];
  }
  const problems: RunbookProblem[] = [];
  for (const found of await checkCell(substituted.sql)) {
    const guessed = found.severity === 'error' && substituted.standIns.length > 0 && VALUE_ERROR.test(found.message);
    problems.push({
      line: found.sqlLine !== undefined ? cell.sqlStartLine + found.sqlLine - 1 : cell.sqlStartLine,
      ...placeInMarkdown(found, cell, substituted.sql),
      severity: guessed ? 'warning' : found.severity,
      code: found.severity === 'error' ? 'sql' : 'sql-portability',
      message: guessed
        ? `cell ${cell.id}: with stand-in values for ${substituted.standIns.join(', ')} (the real ones are known only when it runs): ${found.message}`
        : `cell ${cell.id}: ${found.message}`,
    });
  }
  return problems;
}

/**
 * The column in the Markdown of the name an SQL error is about. The SQL checked has its
 * references substituted, so a column is kept only on a line substitution left as written.
 */
function placeInMarkdown(found: SqlProblem, cell: RunbookCell, checked: string): Pick<RunbookProblem, 'column' | 'length' | 'replacement'> {
  if (found.sqlLine === undefined || found.sqlColumn === undefined) return {};
  const index = found.sqlLine - 1;
  const start = cell.sqlLineColumns[index];
  if (start === undefined || cell.sql.split('\n')[index] !== checked.split('\n')[index]) return {};
  return {
    column: start + found.sqlColumn,
    ...(found.length !== undefined ? { length: found.length } : {}),
    ...(found.length !== undefined && found.replacement !== undefined ? { replacement: found.replacement } : {}),
  };
}

/** Runbooks that nobody has re-read rot: the APIs, the accounts and the threats move on. */
export const REVIEW_MAX_AGE_DAYS = 90;

/** Checks one cell's SQL (references substituted); the editor passes one that remembers results. */
export type CellSqlCheck = (sql: string) => Promise<readonly SqlProblem[]>;

export async function lintRunbook(
  runbook: Runbook,
  check: DuckDBConnection | CellSqlCheck,
  now: Date = new Date(),
): Promise<RunbookProblem[]> {
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
    problems.push(...(await checkCellSql(cell, runbook, checkCell)));
  }
  return problems.sort((a, b) => a.line - b.line);
}
