// The catalogue's tables: what the store knows about the events it keeps, in a small DuckDB
// database beside the Parquet files (attached as `store`). Only src/engine/store reads or
// writes them (test/unit/store-owns-catalogue.test.ts holds that).
//
// Every stored event carries, in its `_file` column, the id of where it came from: a log file
// (`files`) or one LookupEvents fetch (`fetches`). Both draw ids from one sequence that is
// never reused (originIds.ts), so a query that selects ids never picks up another origin's
// events. A batch is one Parquet file; its members are the files and fetches whose events it
// holds. `rows` counts every row written (records without a usable time included), so that a
// batch's dead rows (of forgotten members) are its rows less its members' (compaction.ts).
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_RECORD, duckdbType } from '../schema';
import { sqlString } from '../sqlText';

/** Bumped whenever the layout below changes; an older cache is rebuilt. */
export const LAYOUT_VERSION = 7;

/** The layout and the record type together: a cache written with another record type is rebuilt too. */
export const STORE_VERSION = createHash('sha256')
  .update(`${LAYOUT_VERSION}:${duckdbType(CLOUDTRAIL_RECORD)}`)
  .digest('hex')
  .slice(0, 16);

const TABLES = `
  CREATE TABLE IF NOT EXISTS store.meta (key VARCHAR, value VARCHAR);
  CREATE TABLE IF NOT EXISTS store.batches (id INTEGER, rows BIGINT);
  CREATE TABLE IF NOT EXISTS store.files (id INTEGER, path VARCHAR, size BIGINT, mtime_ms BIGINT, format VARCHAR,
    events INTEGER, rows INTEGER, batch INTEGER, read_as VARCHAR, time_from_timestamp INTEGER);
  CREATE TABLE IF NOT EXISTS store.fetches (id INTEGER, account VARCHAR, region VARCHAR, attribute VARCHAR,
    start_ms BIGINT, end_ms BIGINT, kept BOOLEAN, events INTEGER, rows INTEGER, batch INTEGER);
  CREATE TABLE IF NOT EXISTS store.problems (origin INTEGER, record INTEGER, line INTEGER, message VARCHAR);
`;

/** Tables of every layout so far, dropped when the layout changes. */
const EVERY_TABLE = ['meta', 'files', 'problems', 'batches', 'lookup_ranges', 'fetches', 'events'];

/** Every member of a batch, files and fetches alike: (id, batch, events, rows). */
export const BATCH_MEMBERS = `(SELECT id, batch, events, rows FROM store.files UNION ALL SELECT id, batch, events, rows FROM store.fetches)`;

/** Creates the tables in a fresh (in-memory) catalogue. */
export async function createCatalogue(db: DuckDBConnection): Promise<void> {
  await db.run(TABLES);
}

/**
 * Makes the attached catalogue the current layout. Returns true when it was not (new, or
 * written by another version): its events folder then holds nothing worth keeping.
 */
export async function upgradeCatalogue(db: DuckDBConnection): Promise<boolean> {
  const version = await db
    .runAndReadAll(`SELECT value FROM store.meta WHERE key = 'version'`)
    .then((result) => result.getRowsJS()[0]?.[0])
    .catch(() => undefined);
  if (version === STORE_VERSION) return false;
  await db.run(`
    ${EVERY_TABLE.map((name) => `DROP TABLE IF EXISTS store.${name};`).join('\n')}
    ${TABLES}
    INSERT INTO store.meta VALUES ('version', ${sqlString(STORE_VERSION)});`);
  return true;
}
