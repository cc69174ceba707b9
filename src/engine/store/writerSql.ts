// The few ways the catalogue talks to its DuckDB connection: rows back as plain values, and a
// transaction that commits only when its work finished and nobody cancelled.
import type { DuckDBConnection } from '@duckdb/node-api';
import { Cancelled } from '../../protocol/cancelled';

export async function rows(db: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await db.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

/** The one value of a one-row, one-column query, as a number. */
export async function count(db: DuckDBConnection, sql: string): Promise<number> {
  const [[value]] = (await rows(db, sql)) as [[bigint | number | null]];
  return Number(value ?? 0);
}

export const idList = (ids: readonly number[]): string => (ids.length === 0 ? '(NULL)' : `(${ids.join(', ')})`);

export async function inTransaction<T>(db: DuckDBConnection, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  await db.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    if (signal?.aborted) throw new Cancelled();
    await db.run('COMMIT');
    return result;
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw signal?.aborted ? new Cancelled() : error;
  }
}
