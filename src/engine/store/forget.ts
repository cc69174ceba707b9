// Forgetting files (changed since they were read) and fetches (never kept): their rows and
// problems go in one transaction, and a batch left with no member goes with them. Events of a
// forgotten member that share a batch with others stay in it, unseen (every query selects its
// origins by id), until compaction drops them (compaction.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import { BATCH_MEMBERS } from './catalogueLayout';
import { idList, inTransaction, rows } from './writerSql';

/** Returns the ids of the batches that no longer hold anything (their files are the caller's to remove). */
export async function forgetOrigins(db: DuckDBConnection, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const list = idList(ids);
  return inTransaction(db, undefined, async () => {
    await db.run(`
      DELETE FROM store.problems WHERE origin IN ${list};
      DELETE FROM store.files WHERE id IN ${list};
      DELETE FROM store.fetches WHERE id IN ${list};`);
    const orphans = (
      await rows(db, `SELECT id FROM store.batches WHERE id NOT IN (SELECT batch FROM ${BATCH_MEMBERS} WHERE batch IS NOT NULL)`)
    ).map(([id]) => Number(id));
    if (orphans.length > 0) await db.run(`DELETE FROM store.batches WHERE id IN ${idList(orphans)}`);
    return orphans;
  });
}
