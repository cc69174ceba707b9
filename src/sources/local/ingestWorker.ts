// The ingest worker: a child process (out/ingestWorker.js) that reads untrusted log files.
// DuckDB's JSON reader is native code, and a file shaped to crash it (one did, by nesting
// 20,000 levels deep) takes its whole process down: here that process is this worker, not
// the CLI or VS Code's extension host. The parent keeps the catalogue and the decisions;
// this side checks files (vetLogFile), copies what passed into a scratch folder, and has
// its own DuckDB, which may read only that folder, write batches, and use bounded memory.
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openLockedDuckDB } from '../../engine/lockedDuckDB';
import { writeBulkBatch, writeParsedBatch } from './batchWrite';
import type { FileVerdict, WorkerReply, WorkerRequest, WorkerSetup } from './ingestProtocol';
import type { LogFormat } from './logFormat';
import { parseLogText } from './readLogFile';
import { vetLogFile } from './vetLogFile';

/** Files checked at once: their reading and inflating overlap on libuv's thread pool. */
const VET_CONCURRENCY = 4;

async function main(): Promise<void> {
  const setup = JSON.parse(process.argv[2] ?? '') as WorkerSetup;
  mkdirSync(setup.scratchDir, { recursive: true, mode: 0o700 });
  const instance = await openLockedDuckDB({
    allowedDirectories: [setup.scratchDir, setup.eventsDir],
    memoryLimit: setup.memoryLimit,
    ...(setup.threads ? { threads: setup.threads } : {}),
    // Row order inside a batch does not matter (each event carries its file and record
    // number), and keeping it made writing three times slower.
    prepare: (connection) => connection.run('SET preserve_insertion_order = false').then(() => undefined),
  });
  const db = await instance.connect();
  process.on('message', (request: WorkerRequest) => {
    handle(db, setup, request)
      .catch((error: Error): WorkerReply => ({ seq: request.seq, op: 'failed', message: error.message }))
      .then((reply) => process.send!({ ...reply, seq: request.seq }));
  });
  // The parent going away (closed, killed) ends the worker with it.
  process.on('disconnect', () => process.exit(0));
  process.send!({ seq: 0, op: 'ready' } satisfies WorkerReply);
}

async function handle(db: DuckDBConnection, setup: WorkerSetup, request: WorkerRequest): Promise<WorkerReply> {
  if (request.op === 'careful') return careful(db, setup, request.format, request.file, request.parquet);
  return bulk(db, setup, request.format, request.files, request.parquet);
}

async function bulk(
  db: DuckDBConnection,
  setup: WorkerSetup,
  format: Exclude<LogFormat, 'objects'>,
  files: { id: number; path: string }[],
  parquet: string,
): Promise<WorkerReply> {
  const verdicts: FileVerdict[] = [];
  const copies: { id: number; path: string }[] = [];
  try {
    let next = 0;
    const checkOne = async (file: { id: number; path: string }): Promise<void> => {
      const copy = join(setup.scratchDir, `${file.id}.json`);
      // A worker that crashed on an earlier try of this file left its copy.
      rmSync(copy, { force: true });
      const out = await open(copy, 'wx', 0o600);
      let vetted;
      try {
        vetted = await vetLogFile(file.path, format, async (chunk) => void (await out.write(chunk)), setup.maxJsonDepth);
      } finally {
        await out.close();
      }
      if (vetted.ok) {
        copies.push({ id: file.id, path: copy });
        verdicts.push({ id: file.id, problems: vetted.notes });
      } else {
        rmSync(copy, { force: true });
        verdicts.push({ id: file.id, refused: vetted.problem, problems: [] });
      }
    };
    await Promise.all(
      Array.from({ length: VET_CONCURRENCY }, async () => {
        while (next < files.length) await checkOne(files[next++]!);
      }),
    );
    if (copies.length === 0) return { seq: 0, op: 'bulk', verdicts, written: false };
    try {
      await writeBulkBatch(db, copies, format, parquet);
    } catch (error) {
      rmSync(parquet, { force: true });
      return { seq: 0, op: 'bulk', verdicts, written: false, error: (error as Error).message };
    }
    return { seq: 0, op: 'bulk', verdicts, written: true };
  } finally {
    for (const copy of copies) rmSync(copy.path, { force: true });
  }
}

async function careful(db: DuckDBConnection, setup: WorkerSetup, format: LogFormat, file: { id: number; path: string }, parquet: string): Promise<WorkerReply> {
  const chunks: Buffer[] = [];
  const vetted = await vetLogFile(file.path, format, (chunk) => void chunks.push(chunk), setup.maxJsonDepth);
  if (!vetted.ok) return { seq: 0, op: 'careful', verdict: { id: file.id, refused: vetted.problem, problems: [] }, written: false };
  try {
    const parsed = parseLogText(Buffer.concat(chunks).toString('utf8'), format);
    chunks.length = 0;
    await writeParsedBatch(db, file.id, parsed, parquet);
    return { seq: 0, op: 'careful', verdict: { id: file.id, problems: [...vetted.notes, ...parsed.problems] }, written: true };
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
