// Events fetched for the last 15 minutes of a window are stored for the run that fetched
// them, but never kept as fetched (CloudTrail delivers late), and a range cancelled while
// paging is not kept either. Nothing reads them again: they are removed, catalogue rows
// and Parquet files, before a source fetches anything new.
import { existsSync, rmSync } from 'node:fs';
import type { EventStore } from '../../engine/eventStore';

/** How ingestRecords names what LookupEvents returned (see lookupSource.ts). */
export const LOOKUP_FILE_PREFIX = 'LookupEvents ';

export async function removeUnkeptFetches(store: EventStore): Promise<number> {
  const db = store.writer;
  const dead = `SELECT id FROM store.files
    WHERE starts_with(path, '${LOOKUP_FILE_PREFIX}') AND id NOT IN (SELECT file_id FROM store.lookup_ranges)`;
  const [[count]] = (await db.runAndReadAll(`SELECT count(*) FROM (${dead})`)).getRowsJS() as [[bigint]];
  if (Number(count) === 0) return 0;
  await db.run('BEGIN TRANSACTION');
  let batches: number[];
  try {
    await db.run(`DELETE FROM store.problems WHERE file_id IN (${dead})`);
    await db.run(`DELETE FROM store.files WHERE id IN (${dead})`);
    // A batch no file names any more holds only dead events.
    batches = (await db.runAndReadAll(`SELECT id FROM store.batches WHERE id NOT IN (SELECT batch FROM store.files WHERE batch IS NOT NULL)`))
      .getRowsJS()
      .map(([id]) => Number(id));
    if (batches.length > 0) await db.run(`DELETE FROM store.batches WHERE id IN (${batches.join(', ')})`);
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK');
    throw error;
  }
  // After the commit: a Parquet file left by a crash here is removed when the store next opens.
  for (const id of batches) {
    const path = store.batchPath(id);
    if (existsSync(path)) rmSync(path, { force: true });
  }
  return Number(count);
}
