// The filter box reads a struct, list or map column as its JSON text (keptListing.ts), and
// building that text is most of a filter's time: over a kept million with userIdentity,
// to_json() took 0.9–1.3 s of a filter's 1.2–1.8 s, for every filter typed. So once the
// first filter has its answer, the kept result builds those columns' lower-cased texts, into
// a table of their own in a compressed in-memory database, and the filters after it read
// them from there (keptMatches.ts). Built slice by slice, each slice compressed as it is
// written (a checkpoint), so the texts never sit in memory uncompressed all at once: over
// the million, 2.2–2.5 s to build, at most 203 MB more while building and 28 MB once built,
// where the texts are 754 MB as they are. The plain text columns are lower-cased as each
// filter reads them, which is cheap.
import type { DuckDBConnection } from '@duckdb/node-api';
import { builtText, filterText, type KeptColumn } from './keptListing';
import { sqlInteger } from './sqlText';
import type { Turn } from './keptMatches';

/** The table of built texts: `_row` (the row's place in the kept result) and `t0`, `t1`, … for the columns built, in order. */
export interface FilterTexts {
  /** The table, qualified by its database. */
  readonly table: string;
  /** The columns whose text it holds, in the order of `t0`, `t1`, …. */
  readonly columns: readonly KeptColumn[];
}

/** A name for each database of texts made in this process (an attached database is seen by every connection of the instance). */
let made = 0;

/**
 * Builds the texts of `columns`' built ones into a database attached here (compressed), slice
 * by slice, one turn each; `attached` holds its name while it is attached, for the result to
 * let it go. Undefined when no column needs it.
 */
export async function buildFilterTexts(
  turn: Turn,
  columns: readonly KeptColumn[],
  rowCount: number,
  sliceRows: number,
  attached: Set<string>,
): Promise<FilterTexts | undefined> {
  const built = columns.filter(builtText);
  if (built.length === 0) return undefined;
  made += 1;
  const database = `kept_filter_texts_${made}`;
  const table = `${database}.texts`;
  await turn(async (connection) => {
    // COMPRESS: DuckDB keeps an in-memory database's tables uncompressed unless told.
    await connection.run(`ATTACH ':memory:' AS ${database} (COMPRESS)`);
    attached.add(database);
    await connection.run(`CREATE TABLE ${table} (_row BIGINT, ${built.map((_, i) => `t${i} VARCHAR`).join(', ')})`);
  });
  try {
    for (let first = 0; first < rowCount; first += sliceRows) {
      await turn(async (connection) => {
        await connection.run(
          `INSERT INTO ${table} SELECT rowid, ${built.map(filterText).join(', ')} FROM kept_rows
            WHERE ${rowRange('rowid', first, sliceRows)} ORDER BY rowid`,
        );
        // Compressed as it is written: the slice's row groups are rewritten compressed, once.
        await connection.run(`CHECKPOINT ${database}`);
      });
    }
  } catch (error) {
    // Half built: let it go now (a result closed meanwhile lets it go as it closes).
    await turn(async (connection) => {
      await dropFilterTexts(connection, database);
      attached.delete(database);
    }).catch(() => undefined);
    throw error;
  }
  return { table, columns: built };
}

/** Forgets the texts (the result is let go): an attached database outlives the connection that attached it. */
export async function dropFilterTexts(connection: DuckDBConnection, database: string): Promise<void> {
  await connection.run(`DETACH DATABASE IF EXISTS ${database}`);
}

export function rowRange(column: string, first: number, rows: number): string {
  return `${column} >= ${sqlInteger(first, 'first')} AND ${column} < ${sqlInteger(first + rows, 'slice end')}`;
}
