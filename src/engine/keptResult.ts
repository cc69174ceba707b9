// A cell's whole result, kept in DuckDB on the host so the results view can ask for the
// part it shows (src/protocol/keptResult.ts): bins for a span, the events of a span, a page
// of rows. The result is a temporary table of the query's own connection, in its own
// order; beside it a narrow index (row, time, error) sorted by time answers the timeline.
// Each request is one small query, so a million events cost milliseconds per frame.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventStore } from './eventStore';
import { defineScope, toCellValue, type CellValue, type QueryScope } from './query';
import { guardSql } from './sqlGuard';
import { Cancelled } from '../protocol/cancelled';
import { normalizeColumn, PIVOT_COLUMNS } from '../protocol/pivotValues';
import { OVERVIEW_BINS, type KeptSummary } from '../protocol/keptResult';

export interface Bins {
  /** Bin i covers [start + i·size, start + (i+1)·size). */
  readonly start: number;
  readonly size: number;
  readonly counts: number[];
  /** Events with an errorCode per bin; absent when the result has no errorCode column. */
  readonly errors?: number[];
}

export interface SpanEvents {
  /** Each event's place in the whole result. */
  readonly rowIndexes: number[];
  /** Epoch ms. */
  readonly times: number[];
  /** 1 where the event has an errorCode. */
  readonly failed: number[];
  /** False when the span held more than the limit: no events are returned then. */
  readonly complete: boolean;
}

/** Bins start on multiples of their size since the epoch, as the view's own buckets do (timeBuckets.ts). */
export function binStart(from: number, size: number): number {
  return Math.floor(from / size) * size;
}

/** The bins covering [from, to], both ends included. */
export function binCount(from: number, to: number, size: number): number {
  return Math.max(1, Math.floor((to - binStart(from, size)) / size) + 1);
}

/** Integers go into SQL only through here: a request's numbers are checked, never spliced as text. */
function sqlInteger(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number, not ${String(value)}`);
  return String(value);
}

const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The result's time column, found by name as the view finds it (eventTime, time, timestamp …). */
export function timeColumnOf(columns: readonly string[]): string | undefined {
  for (const wanted of PIVOT_COLUMNS.around.columns) {
    const found = columns.find((name) => normalizeColumn(name) === normalizeColumn(wanted));
    if (found !== undefined) return found;
  }
  return undefined;
}

export class KeptResult {
  private closed = false;
  /** One query at a time on the connection: the view's requests may overlap. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly connection: DuckDBConnection,
    /** Set once, when the result is kept (the overview is counted by the result itself). */
    public summary: KeptSummary,
    private readonly hasErrors: boolean,
  ) {}

  /**
   * Runs `sql` (a runbook cell's query, checked as every cell's is) into a temporary table
   * on a connection of its own. The caller closes the result when the view lets it go.
   */
  static async keep(store: EventStore, scope: QueryScope, sql: string, signal?: AbortSignal): Promise<KeptResult> {
    if (signal?.aborted) throw new Cancelled();
    const connection = await store.connect();
    const interrupt = (): void => connection.interrupt();
    signal?.addEventListener('abort', interrupt);
    try {
      const rejected = await guardSql(connection, sql);
      if (rejected) throw new Error(rejected);
      await defineScope(connection, scope);
      // The query as written follows the prefix: trailing semicolons and comments stay harmless.
      await connection.run(`CREATE TEMP TABLE kept_rows AS\n${sql}`);
      const described = await connection.runAndReadAll('SELECT * FROM kept_rows LIMIT 0');
      const columns = described.columnNames();
      const timeColumn = timeColumnOf(columns);
      const errorColumn = columns.find((name) => normalizeColumn(name) === 'errorcode');
      const time = timeColumn === undefined ? 'NULL::BIGINT' : `epoch_ms(TRY_CAST(${quoteName(timeColumn)} AS TIMESTAMPTZ))`;
      const error = errorColumn === undefined ? 'FALSE' : `coalesce(CAST(${quoteName(errorColumn)} AS VARCHAR), '') <> ''`;
      // rowid is the row's place in the result: DuckDB keeps insertion order, so ORDER BY holds.
      await connection.run(`CREATE TEMP TABLE kept_time AS
        SELECT rowid AS _row, ${time} AS _t, ${error} AS _err FROM kept_rows ORDER BY _t NULLS LAST, _row`);
      const facts = await connection.runAndReadAll(
        'SELECT count(*)::BIGINT, count(_t)::BIGINT, min(_t), max(_t) FROM kept_time',
      );
      const [rowCount, placed, first, last] = facts.getRowsJS()[0]!.map((value) => (value === null ? undefined : Number(value)));
      if (signal?.aborted) throw new Cancelled();
      const kept = new KeptResult(connection, { rowCount: rowCount!, columns, missingTime: rowCount! - placed! }, errorColumn !== undefined);
      const overview = first === undefined || last === undefined ? undefined : await kept.bins(first, last, Math.max(1, Math.ceil((last - first + 1) / OVERVIEW_BINS)));
      const summary: KeptSummary = {
        rowCount: rowCount!,
        columns,
        ...(timeColumn !== undefined ? { timeColumn } : {}),
        ...(first !== undefined && last !== undefined ? { first, last } : {}),
        missingTime: rowCount! - placed!,
        ...(overview !== undefined ? { overview } : {}),
      };
      kept.summary = summary;
      return kept;
    } catch (error) {
      connection.closeSync();
      if (signal?.aborted) throw new Cancelled({ cause: error });
      throw error;
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
  }

  /** Events per bin over [from, to] (epoch ms, both included); bins of `size` ms. */
  bins(from: number, to: number, size: number): Promise<Bins> {
    return this.serial(() => this.binsNow(from, to, size));
  }

  /** The events in [from, to] in time order, when there are at most `limit` of them. */
  events(from: number, to: number, limit: number): Promise<SpanEvents> {
    return this.serial(() => this.eventsNow(from, to, limit));
  }

  /** Rows [offset, offset + count) in the result's own order (fewer at its end). */
  page(offset: number, count: number): Promise<CellValue[][]> {
    return this.serial(() => this.pageNow(offset, count));
  }

  private async binsNow(from: number, to: number, size: number): Promise<Bins> {
    if (size <= 0) throw new Error(`a bin's size must be positive, not ${size}`);
    const start = binStart(from, size);
    const count = binCount(from, to, size);
    const reader = await this.open().runAndReadAll(`
      SELECT (_t - ${sqlInteger(start, 'start')}) // ${sqlInteger(size, 'size')} AS bin, count(*)::BIGINT, count(*) FILTER (WHERE _err)::BIGINT
      FROM kept_time WHERE _t >= ${sqlInteger(from, 'from')} AND _t <= ${sqlInteger(to, 'to')} GROUP BY bin`);
    const counts = new Array<number>(count).fill(0);
    const errors = new Array<number>(count).fill(0);
    for (const [bin, events, failed] of reader.getRowsJS()) {
      counts[Number(bin)] = Number(events);
      errors[Number(bin)] = Number(failed);
    }
    return { start, size, counts, ...(this.hasErrors ? { errors } : {}) };
  }

  private async eventsNow(from: number, to: number, limit: number): Promise<SpanEvents> {
    // The narrow index alone answers: a mark needs its time, its outcome and its place, not
    // its row (a page brings that when the row is looked at), so nothing joins the result.
    const inSpan = `_t >= ${sqlInteger(from, 'from')} AND _t <= ${sqlInteger(to, 'to')}`;
    const reader = await this.open().runAndReadAll(`SELECT _row, _t, _err FROM kept_time WHERE ${inSpan} ORDER BY _t, _row LIMIT ${sqlInteger(limit + 1, 'limit')}`);
    const found = reader.getRowsJS();
    if (found.length > limit) return { rowIndexes: [], times: [], failed: [], complete: false };
    return {
      rowIndexes: found.map((row) => Number(row[0])),
      times: found.map((row) => Number(row[1])),
      failed: found.map((row) => (row[2] === true ? 1 : 0)),
      complete: true,
    };
  }

  private async pageNow(offset: number, count: number): Promise<CellValue[][]> {
    const first = sqlInteger(offset, 'offset');
    const reader = await this.open().runAndReadAll(
      `SELECT * FROM kept_rows WHERE rowid >= ${first} AND rowid < ${sqlInteger(offset + count, 'offset + count')} ORDER BY rowid`,
    );
    return reader.getRowsJS().map((row) => row.map(toCellValue));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The temporary tables go with their connection, once a request under way has its answer.
    void this.queue.then(() => this.connection.closeSync());
  }

  private open(): DuckDBConnection {
    if (this.closed) throw new Error('this result is no longer kept: run the cell again');
    return this.connection;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
