// Ids of where events came from (a log file, a LookupEvents fetch): one sequence, never
// reused. A forgotten origin's events can outlive its row in a shared batch until compaction
// drops them, and a new origin given its id would bring them back.
import type { DuckDBConnection } from '@duckdb/node-api';
import { count } from './writerSql';

/** Reserves `n` new ids and returns the first. */
export async function reserveOriginIds(db: DuckDBConnection, n: number): Promise<number> {
  const last = await count(
    db,
    `SELECT greatest(coalesce((SELECT max(id) FROM store.files), 0), coalesce((SELECT max(id) FROM store.fetches), 0),
                     coalesce((SELECT max(CAST(value AS INTEGER)) FROM store.meta WHERE key = 'last_file_id'), 0))`,
  );
  const first = last + 1;
  await db.run(`DELETE FROM store.meta WHERE key = 'last_file_id';
    INSERT INTO store.meta VALUES ('last_file_id', '${first + n - 1}')`);
  return first;
}
