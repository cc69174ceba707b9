// LookupEvents fetches: one row a range of one account, region and lookup attribute that was
// stored (a range stored while paging has a row a part). A fetch is kept once every page of
// a settled range is in; the others (the last minutes of a window, a range cancelled while
// paging) serve the run that fetched them and are forgotten before the next run fetches.
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../sqlText';
import { idList, rows } from './writerSql';

export interface LookupFetch {
  readonly id: number;
  readonly account: string;
  readonly region: string;
  /** The lookup attribute sent (`EventName=StopLogging`), or '' for none. */
  readonly attribute: string;
  /** Epoch milliseconds, [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface FetchedRange {
  readonly start: number;
  readonly end: number;
  /** The fetch (part) that holds its events. */
  readonly id: number;
}

export async function insertFetches(db: DuckDBConnection, fetches: readonly LookupFetch[], batch: number | null): Promise<void> {
  if (fetches.length === 0) return;
  await db.run(
    `INSERT INTO store.fetches VALUES ${fetches
      .map(
        (f) =>
          `(${f.id}, ${sqlString(f.account)}, ${sqlString(f.region)}, ${sqlString(f.attribute)}, ${f.start}, ${f.end}, false, 0, 0, ${batch ?? 'NULL'})`,
      )
      .join(', ')}`,
  );
}

export async function keepFetches(db: DuckDBConnection, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await db.run(`UPDATE store.fetches SET kept = true WHERE id IN ${idList(ids)}`);
}

/** Kept fetches of this account, region and attribute that overlap [start, end). */
export async function keptRanges(
  db: DuckDBConnection,
  where: { readonly account: string; readonly region: string; readonly attribute: string },
  range: { readonly start: number; readonly end: number },
): Promise<FetchedRange[]> {
  const found = await rows(
    db,
    `SELECT start_ms, end_ms, id FROM store.fetches
     WHERE kept AND account = ${sqlString(where.account)} AND region = ${sqlString(where.region)} AND attribute = ${sqlString(where.attribute)}
       AND end_ms > ${range.start} AND start_ms < ${range.end}`,
  );
  return found.map(([start, end, id]) => ({ start: Number(start), end: Number(end), id: Number(id) }));
}

export async function unkeptFetchIds(db: DuckDBConnection): Promise<number[]> {
  return (await rows(db, 'SELECT id FROM store.fetches WHERE NOT kept')).map(([id]) => Number(id));
}
