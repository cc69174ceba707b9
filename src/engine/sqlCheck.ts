// Checks a cell's SQL without running it: one SELECT, over `cloudtrail_logs` only, that
// DuckDB can parse and bind against the schema (so unknown columns and functions are
// caught in a pull request, not at 3 am).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_RECORD, COLUMN_NAMES, duckdbType } from './schema';
import { guardSql } from './sqlGuard';
import { installTrinoFunctions } from './trinoFunctions';

export interface SqlProblem {
  readonly message: string;
  /** 1-based line within the SQL, when DuckDB says. */
  readonly sqlLine?: number;
}

/** A connection with an empty `cloudtrail_logs` table of the real schema, for checking. */
export async function openSqlChecker(): Promise<{ connection: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await installTrinoFunctions(connection);
  const columns = COLUMN_NAMES.map((name) => `"${name}" ${duckdbType(CLOUDTRAIL_RECORD.fields[name]!)}`).join(', ');
  await connection.run(`CREATE TABLE cloudtrail_logs (${columns})`);
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
    return [{ message: headline(message), ...(sqlLine ? { sqlLine } : {}) }];
  }
  const guard = await guardSql(connection, sql);
  if (guard) return [{ message: guard }];
  try {
    const prepared = await connection.prepare(sql);
    prepared.destroySync();
  } catch (error) {
    const message = (error as Error).message;
    const sqlLine = lineOf(message);
    return [{ message: headline(message), ...(sqlLine ? { sqlLine } : {}) }];
  }
  return [];
}
