// The rows the filter box keeps of a result the host keeps (src/engine/keptResult.ts): the
// table lists them, the timeline counts and draws them, so both read one set, computed once
// per filter. The filter is keptListing.ts's condition, its words bound as parameters; it
// runs over slices of rows, one turn on the connection each, so the view's other requests
// are answered between slices, and a filter the view no longer shows (typing went on) stops
// at its next slice.
import type { DuckDBConnection } from '@duckdb/node-api';
import { filterWords } from '../protocol/keptResult';
import { buildFilterTexts, dropFilterTexts, rowRange, type FilterTexts } from './keptFilterTexts';
import { filterSlice, type KeptColumn } from './keptListing';
import { onlyRow } from './onlyRow';

/** The answer to a request for a filter or listing the view no longer shows (it asked for another since). */
export const SUPERSEDED = 'another sort or filter was asked for since: this one was not computed';

/**
 * Rows in one of DuckDB's row groups (its default, which the kept table keeps). A scan splits
 * work between threads by row group, so a turn filters one row group per thread: a slice of
 * 100,000 rows ran on one thread, and ten of them took 2.3–3.6 s over a kept million where the
 * same filter in one statement took 1.4 s.
 */
const ROW_GROUP_ROWS = 122_880;
/** Filters kept per result: the latest few, each two narrow tables. */
const KEPT_MATCH_SETS = 3;

/** The rows one filter keeps. Table names are made here, never taken from a request. */
export interface MatchSet {
  /** `_row` (a place in the whole result) in the result's order: rowid is the place in the filtered listing. */
  readonly rows: string;
  /** `_row, _t, _err` of the matches, sorted by time: the timeline's index of the filtered result. */
  readonly times: string;
  /** Rows that match. */
  readonly count: number;
}

/** One turn on the kept result's connection (requests take turns). */
export type Turn = <T>(work: (connection: DuckDBConnection) => Promise<T>) => Promise<T>;

/** One key per filter: its words, as the view and the host split them. */
export function filterKey(filter: string): string {
  return filterWords(filter).join(' ');
}

export class KeptMatches {
  /** Sets computed, the latest last. */
  private readonly sets = new Map<string, MatchSet>();
  /** Sets being computed: requests for one share its work. */
  private readonly computing = new Map<string, Promise<void>>();
  /** The filter the view asked for last. */
  private latest = '';
  private made = 0;
  /**
   * The texts of the struct, list and map columns (keptFilterTexts.ts): the first filter reads
   * every column as it is, then starts making them, and the filters after it wait for them. A
   * failure to make them (the result let go meanwhile) leaves the filters reading the columns
   * as they are.
   */
  private texts: Promise<FilterTexts | undefined> | undefined;
  /**
   * The databases holding them, once attached: let go with the result. Kept apart from `texts`:
   * a result let go while they are built must detach one the build has not returned yet.
   */
  private readonly textDatabases = new Set<string>();
  /** Rows a turn reads, once asked. */
  private slice: Promise<number> | undefined;

  constructor(
    private readonly turn: Turn,
    private readonly columns: readonly KeptColumn[],
    private readonly rowCount: number,
    /** The time index (kept_time) must exist before a set is made from it. */
    private readonly indexed: () => Promise<unknown>,
  ) {}

  /** The view asked for this filter (its table or its timeline): one asked before it and not computed yet is not computed. */
  ask(filter: string): void {
    this.latest = filterKey(filter);
  }

  /**
   * Computes the set of `filter` (a no-op when it is held or has no words). Read it with
   * held() inside a turn: it may have been let go for newer filters since.
   */
  async compute(filter: string): Promise<void> {
    const key = filterKey(filter);
    if (key === '') return;
    const known = this.sets.get(key);
    if (known !== undefined) {
      // Read last: let go last.
      this.sets.delete(key);
      this.sets.set(key, known);
      return;
    }
    let computing = this.computing.get(key);
    if (computing === undefined) {
      computing = this.computeNow(filter, key).finally(() => this.computing.delete(key));
      this.computing.set(key, computing);
    }
    return computing;
  }

  /** The set of `filter`, inside a turn; throws SUPERSEDED when it was let go (or never made: newer typing). */
  held(filter: string): MatchSet {
    const set = this.sets.get(filterKey(filter));
    if (set === undefined) throw new Error(SUPERSEDED);
    return set;
  }

  /** Rows a turn reads: one row group per thread. */
  private sliceRows(): Promise<number> {
    this.slice ??= this.turn(async (connection) => ROW_GROUP_ROWS * (await threadCount(connection)));
    return this.slice;
  }

  private startTexts(sliceRows: number): void {
    this.texts ??= buildFilterTexts(this.turn, this.columns, this.rowCount, sliceRows, this.textDatabases).catch(() => undefined);
  }

  /** Lets go of what the filters built (inside the result's last turn, before its connection closes). */
  async release(connection: DuckDBConnection): Promise<void> {
    for (const database of this.textDatabases) await dropFilterTexts(connection, database);
    this.textDatabases.clear();
  }

  private async computeNow(filter: string, key: string): Promise<void> {
    if (filterWords(filter).length === 0) return;
    await this.indexed();
    const sliceRows = await this.sliceRows();
    const texts = await this.texts;
    this.made += 1;
    const rows = `kept_matches_${this.made}`;
    const times = `kept_match_times_${this.made}`;
    const superseded = (): boolean => key !== this.latest;
    try {
      await this.turn((connection) => connection.run(`CREATE TEMP TABLE ${rows} (_row BIGINT)`));
      for (let first = 0; first < this.rowCount; first += sliceRows) {
        await this.turn(async (connection) => {
          if (superseded()) throw new Error(SUPERSEDED);
          const slice = filterSlice(this.columns, filter, texts, (column) => rowRange(column, first, sliceRows));
          if (slice === undefined) return;
          // Slice after slice in rowid order: the table's own rowid is then the place in the listing.
          await connection.run(`INSERT INTO ${rows} ${slice.sql}`, slice.params);
        });
      }
      await this.turn(async (connection) => {
        if (superseded()) throw new Error(SUPERSEDED);
        await connection.run(`CREATE TEMP TABLE ${times} AS
          SELECT _row, _t, _err FROM kept_time WHERE _row IN (SELECT _row FROM ${rows}) ORDER BY _t NULLS LAST, _row`);
        const counted = await connection.runAndReadAll(`SELECT count(*)::BIGINT FROM ${rows}`);
        this.sets.set(key, { rows, times, count: Number(onlyRow(counted.getRowsJS())[0]) });
        for (const [oldest, set] of this.sets) {
          if (this.sets.size <= KEPT_MATCH_SETS) break;
          await connection.run(`DROP TABLE IF EXISTS ${set.rows}`);
          await connection.run(`DROP TABLE IF EXISTS ${set.times}`);
          this.sets.delete(oldest);
        }
      });
      this.startTexts(sliceRows);
    } catch (error) {
      await this.turn(async (connection) => {
        await connection.run(`DROP TABLE IF EXISTS ${rows}`);
        await connection.run(`DROP TABLE IF EXISTS ${times}`);
      }).catch(() => undefined);
      throw error;
    }
  }
}

/** DuckDB's worker threads on this connection's instance (all cores unless the store was opened with fewer). */
async function threadCount(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT current_setting('threads')::BIGINT`);
  return Math.max(1, Number(onlyRow(reader.getRowsJS())[0]));
}
