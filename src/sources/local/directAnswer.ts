// The first cell of a cold scan, answered from the JSON as it is parsed. Writing the cache
// costs as much as parsing (docs/local-logs.md), and the responder waits for the first
// answer: so when no file of the scan is cached yet, the ingest worker reads the files once
// keeping only the columns the cell reads (cellColumns.ts) into uncompressed Parquet files,
// the cell runs on those through the same guard and locked instance as always, and the
// cache is written after (localLogs.ts).
//
// The answer must be the one the cache gives, so this path is taken only where it can be
// exact, and gives up (undefined: the normal scan runs) everywhere else:
// - every file is new to the cache, and every one is for the bulk reader (CloudTrail's own
//   `Records`, or a plain array): exports, NDJSON and unreadable files need the careful
//   reader, which unwraps and reports record by record;
// - the cell names its columns (no `*`), and binds to the same result over them;
// - the reader reads every file: a file it fails on would be split and read the careful way
//   by the full scan, so nothing is answered from a partial read.
// eventTime is stored as the full scan stores it (storedEventTime.ts), and records without
// a usable time are reported alike (untimedRecords.ts).
//
// When the cell's WHERE requires strings (engine/requiredValues.ts), only the files whose
// text holds them are read (valuePrefilter.ts): the answer is the same, but the counts and
// problems of the files left unread come with the cache (DirectAnswer.skipped).
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventStore } from '../../engine/eventStore';
import { projectionForTree, type NarrowRead } from '../../engine/cellColumns';
import { valuesTheCellRequires, type RequiredValues } from '../../engine/requiredValues';
import { parseSelect } from '../../engine/sqlGuard';
import { sqlPathList, sqlString } from '../../engine/sqlText';
import { Cancelled } from '../../protocol/cancelled';
import type { LogFile } from './discover';
import { WORKER_MEMORY_LIMIT, type FileProblem, type IngestOptions, type IngestResult } from './ingest';
import { commonFolders } from './commonFolder';
import { IngestWorker } from './ingestWorkerClient';
import { sniffLogFormats } from './logFormat';
import { filesThatCanMatch } from './valuePrefilter';
import { untimedRecordProblems } from '../../engine/store/untimedRecords';

export interface DirectAnswer {
  /** The scan as read so far: files under ids of their own (negative: never the cache's), the narrow batches. */
  readonly ingest: IngestResult;
  /** The columns the batches hold: the cell's view has only these. */
  readonly columns: readonly string[];
  /** Files left unread because their text holds none of the strings the cell requires: 0 when every file was read. */
  readonly skipped: number;
  /** Removes the narrow batches, once the cache holds the events. */
  discard(): void;
}

/** Files a request: small enough for progress to move, large enough to keep both cores busy. */
const REQUEST_BYTES = 64 * 1024 * 1024;

type BulkFormat = 'records' | 'array';

export async function answerFromLogs(
  store: EventStore,
  files: readonly LogFile[],
  sql: string,
  options: IngestOptions = {},
): Promise<DirectAnswer | undefined> {
  if (files.length === 0) return undefined;
  const cached = await store.catalogue.knownFiles();
  if (files.some((file) => cached.has(file.path))) return undefined;
  const checker = await store.connect();
  const { read, required } = await narrowing(checker, sql).finally(() => checker.closeSync());
  if (read === undefined) return undefined;

  const scratchDir = join(dirname(store.eventsDir), 'scratch-direct');
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const worker = new IngestWorker({
    logFolders: commonFolders(files.map((file) => file.path)),
    scratchDir,
    eventsDir: store.eventsDir,
    memoryLimit: WORKER_MEMORY_LIMIT,
  });
  // Node and DuckDB load in the worker's process while the files are sniffed.
  worker.warmUp();
  const batchFiles: string[] = [];
  const discard = (): void => {
    for (const path of batchFiles) rmSync(path, { force: true });
  };
  const abort = (): void => worker.kill();
  options.signal?.addEventListener('abort', abort);
  let chosen: number[];
  try {
    const formats = await bulkFormats(files, options.signal);
    if (formats === undefined) return undefined;
    chosen = await filesToRead(files, required, options);
    const written = await readNarrow(worker, store, files, formats, chosen, read, batchFiles, options);
    if (!written) {
      discard();
      return undefined;
    }
  } catch (error) {
    discard();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    worker.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }

  const fileIds = chosen.map(idOf);
  const events = `read_parquet(${sqlPathList(batchFiles)})`;
  const [[parsed]] = (await store.writer.runAndReadAll(`SELECT count(_ts) FROM ${events}`)).getRowsJS() as [[bigint]];
  return {
    ingest: {
      fileIds,
      batchFiles,
      filesParsed: chosen.length,
      filesCached: 0,
      eventsParsed: Number(parsed),
      problems: await untimedProblems(store, events, files),
    },
    columns: read.columns,
    skipped: files.length - chosen.length,
    discard,
  };
}

/** What the narrow read converts, and the strings the cell requires; read undefined when the cell cannot be answered this way. */
async function narrowing(
  checker: Awaited<ReturnType<EventStore['connect']>>,
  sql: string,
): Promise<{ read: NarrowRead | undefined; required: RequiredValues }> {
  // A cell that does not parse is the normal path's to report, at its line.
  const parsed = await parseSelect(checker, sql).catch(() => undefined);
  if (!parsed || 'problem' in parsed) return { read: undefined, required: [] };
  const read = await projectionForTree(checker, sql, parsed.tree);
  return { read, required: read === undefined ? [] : valuesTheCellRequires(parsed.tree) };
}

/**
 * The indices of the files the narrow read reads: those that can hold a matching event, or
 * every one. Never none: a table with no file behind it has no columns to bind the cell to,
 * and one file more changes no answer (the cell's WHERE still filters its events).
 */
async function filesToRead(files: readonly LogFile[], required: RequiredValues, options: IngestOptions): Promise<number[]> {
  const every = files.map((_, i) => i);
  if (required.length === 0) return every;
  const started = Date.now();
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const found = await filesThatCanMatch(files, required, {
    signal: options.signal,
    onProgress: ({ filesDone, bytesDone }) =>
      options.onProgress?.({
        phase: 'finding the files that can match',
        filesDone,
        filesTotal: files.length,
        bytesDone,
        bytesTotal,
        events: 0,
        elapsedMs: Date.now() - started,
      }),
  });
  if (found === undefined) return every;
  return found.length > 0 ? found : [0];
}

/** Each file's format for the bulk reader, or undefined when one is for the careful reader (or unreadable). */
async function bulkFormats(files: readonly LogFile[], signal: AbortSignal | undefined): Promise<BulkFormat[] | undefined> {
  const formats: BulkFormat[] = [];
  for (const one of await sniffLogFormats(files, signal)) {
    if (!('format' in one) || one.careful || one.format === 'objects') return undefined;
    formats.push(one.format);
  }
  return formats;
}

/**
 * The narrow read, a request at a time: two in flight was measured and gained nothing
 * (docs/local-logs.md). False when the reader failed on some file: the full scan is then
 * the one to find and report it.
 */
async function readNarrow(
  worker: IngestWorker,
  store: EventStore,
  files: readonly LogFile[],
  formats: readonly BulkFormat[],
  chosen: readonly number[],
  read: NarrowRead,
  batchFiles: string[],
  options: IngestOptions,
): Promise<boolean> {
  const started = Date.now();
  const bytesTotal = chosen.reduce((sum, i) => sum + (files[i]?.size ?? 0), 0);
  let filesDone = 0;
  let bytesDone = 0;
  options.onProgress?.({ filesDone, filesTotal: chosen.length, bytesDone, bytesTotal, events: 0, elapsedMs: 0 });
  for (const request of requests(files, formats, chosen)) {
    if (options.signal?.aborted) throw new Cancelled();
    const parquet = join(store.eventsDir, `direct-${process.pid}-${batchFiles.length + 1}.parquet`);
    batchFiles.push(parquet);
    const reply = await worker
      .request({
        op: 'project',
        format: request.format,
        files: request.files.map(({ id, file }) => ({ id, path: file.path, size: file.size })),
        read,
        parquet,
      })
      .catch(() => undefined);
    if (options.signal?.aborted) throw new Cancelled();
    // A file the reader fails on (or dies on) is the full scan's to find and report.
    if (!reply?.written) return false;
    filesDone += request.files.length;
    bytesDone += request.files.reduce((sum, { file }) => sum + file.size, 0);
    options.onProgress?.({ filesDone, filesTotal: chosen.length, bytesDone, bytesTotal, events: 0, elapsedMs: Date.now() - started });
  }
  return true;
}

/** File i's id in the narrow batches: negative, so that no note or problem of the cache's is taken for it. */
const idOf = (i: number): number => -(i + 1);

function* requests(
  files: readonly LogFile[],
  formats: readonly BulkFormat[],
  chosen: readonly number[],
): Generator<{ format: BulkFormat; files: { id: number; file: LogFile }[] }> {
  for (const format of ['records', 'array'] as const) {
    let batch: { id: number; file: LogFile }[] = [];
    let bytes = 0;
    for (const i of chosen) {
      const file = files[i];
      if (file === undefined || formats[i] !== format) continue;
      if (batch.length > 0 && bytes + file.size > REQUEST_BYTES) {
        yield { format, files: batch };
        batch = [];
        bytes = 0;
      }
      batch.push({ id: idOf(i), file });
      bytes += file.size;
    }
    if (batch.length > 0) yield { format, files: batch };
  }
}

/** The problems the full scan would store for these files, in the order it lists them (by path, then record). */
async function untimedProblems(store: EventStore, events: string, files: readonly LogFile[]): Promise<FileProblem[]> {
  const found = (await store.writer.runAndReadAll(untimedRecordProblems(events))).getRowsJS() as [number, number, null, string][];
  if (found.length === 0) return [];
  const pathOf = (id: number): string => {
    const file = files[-id - 1];
    if (file === undefined) throw new Error(`the direct answer named file id ${id}, which it was not given`);
    return file.path;
  };
  const paths = new Map(found.map(([id]) => [id, pathOf(id)]));
  const ordered = (
    await store.writer.runAndReadAll(`
    SELECT p.path, p.record, p.message FROM (VALUES ${found.map(([id, record, , message]) => `(${sqlString(paths.get(id)!)}, ${record}, ${sqlString(message)})`).join(', ')}) AS p(path, record, message)
    ORDER BY p.path, p.record NULLS FIRST`)
  ).getRowsJS() as [string, number, string][];
  return ordered.map(([path, record, message]) => ({ path, record, message }));
}
