// Brings log files into the event store: new and changed files are parsed, unchanged ones
// (same path, size and mtime) are taken from the cache as they are.
//
// Log files are read in a child process, the ingest worker (ingestWorker.ts): a file shaped
// to crash a reader takes that process down, not this one. The fast path hands whole
// batches of files to the worker, which has DuckDB's JSON reader parse them, in parallel,
// into one Parquet file a batch, two batches in flight (requestSlots.ts); a batch's small
// gzip files are read from packs (packedLogs.ts), the reader's cost per file being most of
// a small file's parse. When a batch fails, or the worker dies on it, it is split until the
// failing file is alone, and that file is checked (size, depth, encoding: vetLogFile) and
// read record by record (readLogFile) so that its good records still load and each bad one
// is reported; a file that still kills the worker is reported as such. A batch counts only
// once its file is complete and its row is committed (the store's catalogue,
// src/engine/store, does both in one transaction): an interrupted run leaves no half-read
// file behind.
//
// This process's DuckDB never opens a log file: it keeps the catalogue and reads the
// Parquet files the worker wrote.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventStore } from '../../engine/eventStore';
import type { KnownFile } from '../../engine/store/logFiles';
import type { LogFile } from './discover';
import { IngestWorker, WorkerCrashed } from './ingestWorkerClient';
import { commonFolders } from './commonFolder';
import { RequestSlots } from './requestSlots';
import { sniffLogFormats, type LogFormat } from './logFormat';
import type { ReadAs } from './exportShapes';
import type { RecordProblem } from './readLogFile';
import { Cancelled } from '../../protocol/cancelled';

export interface IngestProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Bytes (as stored: gzip for .gz) of the files this scan parses, read so far and in all. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly events: number;
  readonly elapsedMs: number;
  /** What the files are read for, when not the scan's own purpose ("finding the files that can match"). */
  readonly phase?: string;
}

export interface IngestOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Tests only: see WorkerSetup.maxJsonDepth. */
  readonly maxJsonDepth?: number;
  /**
   * Tests only: the worker's DuckDB memory limit in place of WORKER_MEMORY_LIMIT, small
   * enough for a test's files to run it out of memory (DuckDB's form: '200MB').
   */
  readonly workerMemoryLimit?: string;
  /**
   * Told when a batch is read again alone because its request failed beside another (the
   * worker ran out of memory, or died): `why` is that failure. Diagnostics; tests watch it.
   */
  readonly onReadAgainAlone?: (paths: readonly string[], why: string) => void;
}

export interface FileProblem {
  readonly path: string;
  readonly record?: number;
  readonly line?: number;
  readonly message: string;
}

export interface IngestResult {
  /** Store ids of every file given, for the run's view. */
  readonly fileIds: number[];
  /** The Parquet files holding their events. */
  readonly batchFiles: string[];
  /** Files parsed in this run; the others came from the cache. */
  readonly filesParsed: number;
  readonly filesCached: number;
  readonly eventsParsed: number;
  /** Every problem of every file given, including those found in earlier runs. */
  readonly problems: FileProblem[];
}

interface PendingFile extends LogFile {
  readonly id: number;
  format: LogFormat | undefined;
  /** Read by the careful reader from the start (an export, see exportShapes.ts). */
  careful: boolean;
  readAs: ReadAs | undefined;
}

/**
 * Every field set here, in one literal: V8 then gives all pending files one hidden class.
 * Spreading the listed file (`{ ...file, id }`, a double among its fields) and adding fields
 * later gave each its own, about 250 bytes a file beside the file's own 100 (146,305 files:
 * 36 MB of the process's 100 MB heap).
 */
function pendingFile(file: LogFile, id: number): PendingFile {
  return { path: file.path, size: file.size, mtimeMs: file.mtimeMs, id, format: undefined, careful: false, readAs: undefined };
}

/**
 * A batch ends before this much (as stored: gzip for .gz), about two seconds' parse on one
 * thread. By bytes rather than files: a trail of small files (a quiet region's few events
 * every five minutes) makes batches of 40,000 events or more, which compaction need not
 * merge (DEFAULT_COMPACTION.smallBatchRows), where 1,000 files a batch made 7,000.
 */
const BATCH_BYTES = 16 * 1024 * 1024;
/** And at this many files, which the reader's statement lists one by one. */
const BATCH_FILES = 8000;
/** Batches the worker works on at once (requestSlots.ts), each on one thread of its DuckDB. */
const BATCHES_IN_FLIGHT = 2;
/**
 * The worker's DuckDB threads: one, so that the two batches in flight are two statements on
 * two cores rather than four threads on two. Measured on 1,027,068 events in 267 files of
 * 0.1–6 MB (docs/local-logs.md, "Two batches, one thread each"): two statements of two
 * threads each spent half as much CPU again as one statement at a time, and the four files
 * they parsed at once (one 73 MB of JSON) ran the worker out of memory, which read those
 * batches again in halves. A scan of more than a few megabytes therefore has at least two
 * batches (batches()), and a request that runs alone (after a crash, the careful reader)
 * runs on one thread.
 */
const WORKER_THREADS = 1;
/** Files smaller than this in all (about a second's parse) are one batch: a second statement would cost more than the core it adds. */
const SPLIT_FROM_BYTES = 4 * 1024 * 1024;
/**
 * The worker's DuckDB may use this much. One `{"Records": [...]}` file is one JSON value
 * to its reader, up to MAX_LOG_BYTES (256 MB) of text and a few times that parsed, on each
 * of a few threads; measured scans of generated logs peak well below it. A batch that
 * needs more fails, and is split and read file by file instead.
 */
export const WORKER_MEMORY_LIMIT = '2GB';
/** DuckDB's words for a statement that needed more than its memory limit (WORKER_MEMORY_LIMIT). */
export const isOutOfMemory = (message: string): boolean => /^Out of Memory Error\b/.test(message);

export async function ingestLogFiles(store: EventStore, files: readonly LogFile[], options: IngestOptions = {}): Promise<IngestResult> {
  const started = Date.now();
  const db = store.writer;
  const known = await store.catalogue.knownFiles();

  const fileIds: number[] = [];
  const pending: PendingFile[] = [];
  const stale: number[] = [];
  // Each file's entry in the catalogue, looked up once: a pass over 146,305 paths takes 0.1 s.
  const entries = files.map((file) => known.get(file.path));
  const unchanged = (file: LogFile, cached: KnownFile | undefined): boolean =>
    cached !== undefined && cached.size === file.size && cached.mtimeMs === file.mtimeMs;
  const changed = files.filter((file, i) => !unchanged(file, entries[i])).length;
  // Ids are never reused: a changed file's old events can outlive its row in a shared batch.
  // A warm run (nothing changed) reserves none, and so writes nothing to the catalogue.
  let nextId = changed > 0 ? await store.catalogue.reserveIds(changed) : 0;
  files.forEach((file, i) => {
    const cached = entries[i];
    if (cached && unchanged(file, cached)) return void fileIds.push(cached.id);
    if (cached) stale.push(cached.id);
    const id = nextId++;
    fileIds.push(id);
    pending.push(pendingFile(file, id));
  });

  let filesDone = files.length - pending.length;
  let events = 0;
  let bytesDone = 0;
  const bytesTotal = pending.reduce((sum, file) => sum + file.size, 0);
  const report = (): void =>
    options.onProgress?.({ filesDone, filesTotal: files.length, bytesDone, bytesTotal, events, elapsedMs: Date.now() - started });
  const checkAborted = (): void => {
    if (options.signal?.aborted) throw new Cancelled();
  };

  if (stale.length > 0) await store.catalogue.forget(stale);
  if (pending.length === 0) return finish();
  // How much there is to read, said before the first batch: the editor shows it at once.
  report();

  const scratchDir = join(dirname(store.eventsDir), 'scratch');
  // A worker that died mid-batch leaves its spill files: they are only ever of this run.
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const worker = new IngestWorker({
    logFolders: commonFolders(pending.map((file) => file.path)),
    scratchDir,
    eventsDir: store.eventsDir,
    memoryLimit: options.workerMemoryLimit ?? WORKER_MEMORY_LIMIT,
    threads: WORKER_THREADS,
    ...(options.maxJsonDepth ? { maxJsonDepth: options.maxJsonDepth } : {}),
  });
  // Node and DuckDB load in the worker's process while the files are sniffed.
  worker.warmUp();
  const context: BatchContext = {
    store,
    worker,
    signal: options.signal,
    slots: new RequestSlots(BATCHES_IN_FLIGHT),
    onReadAgainAlone: options.onReadAgainAlone,
  };
  const abortListener = (): void => {
    worker.kill();
    db.interrupt();
  };
  options.signal?.addEventListener('abort', abortListener);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  try {
    const sniffProblems = await sniffFormats(pending, options.signal);
    // Unreadable files are recorded too, so that later runs report them without reopening.
    const unreadable = pending.filter((file) => sniffProblems.has(file.id));
    if (unreadable.length > 0) {
      await recordUnreadable(
        store,
        options.signal,
        unreadable.map((file) => ({ file, problem: { message: sniffProblems.get(file.id)! } })),
      );
      filesDone += unreadable.length;
      bytesDone += unreadable.reduce((sum, file) => sum + file.size, 0);
      report();
    }
    const readable = pending.filter((file) => file.format !== undefined);
    for (const batch of batches(readable)) {
      // The next batch is handed over as soon as a slot is free (RequestSlots says why two).
      while (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      if (failure || options.signal?.aborted) break;
      const done: Promise<void> = ingestBatch(context, batch)
        .then(
          (stored) => {
            events += stored;
            filesDone += batch.length;
            bytesDone += batch.reduce((sum, file) => sum + file.size, 0);
            report();
          },
          (error: unknown) => void (failure ??= { error }),
        )
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    }
    // A batch still in flight ends (committed or not) before the scan says it failed:
    // nothing of this run may still be writing once the caller hears of it.
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  } finally {
    options.signal?.removeEventListener('abort', abortListener);
    worker.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
  checkAborted();
  return finish();

  async function finish(): Promise<IngestResult> {
    return {
      fileIds,
      batchFiles: await store.catalogue.batchFilesOf(fileIds),
      filesParsed: pending.length,
      filesCached: files.length - pending.length,
      eventsParsed: events,
      problems: await fileProblems(store, fileIds),
    };
  }
}

/** Sets each file's format from its first bytes (CloudTrail's own names are not opened); returns why a file cannot be read, by id. */
async function sniffFormats(pending: PendingFile[], signal: AbortSignal | undefined): Promise<Map<number, string>> {
  const problems = new Map<number, string>();
  const sniffed = await sniffLogFormats(pending, signal);
  pending.forEach((file, i) => {
    const one = sniffed[i];
    if (one === undefined || !('format' in one)) problems.set(file.id, one?.problem ?? 'not sniffed');
    else {
      file.format = one.format;
      if (one.careful) file.careful = true;
    }
  });
  return problems;
}

interface BatchContext {
  readonly store: EventStore;
  readonly worker: IngestWorker;
  readonly signal: AbortSignal | undefined;
  /** Worker requests in flight. */
  readonly slots: RequestSlots;
  readonly onReadAgainAlone: IngestOptions['onReadAgainAlone'];
}

/**
 * Files of one format for one reader (bulk or careful), in path order, in batches of a size
 * that keeps progress moving, and past a few megabytes at most half of the files each: two
 * batches in flight, each on one thread, are what keeps both cores busy (WORKER_THREADS).
 */
function* batches(files: PendingFile[]): Generator<PendingFile[]> {
  for (const format of ['records', 'array', 'objects'] as const) {
    for (const careful of [false, true]) {
      const these = files.filter((f) => f.format === format && f.careful === careful);
      const split = these.reduce((sum, f) => sum + f.size, 0) >= SPLIT_FROM_BYTES;
      const maxFiles = split ? Math.min(BATCH_FILES, Math.ceil(these.length / BATCHES_IN_FLIGHT)) : BATCH_FILES;
      let batch: PendingFile[] = [];
      let bytes = 0;
      for (const file of these) {
        if (batch.length > 0 && (bytes + file.size > BATCH_BYTES || batch.length >= maxFiles)) {
          yield batch;
          batch = [];
          bytes = 0;
        }
        batch.push(file);
        bytes += file.size;
      }
      if (batch.length > 0) yield batch;
    }
  }
}

/**
 * Returns the number of events stored. `alone`: the batch is read with no other request in
 * flight, so that a crash of the worker is its own (after a crash, see RequestSlots).
 */
async function ingestBatch(context: BatchContext, batch: PendingFile[], alone = false): Promise<number> {
  const { store, worker, signal } = context;
  const [first] = batch;
  if (first === undefined) return 0;
  const format = first.format!;
  let suspects = batch;
  let crash: string | undefined;
  if (format !== 'objects' && !first.careful) {
    const reserved = store.catalogue.reserveBatch();
    const parquet = reserved.parquet;
    const reply = await context.slots
      .run(alone, () =>
        worker.request({ op: 'bulk', format, files: batch.map((f) => ({ id: f.id, path: f.path, size: f.size })), parquet }),
      )
      .catch((error: Error) => {
        rmSync(parquet, { force: true });
        if (signal?.aborted) throw new Cancelled();
        // A crash says only that some file of the batch is to blame: all are suspects.
        if (!(error instanceof WorkerCrashed)) throw error;
        crash = error.message;
        return undefined;
      });
    // The worker died with other requests in flight: which one killed it is not known, so
    // the batch is read again, alone, before any of its files is suspected.
    if (!reply && !alone) return readAgainAlone(context, batch, crash ?? 'the worker died');
    if (reply) {
      const refused = reply.verdicts.filter((v) => v.refused);
      await recordUnreadable(
        store,
        signal,
        refused.map((v) => ({ file: batch.find((f) => f.id === v.id)!, problem: v.refused! })),
      );
      const read = batch.filter((f) => !refused.some((v) => v.id === f.id));
      if (reply.written) {
        // Only the files with problems: a Map entry, and an await to store nothing, for each of
        // a batch's thousands of files was garbage and microtasks in the editor's host.
        const problems = new Map(reply.verdicts.filter((v) => v.problems.length > 0).map((v) => [v.id, v.problems]));
        return store.catalogue.commitBatch(reserved, { files: read, problems }, signal);
      }
      if (!reply.error) return 0; // every file was refused, each with its reason
      // Out of memory beside another batch is not the files' fault: read them again alone first.
      if (!alone && isOutOfMemory(reply.error)) return readAgainAlone(context, read, reply.error);
      suspects = read;
    }
    if (suspects.length > 1) {
      const half = Math.ceil(suspects.length / 2);
      return (await ingestBatch(context, suspects.slice(0, half), alone)) + (await ingestBatch(context, suspects.slice(half), alone));
    }
  }
  let stored = 0;
  for (const file of suspects) stored += await ingestCarefully(context, file, crash);
  return stored;
}

/** A batch whose request failed beside another (`why`), read again with nothing else in flight. */
function readAgainAlone(context: BatchContext, batch: PendingFile[], why: string): Promise<number> {
  context.onReadAgainAlone?.(
    batch.map((file) => file.path),
    why,
  );
  return ingestBatch(context, batch, true);
}

/** One file, record by record, in the worker: what loads is kept, each bad record reported. */
async function ingestCarefully(context: BatchContext, file: PendingFile, crash: string | undefined): Promise<number> {
  // When DuckDB's reader died on this file alone, every problem of the file says so.
  const crashed = (message: string): string => (crash ? `the JSON reader crashed on this file (${crash}), and ${message}` : message);
  const { store, worker, signal } = context;
  const reserved = store.catalogue.reserveBatch();
  const parquet = reserved.parquet;
  let reply;
  try {
    // Alone: a crash here is reported as this file's.
    reply = await context.slots.run(true, () =>
      worker.request({ op: 'careful', format: file.format!, file: { id: file.id, path: file.path }, parquet }),
    );
  } catch (error) {
    rmSync(parquet, { force: true });
    if (signal?.aborted) throw new Cancelled();
    if (!(error instanceof WorkerCrashed)) throw error;
    await recordUnreadable(store, signal, [
      { file, problem: { message: crashed(`the careful reader crashed on it (${error.message}): not read`) } },
    ]);
    return 0;
  }
  if (!reply.written) {
    const refused = reply.verdict.refused ?? { message: 'not read' };
    await recordUnreadable(store, signal, [{ file, problem: { ...refused, message: crashed(refused.message) } }]);
    return 0;
  }
  if (reply.verdict.readAs) file.readAs = reply.verdict.readAs;
  return store.catalogue.commitBatch(reserved, { files: [file], problems: new Map([[file.id, reply.verdict.problems]]) }, signal);
}

/** Files that were not read, each with why: kept so that later runs report them without reopening. */
function recordUnreadable(
  store: EventStore,
  signal: AbortSignal | undefined,
  files: readonly { file: PendingFile; problem: RecordProblem }[],
): Promise<void> {
  return store.catalogue.addUnreadable(files, signal);
}

/** The problems of stored log files, each named by its path. */
async function fileProblems(store: EventStore, ids: readonly number[]): Promise<FileProblem[]> {
  return (await store.catalogue.problemsOf(ids)).map(({ origin: _origin, path, ...problem }) => ({ path: path ?? '', ...problem }));
}
