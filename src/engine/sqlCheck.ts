// Checks a cell's SQL without running it: one SELECT, over `cloudtrail_logs` only, that
// DuckDB can parse and bind against the schema (so unknown columns and functions are
// caught in a pull request, not at 3 am).
import type { DuckDBConnection } from '@duckdb/node-api';
import { openLockedDuckDB } from './lockedDuckDB';
import { COLUMN_DEFINITIONS } from './schema';
import { calledFunctions, parseSelect, tableAccessProblem } from './sqlGuard';
import { installTrinoFunctions, UNSUPPORTED_TRINO_FUNCTIONS } from './trinoFunctions';

export interface SqlProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based line within the SQL, when DuckDB says. */
  readonly sqlLine?: number;
}

/**
 * A connection with an empty `cloudtrail_logs` table of the real schema, for checking.
 * Lint runs on runbooks nobody has vetted (a pull request, a file just opened), so its
 * instance reaches no file at all: binding `FROM 'x.csv'` fails before it opens anything.
 */
export async function openSqlChecker(): Promise<{ connection: DuckDBConnection; close(): void }> {
  const instance = await openLockedDuckDB({
    allowedDirectories: [],
    threads: 1,
    prepare: async (connection) => {
      await installTrinoFunctions(connection);
      await connection.run(`CREATE TABLE cloudtrail_logs (${COLUMN_DEFINITIONS})`);
    },
  });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function lineOf(message: string): number | undefined {
  const line = /LINE (\d+):/.exec(message)?.[1];
  return line === undefined ? undefined : Number(line);
}

/** DuckDB messages carry a caret diagram after the first line; the first line is the news. */
function headline(message: string): string {
  return message.split('\n')[0]!.trim();
}

export async function checkSql(connection: DuckDBConnection, sql: string): Promise<SqlProblem[]> {
  try {
    await connection.extractStatements(sql);
  } catch (error) {
    const message = (error as Error).message;
    const sqlLine = lineOf(message);
    return [{ severity: 'error', message: headline(message), ...(sqlLine ? { sqlLine } : {}) }];
  }
  const parsed = await parseSelect(connection, sql);
  if ('problem' in parsed) return [{ severity: 'error', message: parsed.problem }];
  const access = tableAccessProblem(parsed.tree);
  if (access) return [{ severity: 'error', message: access }];
  const problems: SqlProblem[] = [];
  const called = calledFunctions(parsed.tree);
  for (const fn of UNSUPPORTED_TRINO_FUNCTIONS) {
    if (!called.has(fn.name)) continue;
    const instead = fn.instead === '—' ? '' : `; instead: ${fn.instead}`;
    problems.push({ severity: 'warning', message: `${fn.name} does not behave as in Athena here (${fn.reason.replace(/\.$/, '')})${instead}` });
  }
  try {
    const prepared = await connection.prepare(sql);
    prepared.destroySync();
  } catch (error) {
    const message = (error as Error).message;
    const sqlLine = lineOf(message);
    problems.push({ severity: 'error', message: headline(message), ...(sqlLine ? { sqlLine } : {}) });
  }
  return problems;
}
