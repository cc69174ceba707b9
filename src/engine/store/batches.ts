// Batches: one Parquet file each, of the events of some files or fetches. A batch counts only
// once its file is complete and its row committed, together with its members, their counts
// and their problems; a Parquet file no row names is a leftover (of a crash, or replaced by
// compaction) and is removed when the store opens.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fileIdPredicate } from '../query';
import { sqlInteger, sqlPathList } from '../sqlText';
import { insertFetches, type LookupFetch } from './fetches';
import { insertFiles, type StoredLogFile } from './logFiles';
import { insertProblems, type StoredProblem } from './problems';
import { untimedRecordProblems } from './untimedRecords';
import { count, rows } from './writerSql';

/** What a batch holds: log files, or LookupEvents fetches, and what was found wrong while reading them. */
export interface BatchContents {
  readonly files?: readonly StoredLogFile[];
  readonly fetches?: readonly LookupFetch[];
  /** Problems found while reading, by file or fetch id. */
  readonly problems?: ReadonlyMap<number, readonly StoredProblem[]>;
}

export const batchFileName = (id: number): string => `batch-${id}.parquet`;

/**
 * Records a written batch and its members (inside the caller's transaction). Records without
 * a usable eventTime cannot be placed in any window: they stay in the Parquet file (no window
 * ever selects them) and are reported, one problem a member naming the records. Returns the
 * events stored (records with a time).
 */
export async function insertBatch(db: DuckDBConnection, id: number, parquet: string, contents: BatchContents): Promise<number> {
  const events = `read_parquet(${sqlPathList([parquet])})`;
  // One read of the file for every count (the batch's rows, each member's rows and events),
  // kept in DuckDB: the members' counts never come into JavaScript, where a cold scan's
  // 146,305 files made 87 MB of garbage of them and their parameters, on the editor's
  // thread. The table goes with the caller's transaction: dropped at its end, or rolled
  // back with it. The untimed records, rare, are read again only when there are some.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE batch_counts AS SELECT _file AS member, count(*) AS all_rows, count(_ts) AS timed FROM ${events} GROUP BY _file`,
  );
  const [[allRows, timedRows]] = (await rows(db, 'SELECT coalesce(sum(all_rows), 0), coalesce(sum(timed), 0) FROM temp.batch_counts')) as [
    [bigint, bigint],
  ];
  const all = Number(allRows);
  const timed = Number(timedRows);
  await db.run(`INSERT INTO store.batches VALUES (${sqlInteger(id, 'batch id')}, ${sqlInteger(all, 'row count')})`);
  await insertFiles(db, contents.files ?? [], id);
  await insertFetches(db, contents.fetches ?? [], id);
  for (const [origin, problems] of contents.problems ?? []) await insertProblems(db, origin, problems);
  for (const table of ['store.files', 'store.fetches']) {
    await db.run(`UPDATE ${table} SET events = c.timed, rows = c.all_rows FROM temp.batch_counts AS c WHERE ${table}.id = c.member`);
  }
  await db.run('DROP TABLE temp.batch_counts');
  if (timed < all) await db.run(`INSERT INTO store.problems ${untimedRecordProblems(events)}`);
  return timed;
}

/** The Parquet files (by batch id) holding the events of these files or fetches. */
export async function batchesOf(db: DuckDBConnection, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return (
    await rows(
      db,
      `SELECT DISTINCT batch FROM (SELECT id, batch FROM store.files UNION ALL SELECT id, batch FROM store.fetches)
     WHERE batch IS NOT NULL AND ${fileIdPredicate(ids, 'id')} ORDER BY batch`,
    )
  ).map(([id]) => Number(id));
}

export async function lastBatchId(db: DuckDBConnection): Promise<number> {
  return count(db, 'SELECT coalesce(max(id), 0) FROM store.batches');
}

/** Removes the Parquet files of the events folder that no batch row names. */
export async function removeUnlistedBatches(db: DuckDBConnection, eventsDir: string): Promise<void> {
  const listed = new Set((await rows(db, 'SELECT id FROM store.batches')).map(([id]) => batchFileName(Number(id))));
  for (const name of readdirSync(eventsDir)) {
    if (!listed.has(name)) rmSync(join(eventsDir, name), { force: true });
  }
}
