// Brings log files into the event store: new and changed files are parsed, unchanged ones
// (same path, size and mtime) are taken from the cache as they are.
//
// The fast path hands whole batches of files to DuckDB's JSON reader, which parses them in
// parallel. When a batch fails, it is split until the failing file is alone, and that file
// is read record by record (readLogFile) so that its good records still load and each bad
// one is reported. Every batch is one transaction: an interrupted run leaves no half-file.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventStore } from '../../engine/eventStore';
import { CLOUDTRAIL_RECORD, RECORD_TYPE, jsonStructure } from '../../engine/schema';
import { sqlString } from '../../engine/sqlText';
import type { LogFile } from './discover';
import { sniffLogFormat, type LogFormat } from './logFormat';
import { readLogFile, type RecordProblem } from './readLogFile';

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

export async function ingestLogFiles(store: EventStore, files: readonly LogFile[], options: IngestOptions = {}): Promise<IngestResult> {
  const started = Date.now();
  const db = store.writer;
  const known = new Map<string, { id: number; size: number; mtimeMs: number }>();
  for (const [id, path, size, mtime] of await rows(db, `SELECT id, path, size, mtime_ms FROM store.files`)) {
    known.set(path as string, { id: id as number, size: Number(size), mtimeMs: Number(mtime) });
  }
  let nextId = Math.max(0, ...[...known.values()].map((k) => k.id)) + 1;

  const fileIds: number[] = [];
  const pending: PendingFile[] = [];
  const stale: number[] = [];
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

  if (stale.length > 0) await deleteFiles(db, stale);

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
      await insertFiles(db, unreadable);
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
      events += await ingestBatch(db, batch, options.signal);
      filesDone += batch.length;
      report();
    }
  } finally {
    options.signal?.removeEventListener('abort', abortListener);
  }
  checkAborted();

  return {
    fileIds,
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
async function ingestBatch(db: DuckDBConnection, batch: PendingFile[], signal: AbortSignal | undefined): Promise<number> {
  const format = batch[0]!.format!;
  if (format !== 'objects') {
    try {
      return await inTransaction(db, signal, async () => {
        await insertFiles(db, batch);
        await bulkInsert(db, batch, format);
        return finishFiles(db, batch);
      });
    } catch (error) {
      if (error instanceof IngestAborted) throw error;
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        return (await ingestBatch(db, batch.slice(0, half), signal)) + (await ingestBatch(db, batch.slice(half), signal));
      }
    }
  }
  let stored = 0;
  for (const file of batch) stored += await ingestOneByRecord(db, file, signal);
  return stored;
}

async function bulkInsert(db: DuckDBConnection, batch: PendingFile[], format: LogFormat): Promise<void> {
  const list = format === 'records' ? 'Records' : 'json';
  const reader = `read_json([${batch.map((f) => sqlString(f.path)).join(', ')}],
      columns = {${list}: ${sqlString(`${RECORD_TYPE}[]`)}},
      format = 'unstructured', ${format === 'array' ? "records = 'false'," : ''}
      maximum_object_size = ${MAX_OBJECT_BYTES}, filename = true)`;
  const ids = `(VALUES ${batch.map((f) => `(${f.id}, ${sqlString(f.path)})`).join(', ')}) AS b(id, path)`;
  await db.run(`
    INSERT INTO store.events
    SELECT b.id, e.i, TRY_CAST(e.r.eventTime AS TIMESTAMPTZ), unnest(e.r)
    FROM (SELECT filename, unnest(${list}) AS r, generate_subscripts(${list}, 1) AS i FROM ${reader}) AS e
    JOIN ${ids} ON b.path = e.filename`);
}

async function ingestOneByRecord(db: DuckDBConnection, file: PendingFile, signal: AbortSignal | undefined): Promise<number> {
  const parsed = await readLogFile(file.path, file.format!);
  return inTransaction(db, signal, async () => {
    await insertFiles(db, [file]);
    if (parsed.records.length > 0) {
      await db.run(
        `INSERT INTO store.events
         SELECT ${file.id}, i, TRY_CAST(r.eventTime AS TIMESTAMPTZ), unnest(r)
         FROM (SELECT unnest(json_transform($records, $structure)) AS r, unnest($indexes::INTEGER[]) AS i)`,
        {
          records: JSON.stringify(parsed.records.map((r) => r.value)),
          structure: RECORD_STRUCTURE,
          indexes: JSON.stringify(parsed.records.map((r) => r.index)),
        },
      );
    }
    await insertProblems(db, file.id, parsed.problems);
    return finishFiles(db, [file]);
  });
}

async function insertFiles(db: DuckDBConnection, files: PendingFile[]): Promise<void> {
  await db.run(
    `INSERT INTO store.files VALUES ${files
      .map((f) => `(${f.id}, ${sqlString(f.path)}, ${f.size}, ${f.mtimeMs}, ${sqlString(f.format ?? 'unreadable')}, 0)`)
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

/**
 * Records without a usable eventTime cannot be placed in any window: they are reported
 * (one line a file, naming the records) and not kept. Then the files get their counts.
 */
async function finishFiles(db: DuckDBConnection, files: PendingFile[]): Promise<number> {
  const ids = idList(files.map((f) => f.id));
  await db.run(`
    INSERT INTO store.problems
    SELECT _file, min(_record), NULL,
      (CASE WHEN count(*) = 1 THEN 'record ' || min(_record)
            ELSE count(*) || ' records (' || array_to_string(list(_record ORDER BY _record)[1:5], ', ')
                 || CASE WHEN count(*) > 5 THEN ', …' ELSE '' END || ')' END)
      || CASE WHEN bool_and("eventTime" IS NULL) THEN ' without eventTime (not CloudTrail records): not loaded'
              ELSE ' with an eventTime that is not ISO-8601 (e.g. ' || any_value("eventTime") || '): not loaded' END
    FROM store.events WHERE _file IN ${ids} AND _ts IS NULL GROUP BY _file;
    DELETE FROM store.events WHERE _file IN ${ids} AND _ts IS NULL;
    UPDATE store.files SET events = c.n FROM (
      SELECT _file, count(*) AS n FROM store.events WHERE _file IN ${ids} GROUP BY _file
    ) AS c WHERE store.files.id = c._file;`);
  const [[total]] = (await rows(db, `SELECT coalesce(sum(events), 0) FROM store.files WHERE id IN ${ids}`)) as [[bigint]];
  return Number(total);
}

async function deleteFiles(db: DuckDBConnection, ids: readonly number[]): Promise<void> {
  const list = idList(ids);
  await db.run(`BEGIN TRANSACTION;
    DELETE FROM store.events WHERE _file IN ${list};
    DELETE FROM store.problems WHERE file_id IN ${list};
    DELETE FROM store.files WHERE id IN ${list};
    COMMIT;`);
}

async function problemsOf(db: DuckDBConnection, ids: readonly number[]): Promise<FileProblem[]> {
  if (ids.length === 0) return [];
  const found = await rows(
    db,
    `SELECT f.path, p.record, p.line, p.message FROM store.problems p JOIN store.files f ON f.id = p.file_id
     WHERE p.file_id IN (SELECT unnest(${`[${ids.join(', ')}]`})) ORDER BY f.path, p.record NULLS FIRST`,
  );
  return found.map(([path, record, line, message]) => ({
    path: path as string,
    ...(record === null ? {} : { record: record as number }),
    ...(line === null ? {} : { line: line as number }),
    message: message as string,
  }));
}
