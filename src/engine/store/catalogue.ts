// The event store's catalogue, as the sources see it: a typed API over the tables of
// catalogueLayout.ts (add a batch from any source, forget, list, compact), and the only code
// that reads or writes them.
//
// The store has one writing connection, and sources write from several tasks at once
// (LookupEvents reads accounts and regions in parallel): every call here takes its turn, so
// no transaction interleaves with another, and a batch's Parquet write and its commit happen
// in one turn.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Cancelled } from '../../protocol/cancelled';
import { batchesOf, batchFileName, insertBatch, lastBatchId, removeUnlistedBatches, type BatchContents } from './batches';
import {
  batchShapes,
  commitCompacted,
  DEFAULT_COMPACTION,
  planCompaction,
  writeCompacted,
  type CompactionPlan,
  type CompactionPolicy,
} from './compaction';
import { insertFetches, keepFetches, keptRanges, unkeptFetchIds, type FetchedRange } from './fetches';
import { forgetOrigins } from './forget';
import { insertFiles, knownFiles, readingFacts, type KnownFile, type ReadingFact, type StoredLogFile } from './logFiles';
import { reserveOriginIds } from './originIds';
import { insertProblems, problemsOf, type OriginProblem, type StoredProblem } from './problems';
import { KnownFilesMemo } from './knownFilesMemo';
import { inTransaction } from './writerSql';

/** A batch id and where its Parquet file goes, reserved before it is written. */
export interface ReservedBatch {
  readonly id: number;
  readonly parquet: string;
}

export interface CompactionResult {
  /** Batches rewritten, and the batches they became. */
  readonly batchesBefore: number;
  readonly batchesAfter: number;
  readonly deadRowsDropped: number;
}

/** What tidying before a run did: a compaction, or why one failed (for the run's notes). */
export interface TidyResult {
  readonly compacted?: CompactionResult;
  readonly failure?: string;
}

export class StoreCatalogue {
  private turn: Promise<unknown> = Promise.resolve();
  /** Batch ids are given out here: one process holds a store (DuckDB locks it), so memory is enough. */
  private nextBatch: number;
  /** Parquet files replaced by compaction: a scope handed out earlier may still read them until the store closes. */
  private readonly retired = new Set<string>();

  private constructor(
    private readonly db: DuckDBConnection,
    /** Where the batches' Parquet files live. */
    readonly eventsDir: string,
    lastBatch: number,
  ) {
    this.nextBatch = lastBatch + 1;
  }

  /** The catalogue of an attached store: leftovers of an interrupted run (unlisted Parquet files) are removed first. */
  static async open(db: DuckDBConnection, eventsDir: string): Promise<StoreCatalogue> {
    await removeUnlistedBatches(db, eventsDir);
    return new StoreCatalogue(db, eventsDir, await lastBatchId(db));
  }

  /** The Parquet file of a batch. Only the id is stored, so a cache folder can move. */
  batchPath(id: number): string {
    return join(this.eventsDir, batchFileName(id));
  }

  /** knownFiles()' answer, kept between writes (knownFilesMemo.ts). */
  private readonly known = new KnownFilesMemo();

  /** Before any write of the catalogue's tables that the memo does not follow. */
  private writing(): void {
    this.known.forget();
  }

  /** Runs `work` when every call before it has finished, failed or not. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** New ids for files or fetches, never given before: returns the first of `count`. */
  reserveIds(count: number): Promise<number> {
    return this.exclusive(() => reserveOriginIds(this.db, count));
  }

  /** A batch id for a Parquet file written elsewhere (the ingest worker); it counts once committed. */
  reserveBatch(): ReservedBatch {
    const id = this.nextBatch++;
    return { id, parquet: this.batchPath(id) };
  }

  /**
   * Commits a written batch with its members, their counts and problems, in one transaction;
   * returns the events stored. When the commit fails (or is cancelled) the Parquet file is
   * removed: nothing of the batch counts.
   */
  commitBatch(batch: ReservedBatch, contents: BatchContents, signal?: AbortSignal): Promise<number> {
    return this.exclusive(() => this.commitNow(batch, contents, signal));
  }

  private async commitNow(batch: ReservedBatch, contents: BatchContents, signal: AbortSignal | undefined): Promise<number> {
    try {
      return await this.known.changing({ added: contents.files }, () =>
        inTransaction(this.db, signal, () => insertBatch(this.db, batch.id, batch.parquet, contents)),
      );
    } catch (error) {
      rmSync(batch.parquet, { force: true });
      throw error;
    }
  }

  /**
   * Writes a batch on the store's connection (`write` puts the events in `parquet`) and
   * commits it, in one turn. Nothing to write (an empty fetch): the members are recorded
   * with no batch, so that an empty range still counts as fetched.
   */
  addBatch(
    contents: BatchContents,
    write: ((db: DuckDBConnection, parquet: string) => Promise<void>) | undefined,
    signal?: AbortSignal,
  ): Promise<number> {
    return this.exclusive(async () => {
      if (signal?.aborted) throw new Cancelled();
      if (!write) {
        await this.known.changing({ added: contents.files }, () =>
          inTransaction(this.db, signal, async () => {
            await insertFiles(this.db, contents.files ?? [], null);
            await insertFetches(this.db, contents.fetches ?? [], null);
            for (const [origin, problems] of contents.problems ?? []) await insertProblems(this.db, origin, problems);
          }),
        );
        return 0;
      }
      const batch = this.reserveBatch();
      try {
        await write(this.db, batch.parquet);
      } catch (error) {
        rmSync(batch.parquet, { force: true });
        throw signal?.aborted ? new Cancelled({ cause: error }) : error;
      }
      return this.commitNow(batch, contents, signal);
    });
  }

  /** Files that could not be read, each with why: kept so that later runs report them without reopening. */
  addUnreadable(files: readonly { file: StoredLogFile; problem: StoredProblem }[], signal?: AbortSignal): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    const stored = files.map(({ file }) => ({ ...file, format: undefined }));
    return this.exclusive(() =>
      this.known.changing({ added: stored }, () =>
        inTransaction(this.db, signal, async () => {
          await insertFiles(this.db, stored, null);
          for (const { file, problem } of files) await insertProblems(this.db, file.id, [problem]);
        }),
      ),
    );
  }

  /** Every log file read before, by path. */
  knownFiles(): Promise<ReadonlyMap<string, KnownFile>> {
    return this.exclusive(() => this.known.read(() => knownFiles(this.db)));
  }

  /**
   * Forgets files or fetches: their rows, problems, and any batch left holding nothing (its
   * file removed at once: nothing can still need a batch of forgotten members only).
   */
  forget(ids: readonly number[]): Promise<void> {
    return this.exclusive(async () => {
      const emptied = await this.known.changing({ removed: ids }, () => forgetOrigins(this.db, ids));
      for (const id of emptied) rmSync(this.batchPath(id), { force: true });
    });
  }

  /** The Parquet files holding the events of these files or fetches. */
  batchFilesOf(ids: readonly number[]): Promise<string[]> {
    return this.exclusive(async () => (await batchesOf(this.db, ids)).map((id) => this.batchPath(id)));
  }

  problemsOf(ids: readonly number[]): Promise<OriginProblem[]> {
    return this.exclusive(() => problemsOf(this.db, ids));
  }

  /** How these files were read, when not as CloudTrail writes them (the run's reading notes). */
  readingFacts(ids: readonly number[]): Promise<ReadingFact[]> {
    return this.exclusive(() => readingFacts(this.db, ids));
  }

  /** Kept LookupEvents ranges of one account, region and attribute that overlap `range`. */
  keptRanges(
    where: { account: string; region: string; attribute: string },
    range: { start: number; end: number },
  ): Promise<FetchedRange[]> {
    return this.exclusive(() => keptRanges(this.db, where, range));
  }

  /** Marks fetches kept: every page of their settled range is in. */
  keepFetches(ids: readonly number[]): Promise<void> {
    return this.exclusive(() => keepFetches(this.db, ids));
  }

  /** Forgets what earlier runs fetched but did not keep; returns how many fetches. */
  forgetUnkeptFetches(): Promise<number> {
    return this.exclusive(async () => {
      const ids = await unkeptFetchIds(this.db);
      // Most runs have none: the known files stay remembered for the next cell's run.
      if (ids.length === 0) return 0;
      const emptied = await this.known.changing({ removed: ids }, () => forgetOrigins(this.db, ids));
      for (const id of emptied) rmSync(this.batchPath(id), { force: true });
      return ids.length;
    });
  }

  /** What compaction would do now. */
  compactionPlan(policy: CompactionPolicy = DEFAULT_COMPACTION): Promise<CompactionPlan> {
    return this.exclusive(async () => planCompaction(await batchShapes(this.db), policy));
  }

  /**
   * Rewrites the plan's groups, each into one batch (see compaction.ts): one turn a group,
   * so other writers wait for one group at most. The old files are retired, not removed: a
   * scope handed out before may still read them until the store closes.
   */
  async compact(plan: CompactionPlan, signal?: AbortSignal): Promise<CompactionResult> {
    let batchesBefore = 0;
    for (const group of plan.groups) {
      if (signal?.aborted) throw new Cancelled();
      await this.exclusive(async () => {
        this.writing();
        const batch = this.reserveBatch();
        try {
          await writeCompacted(
            this.db,
            group,
            group.map((id) => this.batchPath(id)),
            batch.parquet,
          );
          await commitCompacted(this.db, batch.id, batch.parquet, group);
        } catch (error) {
          rmSync(batch.parquet, { force: true });
          throw error;
        }
        for (const id of group) this.retired.add(this.batchPath(id));
      });
      batchesBefore += group.length;
    }
    return { batchesBefore, batchesAfter: plan.groups.length, deadRowsDropped: plan.deadRows };
  }

  /** Compacts when the default policy finds it worth it; returns what was done, if anything. */
  async compactIfWorthIt(signal?: AbortSignal): Promise<CompactionResult | undefined> {
    const plan = await this.compactionPlan();
    return plan.groups.length === 0 ? undefined : this.compact(plan, signal);
  }

  /**
   * Once a run, before it stores or scans anything (the sources call it on their first
   * prepare): forgets the fetches earlier runs did not keep, and compacts when worth it. A
   * run's own scope never loses a file to this; one of an earlier run keeps reading the files
   * compaction replaced until the store closes.
   */
  async tidy(signal?: AbortSignal): Promise<TidyResult> {
    await this.forgetUnkeptFetches();
    try {
      const compacted = await this.compactIfWorthIt(signal);
      return compacted ? { compacted } : {};
    } catch (error) {
      if (signal?.aborted) throw error;
      // Compaction only makes queries faster: the batches as they are still answer them.
      return { failure: `the store could not be compacted (${(error as Error).message}): queries read its batches as they are` };
    }
  }

  /** Removes the files compaction replaced: called when the store closes. */
  removeRetired(): void {
    for (const path of this.retired) if (existsSync(path)) rmSync(path, { force: true });
    this.retired.clear();
  }
}
