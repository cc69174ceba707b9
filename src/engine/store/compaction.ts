// Compaction: batches rewritten so that a warm query opens few Parquet files and reads no
// dead rows. Two things make a store worse with use:
// - small batches: every LookupEvents range fetched (a wider window's missing day, each part
//   stored while paging) and every run that finds a few new log files writes one, and a warm
//   query opens each (docs/local-logs.md has the figures);
// - dead rows: a log file that changed is read again into a new batch, and its old events
//   stay in the batch it shared with other files, unseen but read past by every query.
// Live rows of a group of batches are copied into one new Parquet file, the catalogue moves
// their members to it in one transaction, and only then are the old files retired (removed
// when the store closes, or at the next open after a crash): a crash at any point leaves
// either the old batches or the new one counted, never both, never neither.
import { chmodSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlPathList, sqlString } from '../sqlText';
import { BATCH_MEMBERS } from './catalogueLayout';
import { idList, inTransaction, rows } from './writerSql';
import { BATCH_PARQUET } from './batchFormat';

export interface CompactionPolicy {
  /** A batch with fewer live rows than this is small. */
  readonly smallBatchRows: number;
  /** Small batches are merged once there are this many. */
  readonly smallBatchesToMerge: number;
  /** A batch whose dead rows are at least this share of its rows is rewritten. */
  readonly deadShare: number;
  /** A merged batch holds at most about this many rows. */
  readonly mergedBatchRows: number;
}

/**
 * Small is below a fifth of a typical bulk batch of log files (48 MB of gzip, about 100,000
 * events). 32 small batches cost a warm query about what one more large batch does, so
 * merging fewer would be work for nothing (bench/compaction.ts measures both ends).
 */
export const DEFAULT_COMPACTION: CompactionPolicy = {
  smallBatchRows: 20_000,
  smallBatchesToMerge: 32,
  deadShare: 0.25,
  mergedBatchRows: 500_000,
};

export interface BatchShape {
  readonly id: number;
  /** Rows written. */
  readonly rows: number;
  /** Rows of members the catalogue still lists. */
  readonly live: number;
}

export interface CompactionPlan {
  /** Batches to rewrite, each group into one new batch. */
  readonly groups: readonly (readonly number[])[];
  readonly smallBatches: number;
  readonly deadRows: number;
}

export async function batchShapes(db: DuckDBConnection): Promise<BatchShape[]> {
  const found = await rows(
    db,
    `SELECT b.id, b.rows, coalesce(sum(m.rows), 0) FROM store.batches b LEFT JOIN ${BATCH_MEMBERS} m ON m.batch = b.id
     GROUP BY b.id, b.rows ORDER BY b.id`,
  );
  return found.map(([id, total, live]) => ({ id: Number(id), rows: Number(total), live: Number(live) }));
}

export function planCompaction(shapes: readonly BatchShape[], policy: CompactionPolicy = DEFAULT_COMPACTION): CompactionPlan {
  const dead = (b: BatchShape): number => b.rows - b.live;
  const deadHeavy = shapes.filter((b) => dead(b) > 0 && dead(b) >= policy.deadShare * b.rows);
  const small = shapes.filter((b) => b.live < policy.smallBatchRows);
  const chosen = new Set([...deadHeavy, ...(small.length >= policy.smallBatchesToMerge ? small : [])]);
  const groups: BatchShape[][] = [];
  let group: BatchShape[] = [];
  let live = 0;
  for (const batch of shapes.filter((b) => chosen.has(b))) {
    if (group.length > 0 && live + batch.live > policy.mergedBatchRows) {
      groups.push(group);
      group = [];
      live = 0;
    }
    group.push(batch);
    live += batch.live;
  }
  if (group.length > 0) groups.push(group);
  // A group of one batch is worth rewriting only for its dead rows.
  const worth = groups.filter((g) => g.length > 1 || g.some((batch) => dead(batch) > 0));
  return {
    groups: worth.map((g) => g.map((b) => b.id)),
    smallBatches: small.length,
    deadRows: worth.flat().reduce((sum, b) => sum + dead(b), 0),
  };
}

/** Writes the live rows of a group of batches into `parquet`. Nothing counts it until commitCompacted. */
export async function writeCompacted(
  db: DuckDBConnection,
  group: readonly number[],
  paths: readonly string[],
  parquet: string,
): Promise<void> {
  await db.run(`COPY (
      SELECT * FROM read_parquet(${sqlPathList(paths)})
      WHERE _file IN (SELECT id FROM ${BATCH_MEMBERS} WHERE batch IN ${idList(group)})
    ) TO ${sqlString(parquet)} (${BATCH_PARQUET})`);
  // As private as the logs, whatever the process's umask (see batchWrite.ts).
  chmodSync(parquet, 0o600);
}

/** Moves the group's members to the new batch and drops the old batches' rows, in one transaction. */
export async function commitCompacted(db: DuckDBConnection, id: number, parquet: string, group: readonly number[]): Promise<void> {
  const old = idList(group);
  await inTransaction(db, undefined, async () => {
    await db.run(`
      INSERT INTO store.batches SELECT ${id}, count(*) FROM read_parquet(${sqlPathList([parquet])});
      UPDATE store.files SET batch = ${id} WHERE batch IN ${old};
      UPDATE store.fetches SET batch = ${id} WHERE batch IN ${old};
      DELETE FROM store.batches WHERE id IN ${old};`);
  });
}
