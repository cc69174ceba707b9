// The filter box reads a struct, list or map column as its JSON text (keptListing.ts), and
// building that text is most of a filter's time: over a kept million with userIdentity,
// to_json() took 0.9–1.3 s of a filter's 1.2–1.8 s, for every filter typed. So once the
// first filter has its answer, the kept result builds those columns' lower-cased texts into
// `kept_texts`, beside its rows in its compressed database (keptDatabase.ts), and the filters
// after it read them from there (keptMatches.ts). Built slice by slice, each slice compressed
// as it is written (a checkpoint), so the texts never sit in memory uncompressed all at once:
// over the million, 2.2–2.5 s to build, at most 203 MB more while building and 28 MB once
// built, where the texts are 754 MB as they are. The plain text columns are lower-cased as
// each filter reads them, which is cheap.
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

/** The table of built texts, in the result's database (the connection uses it). */
const TEXTS = 'kept_texts';

/**
 * Builds the texts of `columns`' built ones, slice by slice, one turn each. Undefined when
 * no column needs it. A build that fails drops what it wrote.
 */
export async function buildFilterTexts(
  turn: Turn,
  columns: readonly KeptColumn[],
  rowCount: number,
  sliceRows: number,
): Promise<FilterTexts | undefined> {
  const built = columns.filter(builtText);
  if (built.length === 0) return undefined;
  try {
    await turn((connection) => connection.run(`CREATE TABLE ${TEXTS} (_row BIGINT, ${built.map((_, i) => `t${i} VARCHAR`).join(', ')})`));
    for (let first = 0; first < rowCount; first += sliceRows) {
      await turn(async (connection) => {
        await connection.run(
          `INSERT INTO ${TEXTS} SELECT rowid, ${built.map(filterText).join(', ')} FROM kept_rows
            WHERE ${rowRange('rowid', first, sliceRows)} ORDER BY rowid`,
        );
        // Compressed as it is written: the slice's row groups are rewritten compressed, once.
        await connection.run('CHECKPOINT');
      });
    }
  } catch (error) {
    // Half built: dropped now (a result let go meanwhile drops it with its database).
    await turn((connection) => connection.run(`DROP TABLE IF EXISTS ${TEXTS}`)).catch(() => undefined);
    throw error;
  }
  return { table: TEXTS, columns: built };
}

export function rowRange(column: string, first: number, rows: number): string {
  return `${column} >= ${sqlInteger(first, 'first')} AND ${column} < ${sqlInteger(first + rows, 'slice end')}`;
}
