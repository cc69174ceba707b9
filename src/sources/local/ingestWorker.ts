// The ingest worker: a child process (out/ingestWorker.js) that reads untrusted log files.
// DuckDB's JSON reader is native code, and a file shaped to crash it (one did, by nesting
// 20,000 levels deep) takes its whole process down: here that process is this worker, not
// the CLI or VS Code's extension host. The parent keeps the catalogue and the decisions;
// this side has its own DuckDB, which may read only the log folders and write batches, with
// bounded memory. Files are read in bulk as they are; a batch that fails or crashes comes
// back one file at a time to the careful path, which checks each file (vetLogFile).
import { mkdirSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openLockedDuckDB } from '../../engine/lockedDuckDB';
import { writeBulkBatch, writeParsedBatch, writeProjectedBatch } from './batchWrite';
import type { FileVerdict, WorkerReply, WorkerRequest, WorkerSetup } from './ingestProtocol';
import type { LogFormat } from './logFormat';
import { parseLogText } from './readLogFile';
import { vetLogFile } from './vetLogFile';

async function main(): Promise<void> {
  const setup = JSON.parse(process.argv[2] ?? '') as WorkerSetup;
  mkdirSync(setup.scratchDir, { recursive: true, mode: 0o700 });
  const instance = await openLockedDuckDB({
    allowedDirectories: [...setup.logFolders, setup.eventsDir],
    spillDirectory: setup.scratchDir,
    memoryLimit: setup.memoryLimit,
    ...(setup.threads ? { threads: setup.threads } : {}),
    // Row order inside a batch does not matter (each event carries its file and record
    // number), and keeping it made writing three times slower.
    prepare: (connection) => connection.run('SET preserve_insertion_order = false').then(() => undefined),
  });
  // A connection a request: the scan keeps two batches in flight (requestSlots.ts), and one
  // connection runs one statement at a time. Both share the instance's threads and memory.
  const idle: DuckDBConnection[] = [];
  process.on('message', (request: WorkerRequest) => {
    void (async (): Promise<WorkerReply> => {
      const db = idle.pop() ?? (await instance.connect());
      try {
        return await handle(db, setup, request);
      } finally {
        idle.push(db);
      }
    })()
      .catch((error: Error): WorkerReply => ({ seq: request.seq, op: 'failed', message: error.message }))
      .then((reply) => process.send!({ ...reply, seq: request.seq }));
  });
  // The parent going away (closed, killed) ends the worker with it, also while it was
  // still starting (a scan that warmed it up and then found nothing for it to read).
  process.on('disconnect', () => process.exit(0));
  if (!process.connected) process.exit(0);
  process.send!({ seq: 0, op: 'ready' } satisfies WorkerReply);
}

async function handle(db: DuckDBConnection, setup: WorkerSetup, request: WorkerRequest): Promise<WorkerReply> {
  if (request.op === 'careful') return careful(db, setup, request.format, request.file, request.parquet);
  if (request.op === 'project') {
    try {
      await writeProjectedBatch(db, request.files, request.format, request.read, request.parquet, setup.scratchDir);
      return { seq: 0, op: 'project', written: true };
    } catch (error) {
      rmSync(request.parquet, { force: true });
      return { seq: 0, op: 'project', written: false, error: (error as Error).message };
    }
  }
  return bulk(db, setup, request.format, request.files, request.parquet);
}

/**
 * The fast path: DuckDB's reader over the files as they are. Nothing is checked first, on
 * purpose: reading every byte in JavaScript before DuckDB reads it again cost more than the
 * parse itself (a cold scan took 2.5 times as long). What a check would catch is caught
 * anyway: an object past the cap, bytes that are not UTF-8 and malformed JSON make the
 * reader fail, and a file that crashes it kills only this process. Either way the parent
 * splits the batch until the file is alone and reads it the careful way, which checks
 * everything and says precisely what is wrong.
 */
async function bulk(
  db: DuckDBConnection,
  setup: WorkerSetup,
  format: Exclude<LogFormat, 'objects'>,
  files: { id: number; path: string }[],
  parquet: string,
): Promise<WorkerReply> {
  const verdicts: FileVerdict[] = files.map((file) => ({ id: file.id, problems: [] }));
  try {
    await writeBulkBatch(db, files, format, parquet, setup.scratchDir);
  } catch (error) {
    rmSync(parquet, { force: true });
    return { seq: 0, op: 'bulk', verdicts, written: false, error: (error as Error).message };
  }
  return { seq: 0, op: 'bulk', verdicts, written: true };
}

async function careful(
  db: DuckDBConnection,
  setup: WorkerSetup,
  format: LogFormat,
  file: { id: number; path: string },
  parquet: string,
): Promise<WorkerReply> {
  const chunks: Buffer[] = [];
  const vetted = await vetLogFile(file.path, format, (chunk) => void chunks.push(chunk), setup.maxJsonDepth);
  if (!vetted.ok) return { seq: 0, op: 'careful', verdict: { id: file.id, refused: vetted.problem, problems: [] }, written: false };
  try {
    const parsed = parseLogText(Buffer.concat(chunks).toString('utf8'), format);
    chunks.length = 0;
    await writeParsedBatch(db, file.id, parsed, parquet);
    const verdict = { id: file.id, problems: [...vetted.notes, ...parsed.problems], ...(parsed.readAs ? { readAs: parsed.readAs } : {}) };
    return { seq: 0, op: 'careful', verdict, written: true };
  } catch (error) {
    // This file's own fault (a stack overflow, records DuckDB cannot convert), not the
    // scan's. Only the kind of error is told: its text can quote the file.
    rmSync(parquet, { force: true });
    const refused = { message: `reading it record by record failed (${(error as Error).name}): not read` };
    return { seq: 0, op: 'careful', verdict: { id: file.id, refused, problems: [] }, written: false };
  }
}

main().catch((error: Error) => {
  process.stderr.write(`trailbook ingest worker: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
