// Runs one query over the `cloudtrail_logs` view of a set of stored files and a window,
// streaming rows back in batches as DuckDB produces them.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventStore } from './eventStore';
import { COLUMN_LIST, COLUMN_NAMES, columnType, duckdbType } from './schema';
import { guardSql } from './sqlGuard';
import { sqlPathList, sqlTimestamp } from './sqlText';
import type { TimeWindow } from './timeWindow';
import { Cancelled } from '../protocol/cancelled';

/** A JSON-friendly cell value: what the CLI prints and the webview receives. */
export type CellValue = string | number | boolean | null | CellValue[] | { [key: string]: CellValue };

export interface QueryScope {
  /** The stored files the query may see (from ingestLogFiles). */
  readonly fileIds: readonly number[];
  /** The Parquet files that hold their events. */
  readonly batchFiles: readonly string[];
  readonly window: TimeWindow;
  /**
   * Only these columns, for a cold cell answered from the JSON as it was parsed: the Parquet
   * files hold just what the cell reads (cellColumns.ts). Unset: every column.
   */
  readonly columns?: readonly string[];
}

export interface QueryOptions {
  /** Stop after this many rows; the result says it was truncated. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
  /** Called with each batch of rows as it arrives. */
  readonly onRows?: (rows: CellValue[][], columns: readonly string[]) => void;
}

export interface QueryResult {
  readonly columns: string[];
  readonly rows: CellValue[][];
  readonly truncated: boolean;
  readonly elapsedMs: number;
}

/** Makes DuckDB's JS values JSON-friendly: bigints as numbers where exact, times as ISO-8601. */
export function toCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toCellValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(entries.map(([k, v]) => [k, toCellValue(v)]));
  }
  return String(value);
}

/** `_file BETWEEN 1 AND 8000 OR _file IN (8003, 8010)`: ids come in long runs. */
export function fileIdPredicate(ids: readonly number[], column = '_file'): string {
  if (ids.length === 0) return 'FALSE';
  // A scan's ids are in order already (given in path order when the files were first read):
  // a trail of 146,305 files spent 0.1 s a predicate sorting them, five predicates a run.
  const sorted = ids.every((id, i) => i === 0 || id > ids[i - 1]!) ? ids : [...new Set(ids)].sort((a, b) => a - b);
  const singles: number[] = [];
  const ranges: string[] = [];
  const addRun = (first: number, last: number): void => {
    if (last - first >= 2) ranges.push(`${column} BETWEEN ${first} AND ${last}`);
    else for (let id = first; id <= last; id += 1) singles.push(id);
  };
  // Indexed, and runs kept as two numbers: a few calls a run, each before V8 optimises this,
  // and an iterator over 146,305 ids allocated a result an id (5.5 MB a call, 50 MB a cold run).
  let first = sorted[0]!;
  let last = first;
  for (let i = 1; i < sorted.length; i++) {
    const id = sorted[i]!;
    if (id === last + 1) last = id;
    else {
      addRun(first, last);
      first = last = id;
    }
  }
  addRun(first, last);
  if (singles.length > 0) ranges.push(`${column} IN (${singles.join(', ')})`);
  return `(${ranges.join(' OR ')})`;
}

/** Zero rows with the table's columns, for a scope with no events at all. */
const NO_EVENTS = `(SELECT ${COLUMN_NAMES.map((name) => `NULL::${duckdbType(columnType(name))} AS "${name}"`).join(', ')},
  NULL::INTEGER AS _file, NULL::TIMESTAMPTZ AS _ts WHERE FALSE)`;

/** Defines `cloudtrail_logs` on this connection only: other queries keep their own scope. */
export async function defineScope(connection: DuckDBConnection, scope: QueryScope): Promise<void> {
  const events = scope.batchFiles.length === 0 ? NO_EVENTS : `read_parquet(${sqlPathList(scope.batchFiles)})`;
  const unknown = scope.columns?.find((name) => !COLUMN_NAMES.includes(name));
  if (unknown !== undefined) throw new Error(`the scope names ${JSON.stringify(unknown)}, which is not a column of cloudtrail_logs`);
  const columns = scope.columns ? scope.columns.map((name) => `"${name}"`).join(', ') : COLUMN_LIST;
  await connection.run(`
    CREATE OR REPLACE TEMP VIEW cloudtrail_logs AS
    SELECT ${columns} FROM ${events}
    WHERE _ts >= ${sqlTimestamp(scope.window.start)} AND _ts < ${sqlTimestamp(scope.window.end)}
      AND ${fileIdPredicate(scope.fileIds)}`);
}

export async function runQuery(store: EventStore, scope: QueryScope, sql: string, options: QueryOptions = {}): Promise<QueryResult> {
  const started = Date.now();
  if (options.signal?.aborted) throw new Cancelled();
  const connection = await store.connect();
  const interrupt = (): void => connection.interrupt();
  options.signal?.addEventListener('abort', interrupt);
  try {
    const rejected = await guardSql(connection, sql);
    if (rejected) throw new Error(rejected);
    await defineScope(connection, scope);
    const result = await connection.stream(sql);
    const columns = result.deduplicatedColumnNames();
    const rows: CellValue[][] = [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let truncated = false;
    for await (const batch of result.yieldRowsJs()) {
      if (options.signal?.aborted) throw new Cancelled();
      const room = limit - rows.length;
      const converted = batch.slice(0, room).map((row) => row.map(toCellValue));
      rows.push(...converted);
      if (converted.length > 0) options.onRows?.(converted, columns);
      if (batch.length > room) {
        truncated = true;
        break;
      }
    }
    return { columns, rows, truncated, elapsedMs: Date.now() - started };
  } catch (error) {
    // DuckDB's interrupt surfaces as its own error: said as the one Cancelled.
    if (options.signal?.aborted) throw new Cancelled({ cause: error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    connection.closeSync();
  }
}
