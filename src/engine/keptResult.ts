// A cell's whole result, kept in DuckDB on the host so the results view can ask for the
// part it shows (src/protocol/keptResult.ts): bins for a span, the events of a span, a page
// of rows (in the query's order, or sorted and filtered as the table asks). The cell's query
// runs once, into a temporary table of its own connection, in its own order; the cell's
// first rows are read from that table, and the table stays when there were more than the
// row limit. Beside it a narrow index (row, time, error) sorted by time answers the timeline.
// Each request is one small query, so a million events cost milliseconds per frame.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventStore } from './eventStore';
import { defineScope, toCellValue, type CellValue, type QueryOptions, type QueryResult, type QueryScope } from './query';
import { guardSql } from './sqlGuard';
import { listingKey, listingOrder, type KeptColumn } from './keptListing';
import { filterKey, KeptMatches, SUPERSEDED, type MatchSet } from './keptMatches';
import { Cancelled } from '../protocol/cancelled';
import { normalizeColumn, PIVOT_COLUMNS } from '../protocol/pivotValues';
import { OVERVIEW_BINS, type KeptListing, type KeptSummary } from '../protocol/keptResult';
import { onlyRow } from './onlyRow';
import { sqlIdentifier, sqlInteger } from './sqlText';

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

/** Rows [offset, offset + rows.length) of a listing, each with its place in the whole result. */
export interface KeptPage {
  readonly rows: CellValue[][];
  readonly rowIndexes: number[];
  /** Rows the listing holds in all (the whole result when nothing filters it). */
  readonly listed: number;
}

/** A query run into a kept table: its first rows (the cell's answer) and, when there were more, the whole result. */
export interface KeptRun {
  readonly result: QueryResult;
  /** Present when the rows passed the limit: the caller owns it and closes it. */
  readonly kept?: KeptResult;
}

export { SUPERSEDED };

/** Listings (sorts and filters) kept per result: the latest few, each a column of row numbers. */
const KEPT_LISTINGS = 3;
/** Rows read per query while exporting: the rest of the result waits in DuckDB. */
export const EXPORT_CHUNK = 5_000;
/** Rows per batch given to onRows, as the engine streams them. */
const FIRST_ROWS_BATCH = 2_048;

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
  private summarized: Promise<KeptSummary> | undefined;
  private known: KeptSummary | undefined;
  private hasErrors = false;
  /** Listings computed, the latest last: key → its table and how many rows it holds. */
  private readonly listings = new Map<string, { readonly table: string; readonly listed: number }>();
  private listingCount = 0;
  /** Listings being computed: requests for one share its work. */
  private readonly computing = new Map<string, Promise<void>>();
  /** The listing the view asked for last: one asked before it and not computed yet is not computed. */
  private latestListing = '';
  /** The rows each filter keeps (the latest few): the table lists them, the timeline bins and draws them. */
  private readonly matches: KeptMatches;

  private constructor(
    private readonly connection: DuckDBConnection,
    /** The result's columns: as the view names them, as the table stores them, and their types. */
    readonly columns: readonly KeptColumn[],
    readonly rowCount: number,
  ) {
    this.matches = new KeptMatches(
      (work) => this.serial(() => work(this.open())),
      columns,
      rowCount,
      () => this.summarize(),
    );
  }

  /** What the view learns first (after summarize()). */
  get summary(): KeptSummary {
    if (this.known === undefined) throw new Error('the kept result is not summarized yet');
    return this.known;
  }

  /**
   * Runs `sql` (a runbook cell's query, checked as every cell's is, on the store's locked
   * instance) once, into a temporary table on a connection of its own, and reads its first
   * `limit` rows from there. With more rows than that, the table is kept for the view.
   */
  static async run(
    store: EventStore,
    scope: QueryScope,
    sql: string,
    options: QueryOptions & { readonly limit: number },
  ): Promise<KeptRun> {
    const started = Date.now();
    const { connection, columns, rowCount } = await KeptResult.tabulate(store, scope, sql, options.signal);
    try {
      const shown = columns.map((column) => column.shown);
      const rows: CellValue[][] = [];
      const stream = await connection.stream(`SELECT * FROM kept_rows WHERE rowid < ${sqlInteger(options.limit, 'limit')} ORDER BY rowid`);
      for await (const batch of stream.yieldRowsJs()) {
        if (options.signal?.aborted) throw new Cancelled();
        for (let at = 0; at < batch.length; at += FIRST_ROWS_BATCH) {
          const converted = batch.slice(at, at + FIRST_ROWS_BATCH).map((row) => row.map(toCellValue));
          rows.push(...converted);
          options.onRows?.(converted, shown);
        }
      }
      const truncated = rowCount > options.limit;
      const result: QueryResult = { columns: shown, rows, truncated, elapsedMs: Date.now() - started };
      if (!truncated) {
        connection.closeSync();
        return { result };
      }
      return { result, kept: new KeptResult(connection, columns, rowCount) };
    } catch (error) {
      connection.closeSync();
      if (options.signal?.aborted) throw new Cancelled({ cause: error });
      throw error;
    }
  }

  /** Keeps the whole result of `sql`, whatever its size, summarized. The caller closes it. */
  static async keep(store: EventStore, scope: QueryScope, sql: string, signal?: AbortSignal): Promise<KeptResult> {
    const { connection, columns, rowCount } = await KeptResult.tabulate(store, scope, sql, signal);
    const kept = new KeptResult(connection, columns, rowCount);
    try {
      await kept.summarize(signal);
      return kept;
    } catch (error) {
      kept.close();
      throw error;
    }
  }

  /** The query into `kept_rows`, through the SQL guard; the connection is the caller's on success. */
  private static async tabulate(
    store: EventStore,
    scope: QueryScope,
    sql: string,
    signal?: AbortSignal,
  ): Promise<{ connection: DuckDBConnection; columns: KeptColumn[]; rowCount: number }> {
    if (signal?.aborted) throw new Cancelled();
    const connection = await store.connect();
    const interrupt = (): void => connection.interrupt();
    signal?.addEventListener('abort', interrupt);
    try {
      const rejected = await guardSql(connection, sql);
      if (rejected) throw new Error(rejected);
      await defineScope(connection, scope);
      // The query's own column names (the table renames duplicates its own way): bound, not run.
      const prepared = await connection.prepare(sql);
      const names = Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i));
      prepared.destroySync();
      // The query as written follows the prefix: trailing semicolons and comments stay harmless.
      await connection.run(`CREATE TEMP TABLE kept_rows AS\n${sql}`);
      const described = (await connection.runAndReadAll('DESCRIBE kept_rows')).getRowsJS();
      await keepRowNumbers(connection, described);
      const shown = deduplicated(names);
      const columns = described.map((row, i) => ({ shown: shown[i] ?? String(row[0]), stored: String(row[0]), type: String(row[1]) }));
      const counted = await connection.runAndReadAll('SELECT count(*)::BIGINT FROM kept_rows');
      if (signal?.aborted) throw new Cancelled();
      return { connection, columns, rowCount: Number(onlyRow(counted.getRowsJS())[0]) };
    } catch (error) {
      connection.closeSync();
      if (signal?.aborted) throw new Cancelled({ cause: error });
      throw error;
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
  }

  /**
   * The time index and the summary the view is announced with (once; later calls share it).
   * It runs after the cell's answer is out: the first rows never wait for it.
   */
  summarize(signal?: AbortSignal): Promise<KeptSummary> {
    this.summarized ??= this.serial(() => this.summarizeNow(signal));
    return this.summarized;
  }

  private async summarizeNow(signal?: AbortSignal): Promise<KeptSummary> {
    const connection = this.open();
    const shown = this.columns.map((column) => column.shown);
    const timeName = timeColumnOf(shown);
    const timeColumn = timeName === undefined ? undefined : this.columns.find((column) => column.shown === timeName);
    const errorColumn = this.columns.find((column) => normalizeColumn(column.shown) === 'errorcode');
    const time = timeColumn === undefined ? 'NULL::BIGINT' : `epoch_ms(TRY_CAST(${sqlIdentifier(timeColumn.stored)} AS TIMESTAMPTZ))`;
    const error = errorColumn === undefined ? 'FALSE' : `coalesce(CAST(${sqlIdentifier(errorColumn.stored)} AS VARCHAR), '') <> ''`;
    this.hasErrors = errorColumn !== undefined;
    // rowid is the row's place in the result: DuckDB keeps insertion order, so ORDER BY holds.
    await connection.run(`CREATE TEMP TABLE kept_time AS
      SELECT rowid AS _row, ${time} AS _t, ${error} AS _err FROM kept_rows ORDER BY _t NULLS LAST, _row`);
    const facts = await connection.runAndReadAll('SELECT count(_t)::BIGINT, min(_t), max(_t) FROM kept_time');
    const [placed, first, last] = onlyRow(facts.getRowsJS()).map((value) => (value === null ? undefined : Number(value)));
    if (signal?.aborted) throw new Cancelled();
    const overview =
      first === undefined || last === undefined
        ? undefined
        : await this.binsNow(first, last, Math.max(1, Math.ceil((last - first + 1) / OVERVIEW_BINS)));
    this.known = {
      rowCount: this.rowCount,
      columns: shown,
      ...(timeName !== undefined ? { timeColumn: timeName } : {}),
      ...(first !== undefined && last !== undefined ? { first, last } : {}),
      missingTime: this.rowCount - placed!,
      ...(overview !== undefined ? { overview } : {}),
    };
    return this.known;
  }

  /**
   * Events per bin over [from, to] (epoch ms, both included); bins of `size` ms. With a
   * filter, only the rows it keeps are counted (the set the table lists, computed once).
   */
  async bins(from: number, to: number, size: number, filter = ''): Promise<Bins> {
    await this.timeIndexFor(filter);
    return this.serial(() => this.binsNow(from, to, size, this.timeIndex(filter)));
  }

  /** The events in [from, to] in time order, when there are at most `limit` of them; with a filter, those it keeps. */
  async events(from: number, to: number, limit: number, filter = ''): Promise<SpanEvents> {
    await this.timeIndexFor(filter);
    return this.serial(() => this.eventsNow(from, to, limit, this.timeIndex(filter)));
  }

  /** Waits for the time index, and for the filter's matches when it has words (computed once). */
  private async timeIndexFor(filter: string): Promise<void> {
    await this.summarize();
    this.matches.ask(filter);
    await this.matches.compute(filter);
  }

  /** The time index of the rows `filter` keeps (inside a turn): the whole result's when it has no words. */
  private timeIndex(filter: string): string {
    return filterKey(filter) === '' ? 'kept_time' : this.matches.held(filter).times;
  }

  /** Rows [offset, offset + count) in the result's own order (fewer at its end). */
  page(offset: number, count: number): Promise<CellValue[][]> {
    return this.serial(() => this.pageNow(offset, count));
  }

  /**
   * Rows [offset, offset + count) of the result as `listing` lists it: sorted by one of its
   * columns, filtered by the filter box's words (src/engine/keptListing.ts). The listing is
   * computed once (a column of row numbers) and kept for the pages that follow.
   */
  async listed(offset: number, count: number, listing: KeptListing | undefined): Promise<KeptPage> {
    const made = await this.listingFor(listing);
    if (made === undefined) {
      return this.serial(async () => {
        const rows = await this.pageNow(offset, count);
        return { rows, rowIndexes: rows.map((_, i) => offset + i), listed: this.rowCount };
      });
    }
    return this.serial(async () => {
      const { table, listed } = made();
      const found = await this.open().runAndReadAll(
        `SELECT _row FROM ${table} WHERE rowid >= ${sqlInteger(offset, 'offset')} AND rowid < ${sqlInteger(offset + count, 'offset + count')} ORDER BY rowid`,
      );
      const rowIndexes = found.getRowsJS().map((row) => Number(row[0]));
      if (rowIndexes.length === 0) return { rows: [], rowIndexes, listed };
      // The rows by their numbers (DuckDB looks rowids up directly), then put in the listing's order.
      const picked = await this.open().runAndReadAll(
        `SELECT rowid, * FROM kept_rows WHERE rowid IN (${rowIndexes.map((row) => sqlInteger(row, 'row')).join(', ')})`,
      );
      const byRow = new Map(picked.getRowsJS().map((row) => [Number(row[0]), row.slice(1).map(toCellValue)]));
      return { rows: rowIndexes.map((row) => byRow.get(row)!), rowIndexes, listed };
    });
  }

  /**
   * Where `listing` lists row `row` of the whole result: its position (so the table can
   * scroll to a row whose page it does not hold), or -1 when the listing leaves it out. One
   * query over the listing's row numbers, the row bound as a parameter.
   */
  async position(row: number, listing: KeptListing | undefined): Promise<{ readonly position: number; readonly listed: number }> {
    if (!Number.isSafeInteger(row)) throw new Error(`a row must be a whole number, not ${String(row)}`);
    const made = await this.listingFor(listing);
    if (made === undefined) return { position: row >= 0 && row < this.rowCount ? row : -1, listed: this.rowCount };
    return this.serial(async () => {
      const { table, listed } = made();
      const found = await this.open().runAndReadAll(`SELECT rowid FROM ${table} WHERE _row = $1`, [BigInt(row)]);
      const at = found.getRowsJS()[0]?.[0];
      return { position: at === undefined ? -1 : Number(at), listed };
    });
  }

  /**
   * Computes what `listing` needs (the filter's matches, the sorted row numbers) and returns
   * how to read its table inside a turn (it throws SUPERSEDED when newer listings let it go
   * meanwhile); undefined for the result in its own order, which needs no table.
   */
  private async listingFor(listing: KeptListing | undefined): Promise<(() => { table: string; listed: number }) | undefined> {
    const key = listingKey(listing ?? {});
    const filter = listing?.filter ?? '';
    this.latestListing = key;
    this.matches.ask(filter);
    if (listing?.sort === undefined) {
      if (filterKey(filter) === '') return undefined;
      await this.matches.compute(filter);
      // Filtered in the query's order: the matches, slice after slice, are the listing already.
      return () => {
        const set: MatchSet = this.matches.held(filter);
        return { table: set.rows, listed: set.count };
      };
    }
    const order = listingOrder(this.columns, listing);
    const known = this.listings.get(key);
    if (known !== undefined) {
      // Read last: let go last.
      this.listings.delete(key);
      this.listings.set(key, known);
    } else {
      await this.matches.compute(filter);
      let computing = this.computing.get(key);
      if (computing === undefined) {
        computing = this.computeListing(filter, order, key).finally(() => this.computing.delete(key));
        this.computing.set(key, computing);
      }
      await computing;
    }
    return () => {
      const made = this.listings.get(key);
      // Let go for newer listings while this request waited its turn.
      if (made === undefined) throw new Error(SUPERSEDED);
      return made;
    };
  }

  /** Sorts the rows the filter keeps (all of them without words), once, into a table of row numbers. */
  private async computeListing(filter: string, order: string, key: string): Promise<void> {
    this.listingCount += 1;
    const table = `kept_listing_${this.listingCount}`;
    await this.serial(async () => {
      if (key !== this.latestListing) throw new Error(SUPERSEDED);
      const connection = this.open();
      const kept = filterKey(filter) === '' ? '' : `WHERE rowid IN (SELECT _row FROM ${this.matches.held(filter).rows})`;
      await connection.run(`CREATE TEMP TABLE ${table} AS SELECT rowid AS _row FROM kept_rows ${kept} ORDER BY ${order}`);
      const counted = await connection.runAndReadAll(`SELECT count(*)::BIGINT FROM ${table}`);
      this.listings.set(key, { table, listed: Number(onlyRow(counted.getRowsJS())[0]) });
      for (const [oldest, { table: old }] of this.listings) {
        if (this.listings.size <= KEPT_LISTINGS) break;
        await connection.run(`DROP TABLE IF EXISTS ${old}`);
        this.listings.delete(oldest);
      }
    });
  }

  /** The whole result in its own order, a chunk at a time (an export): the view's requests go on between chunks. */
  async *chunks(size = EXPORT_CHUNK): AsyncGenerator<CellValue[][]> {
    for (let offset = 0; offset < this.rowCount; offset += size) yield await this.page(offset, size);
  }

  /** Bins from `index` (kept_time, or a filter's own time index: names made here, never a request's). */
  private async binsNow(from: number, to: number, size: number, index = 'kept_time'): Promise<Bins> {
    if (size <= 0) throw new Error(`a bin's size must be positive, not ${size}`);
    const start = binStart(from, size);
    const count = binCount(from, to, size);
    const reader = await this.open().runAndReadAll(`
      SELECT (_t - ${sqlInteger(start, 'start')}) // ${sqlInteger(size, 'size')} AS bin, count(*)::BIGINT, count(*) FILTER (WHERE _err)::BIGINT
      FROM ${index} WHERE _t >= ${sqlInteger(from, 'from')} AND _t <= ${sqlInteger(to, 'to')} GROUP BY bin`);
    const counts = new Array<number>(count).fill(0);
    const errors = new Array<number>(count).fill(0);
    for (const [bin, events, failed] of reader.getRowsJS()) {
      counts[Number(bin)] = Number(events);
      errors[Number(bin)] = Number(failed);
    }
    return { start, size, counts, ...(this.hasErrors ? { errors } : {}) };
  }

  private async eventsNow(from: number, to: number, limit: number, index = 'kept_time'): Promise<SpanEvents> {
    // The narrow index alone answers: a mark needs its time, its outcome and its place, not
    // its row (a page brings that when the row is looked at), so nothing joins the result.
    const inSpan = `_t >= ${sqlInteger(from, 'from')} AND _t <= ${sqlInteger(to, 'to')}`;
    const reader = await this.open().runAndReadAll(
      `SELECT _row, _t, _err FROM ${index} WHERE ${inSpan} ORDER BY _t, _row LIMIT ${sqlInteger(limit + 1, 'limit')}`,
    );
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
    // Once a request under way has its answer: the filters' texts let go (an attached database
    // outlives its connection), the temporary tables with the connection.
    void this.queue.then(async () => {
      await this.matches.release(this.connection).catch(() => undefined);
      this.connection.closeSync();
    });
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

/** Duplicate names as the engine's streamed results give them (`name`, `name:1` …), so a kept cell's columns read as any other's. */
function deduplicated(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count > 1 ? `${name}:${count - 1}` : name;
  });
}

/**
 * Paging, sorting and the time index read DuckDB's row number (`rowid`), which a result
 * column of that name would hide: such a column is kept under another name. The view still
 * shows it as the query named it (`shown`); only `stored` changes.
 */
async function keepRowNumbers(connection: DuckDBConnection, described: unknown[][]): Promise<void> {
  const taken = new Set(described.map((row) => String(row[0]).toLowerCase()));
  for (const row of described) {
    const name = String(row[0]);
    if (name.toLowerCase() !== 'rowid') continue;
    let other = `${name}:result`;
    while (taken.has(other.toLowerCase())) other += "'";
    taken.add(other.toLowerCase());
    await connection.run(`ALTER TABLE kept_rows RENAME COLUMN ${sqlIdentifier(name)} TO ${sqlIdentifier(other)}`);
    row[0] = other;
  }
}
