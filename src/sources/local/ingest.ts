// Brings log files into the event store: new and changed files are parsed, unchanged ones
// (same path, size and mtime) are taken from the cache as they are.
//
// The fast path hands whole batches of files to DuckDB's JSON reader, which parses them in
// parallel and streams the events into one Parquet file a batch. When a batch fails, it is
// split until the failing file is alone, and that file is read record by record
// (readLogFile) so that its good records still load and each bad one is reported. A batch
// counts only once its file is complete and its row is committed: an interrupted run
// leaves no half-read file behind.
import { existsSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventStore } from '../../engine/eventStore';
import { fileIdPredicate } from '../../engine/query';
import { CLOUDTRAIL_RECORD, RECORD_TYPE, jsonStructure } from '../../engine/schema';
import { sqlString } from '../../engine/sqlText';
import type { LogFile } from './discover';
import { sniffLogFormat, type LogFormat } from './logFormat';
import { readLogFile, type ParsedLogFile, type RecordProblem } from './readLogFile';
import { recordMismatch } from '../../engine/schema';

export interface IngestProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly events: number;
  readonly elapsedMs: number;
}

export interface IngestOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IngestProgress) => void;
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
  format?: LogFormat;
}

const BATCH_BYTES = 48 * 1024 * 1024;
const BATCH_FILES = 1000;
const SNIFF_CONCURRENCY = 16;
// CloudTrail files can be large (a busy account writes hundreds of MB a day per region);
// DuckDB refuses JSON objects above this size, so it is set well above any real file.
const MAX_OBJECT_BYTES = 2 ** 31 - 1;
const RECORD_STRUCTURE = JSON.stringify([jsonStructure(CLOUDTRAIL_RECORD)]);

export class IngestAborted extends Error {
  constructor() {
    super('the scan was cancelled; nothing partial was kept');
  }
}

async function rows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

const idList = (ids: readonly number[]): string => `(${ids.join(', ')})`;

/**
 * Reserves `count` new file ids and returns the first. Ids are never reused: a changed
 * file's old events can outlive its row in a shared batch, and a new file given its id
 * would bring them back.
 */
async function reserveFileIds(db: DuckDBConnection, count: number): Promise<number> {
  const [[last]] = (await rows(
    db,
    `SELECT greatest(coalesce((SELECT max(id) FROM store.files), 0),
                     coalesce((SELECT max(CAST(value AS INTEGER)) FROM store.meta WHERE key = 'last_file_id'), 0))`,
  )) as [[number]];
  const first = Number(last) + 1;
  await db.run(`DELETE FROM store.meta WHERE key = 'last_file_id';
    INSERT INTO store.meta VALUES ('last_file_id', '${first + count - 1}')`);
  return first;
}

export async function ingestLogFiles(store: EventStore, files: readonly LogFile[], options: IngestOptions = {}): Promise<IngestResult> {
  const started = Date.now();
  const db = store.writer;
  const known = new Map<string, { id: number; size: number; mtimeMs: number }>();
  for (const [id, path, size, mtime] of await rows(db, `SELECT id, path, size, mtime_ms FROM store.files`)) {
    known.set(path as string, { id: id as number, size: Number(size), mtimeMs: Number(mtime) });
  }
  const [[lastBatch]] = (await rows(db, 'SELECT coalesce(max(id), 0) FROM store.batches')) as [[number]];
  const batchIds = { next: Number(lastBatch) + 1 };

  const fileIds: number[] = [];
  const pending: PendingFile[] = [];
  const stale: number[] = [];
  const changed = files.filter((file) => {
    const cached = known.get(file.path);
    return !(cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs);
  }).length;
  let nextId = await reserveFileIds(db, changed);
  for (const file of files) {
    const cached = known.get(file.path);
    if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs) {
      fileIds.push(cached.id);
      continue;
    }
    if (cached) stale.push(cached.id);
    const id = nextId++;
    fileIds.push(id);
    pending.push({ ...file, id });
  }

  let filesDone = files.length - pending.length;
  let events = 0;
  const report = (): void =>
    options.onProgress?.({ filesDone, filesTotal: files.length, events, elapsedMs: Date.now() - started });
  const checkAborted = (): void => {
    if (options.signal?.aborted) throw new IngestAborted();
  };

  if (stale.length > 0) await deleteFiles(store, stale);

  const sniffProblems = new Map<number, string>();
  for (let i = 0; i < pending.length; i += SNIFF_CONCURRENCY) {
    checkAborted();
    await Promise.all(
      pending.slice(i, i + SNIFF_CONCURRENCY).map(async (file) => {
        const sniffed = await sniffLogFormat(file.path, file.size).catch((error: Error) => ({ problem: error.message }));
        if ('format' in sniffed) file.format = sniffed.format;
        else sniffProblems.set(file.id, sniffed.problem);
      }),
    );
  }

  // Unreadable files are recorded too, so that later runs report them without reopening.
  const unreadable = pending.filter((file) => sniffProblems.has(file.id));
  if (unreadable.length > 0) {
    await inTransaction(db, options.signal, async () => {
      await insertFiles(db, unreadable, null);
      for (const file of unreadable) await insertProblems(db, file.id, [{ message: sniffProblems.get(file.id)! }]);
    });
    filesDone += unreadable.length;
    report();
  }

  const abortListener = (): void => db.interrupt();
  options.signal?.addEventListener('abort', abortListener);
  try {
    for (const batch of batches(pending.filter((file) => file.format !== undefined))) {
      checkAborted();
      events += await ingestBatch(store, batchIds, batch, options.signal);
      filesDone += batch.length;
      report();
    }
  } finally {
    options.signal?.removeEventListener('abort', abortListener);
  }
  checkAborted();

  return {
    fileIds,
    batchFiles: await batchFilesOf(store, fileIds),
    filesParsed: pending.length,
    filesCached: files.length - pending.length,
    eventsParsed: events,
    problems: await problemsOf(db, fileIds),
  };
}

/** Files of one format, in path order, up to a size that keeps progress moving. */
function* batches(files: PendingFile[]): Generator<PendingFile[]> {
  for (const format of ['records', 'array', 'objects'] as const) {
    let batch: PendingFile[] = [];
    let bytes = 0;
    for (const file of files.filter((f) => f.format === format)) {
      if (batch.length > 0 && (bytes + file.size > BATCH_BYTES || batch.length >= BATCH_FILES)) {
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

async function inTransaction<T>(db: DuckDBConnection, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  await db.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    if (signal?.aborted) throw new IngestAborted();
    await db.run('COMMIT');
    return result;
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw signal?.aborted ? new IngestAborted() : error;
  }
}

/** Returns the number of events stored. */
async function ingestBatch(
  store: EventStore,
  batchIds: { next: number },
  batch: PendingFile[],
  signal: AbortSignal | undefined,
): Promise<number> {
  const db = store.writer;
  const format = batch[0]!.format!;
  if (format !== 'objects') {
    const id = batchIds.next++;
    const parquet = store.batchPath(id);
    try {
      await db.run(`COPY (${bulkSelect(batch, format)}) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`);
    } catch (error) {
      rmSync(parquet, { force: true });
      if (signal?.aborted) throw new IngestAborted();
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        return (
          (await ingestBatch(store, batchIds, batch.slice(0, half), signal)) +
          (await ingestBatch(store, batchIds, batch.slice(half), signal))
        );
      }
    }
    if (existsSync(parquet)) return recordBatch(db, id, parquet, batch, [], signal);
  }
  let stored = 0;
  for (const file of batch) stored += await ingestOneByRecord(store, batchIds, file, signal);
  return stored;
}

function bulkSelect(batch: PendingFile[], format: LogFormat): string {
  const list = format === 'records' ? 'Records' : 'json';
  const reader = `read_json([${batch.map((f) => sqlString(f.path)).join(', ')}],
      columns = {${list}: ${sqlString(`${RECORD_TYPE}[]`)}},
      format = 'unstructured', ${format === 'array' ? "records = 'false'," : ''}
      maximum_object_size = ${MAX_OBJECT_BYTES}, filename = true)`;
  const ids = `(VALUES ${batch.map((f) => `(${f.id}, ${sqlString(f.path)})`).join(', ')}) AS b(id, path)`;
  return `
    SELECT b.id AS _file, e.i AS _record, TRY_CAST(e.r.eventTime AS TIMESTAMPTZ) AS _ts, unnest(e.r)
    FROM (SELECT filename, unnest(${list}) AS r, generate_subscripts(${list}, 1) AS i FROM ${reader}) AS e
    JOIN ${ids} ON b.path = e.filename`;
}

async function ingestOneByRecord(
  store: EventStore,
  batchIds: { next: number },
  file: PendingFile,
  signal: AbortSignal | undefined,
): Promise<number> {
  return storeParsed(store, batchIds, file, await readLogFile(file.path, file.format!), signal);
}

/** Writes records already parsed (from a file, or from an API) as one batch. */
async function storeParsed(
  store: EventStore,
  batchIds: { next: number },
  file: PendingFile,
  parsed: ParsedLogFile,
  signal: AbortSignal | undefined,
): Promise<number> {
  const db = store.writer;
  const id = batchIds.next++;
  const parquet = store.batchPath(id);
  await db.run(
    `COPY (
       SELECT ${file.id} AS _file, i AS _record, TRY_CAST(r.eventTime AS TIMESTAMPTZ) AS _ts, unnest(r)
       FROM (SELECT unnest(json_transform($records, $structure)) AS r, unnest($indexes::INTEGER[]) AS i)
     ) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    {
      records: JSON.stringify(parsed.records.map((r) => r.value)),
      structure: RECORD_STRUCTURE,
      indexes: JSON.stringify(parsed.records.map((r) => r.index)),
    },
  );
  return recordBatch(db, id, parquet, [file], parsed.problems, signal);
}

/**
 * Commits a written batch: its files, their event counts, and their problems. Records
 * without a usable eventTime cannot be placed in any window: they stay in the Parquet file
 * (no window ever selects them) and are reported, one line a file naming the records.
 */
async function recordBatch(
  db: DuckDBConnection,
  id: number,
  parquet: string,
  files: PendingFile[],
  problems: readonly RecordProblem[],
  signal: AbortSignal | undefined,
): Promise<number> {
  try {
    return await inTransaction(db, signal, async () => {
      const events = `read_parquet(${sqlString(parquet)})`;
      await db.run(`INSERT INTO store.batches VALUES (${id})`);
      await insertFiles(db, files, id);
      if (files.length === 1) await insertProblems(db, files[0]!.id, problems);
      await db.run(`
        INSERT INTO store.problems
        SELECT _file, min(_record), NULL,
          (CASE WHEN count(*) = 1 THEN 'record ' || min(_record)
                ELSE count(*) || ' records (' || array_to_string(list(_record ORDER BY _record)[1:5], ', ')
                     || CASE WHEN count(*) > 5 THEN ', …' ELSE '' END || ')' END)
          || CASE WHEN bool_and("eventTime" IS NULL) THEN ' without eventTime (not CloudTrail records): not loaded'
                  ELSE ' with an eventTime that is not ISO-8601 (e.g. ' || any_value("eventTime") || '): not loaded' END
        FROM ${events} WHERE _ts IS NULL GROUP BY _file;
        UPDATE store.files SET events = c.n FROM (
          SELECT _file, count(*) AS n FROM ${events} WHERE _ts IS NOT NULL GROUP BY _file
        ) AS c WHERE store.files.id = c._file;`);
      const [[total]] = (await rows(db, `SELECT count(*) FROM ${events} WHERE _ts IS NOT NULL`)) as [[bigint]];
      return Number(total);
    });
  } catch (error) {
    rmSync(parquet, { force: true });
    throw error;
  }
}

async function insertFiles(db: DuckDBConnection, files: PendingFile[], batch: number | null): Promise<void> {
  await db.run(
    `INSERT INTO store.files VALUES ${files
      .map((f) => `(${f.id}, ${sqlString(f.path)}, ${f.size}, ${f.mtimeMs}, ${sqlString(f.format ?? 'unreadable')}, 0, ${batch ?? 'NULL'})`)
      .join(', ')}`,
  );
}

async function insertProblems(db: DuckDBConnection, fileId: number, problems: readonly RecordProblem[]): Promise<void> {
  if (problems.length === 0) return;
  await db.run(
    `INSERT INTO store.problems VALUES ${problems
      .map((p) => `(${fileId}, ${p.record ?? 'NULL'}, ${p.line ?? 'NULL'}, ${sqlString(p.message)})`)
      .join(', ')}`,
  );
}

/** Forgets files (changed since they were read); a batch left with no file is deleted. */
async function deleteFiles(store: EventStore, ids: readonly number[]): Promise<void> {
  const db = store.writer;
  const list = idList(ids);
  const orphans = (await rows(
    db,
    `SELECT id FROM store.batches WHERE id IN (SELECT batch FROM store.files WHERE id IN ${list})
       AND id NOT IN (SELECT batch FROM store.files WHERE id NOT IN ${list} AND batch IS NOT NULL)`,
  )).map(([id]) => id as number);
  await db.run(`BEGIN TRANSACTION;
    DELETE FROM store.problems WHERE file_id IN ${list};
    DELETE FROM store.files WHERE id IN ${list};
    DELETE FROM store.batches WHERE id IN ${orphans.length > 0 ? idList(orphans) : '(NULL)'};
    COMMIT;`);
  // Events of a changed file that share a batch with unchanged files stay in it, unseen:
  // every query selects its files by id.
  for (const id of orphans) rmSync(store.batchPath(id), { force: true });
}

async function batchFilesOf(store: EventStore, ids: readonly number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await rows(
    store.writer,
    `SELECT DISTINCT batch FROM store.files WHERE batch IS NOT NULL AND ${fileIdPredicate(ids, 'id')} ORDER BY batch`,
  )).map(([id]) => store.batchPath(id as number));
}

async function problemsOf(db: DuckDBConnection, ids: readonly number[]): Promise<FileProblem[]> {
  if (ids.length === 0) return [];
  const found = await rows(
    db,
    `SELECT f.path, p.record, p.line, p.message FROM store.problems p JOIN store.files f ON f.id = p.file_id
     WHERE ${fileIdPredicate(ids, 'p.file_id')} ORDER BY f.path, p.record NULLS FIRST`,
  );
  return found.map(([path, record, line, message]) => ({
    path: path as string,
    ...(record === null ? {} : { record: record as number }),
    ...(line === null ? {} : { line: line as number }),
    message: message as string,
  }));
}

/**
 * Stores CloudTrail records that did not come from a file (LookupEvents pages) under a
 * name of the caller's, so that queries and problems treat them like a log file's.
 */
export async function ingestRecords(
  store: EventStore,
  name: string,
  records: readonly unknown[],
  signal?: AbortSignal,
): Promise<IngestResult> {
  const db = store.writer;
  const fileId = await reserveFileIds(db, 1);
  const [[lastBatch]] = (await rows(db, 'SELECT coalesce(max(id), 0) FROM store.batches')) as [[number]];
  const parsed: ParsedLogFile = { records: [], problems: [] };
  records.forEach((value, i) => {
    const mismatch = recordMismatch(value);
    if (mismatch) parsed.problems.push({ record: i + 1, message: `record ${i + 1}: ${mismatch}` });
    else parsed.records.push({ index: i + 1, value });
  });
  const file: PendingFile = { id: fileId, path: name, size: 0, mtimeMs: Date.now(), format: 'objects' };
  const events = await storeParsed(store, { next: Number(lastBatch) + 1 }, file, parsed, signal);
  return {
    fileIds: [fileId],
    batchFiles: await batchFilesOf(store, [fileId]),
    filesParsed: 1,
    filesCached: 0,
    eventsParsed: events,
    problems: await problemsOf(db, [fileId]),
  };
}

/** The Parquet files and problems of stored files (for a scope made of earlier fetches). */
export async function storedFiles(store: EventStore, ids: readonly number[]): Promise<{ batchFiles: string[]; problems: FileProblem[] }> {
  return { batchFiles: await batchFilesOf(store, ids), problems: await problemsOf(store.writer, ids) };
}
