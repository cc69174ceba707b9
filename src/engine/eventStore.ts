// The local store of parsed events. Parsing JSON is the expensive part of a scan, so what
// was parsed is kept: events in Parquet files (one a batch of log files or LookupEvents
// fetches, written in one streaming pass), and what is known about each (size, mtime,
// range, problems, which batch holds its events) in a small DuckDB database beside them,
// attached as `store` and read and written only through the catalogue (src/engine/store).
//
// Parquet rather than a DuckDB table for the events: measured on 1,000,000 generated
// events, inserting into a DuckDB table spent more time in its write-ahead log and
// checkpoints than in parsing (30 s against 12 s for the same batches written as Parquet),
// and queries over the Parquet files take tens of milliseconds.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { lockDown, lockedConfig, openLockedDuckDB } from './lockedDuckDB';
import { installTrinoFunctions, TRINO_SETTINGS } from './trinoFunctions';
import { sqlString } from './sqlText';
import { StoreCatalogue } from './store/catalogue';
import { createCatalogue, upgradeCatalogue } from './store/catalogueLayout';

export interface EventStoreOptions {
  /** The cache folder for one log source; without one, a temporary folder removed at close. */
  readonly cacheDir?: string;
  /** DuckDB worker threads (default: all cores). */
  readonly threads?: number;
  /** DuckDB's memory limit, e.g. `1GB` (default: DuckDB's, 80% of RAM). */
  readonly memoryLimit?: string;
}

function isLockError(error: unknown): boolean {
  return /lock|another process|Conflicting/i.test((error as Error).message);
}

export class EventStore {
  private constructor(
    private readonly instance: DuckDBInstance,
    /**
     * Where runbook SQL runs: a second instance that sees the events' Parquet files and
     * nothing else (not the catalogue, not the logs, not the rest of the cache).
     */
    private readonly queries: Promise<DuckDBInstance>,
    /**
     * The one connection that writes to the store: the catalogue's, and the one that reads the
     * batches' Parquet files for the run's notes. The catalogue's tables are the catalogue's
     * alone: everything else asks it.
     */
    readonly writer: DuckDBConnection,
    /** What the store holds: files, fetches, batches, problems (src/engine/store). */
    readonly catalogue: StoreCatalogue,
    /** Where the events Parquet files live. */
    readonly eventsDir: string,
    /** Why the cache is not used, when it is not (shown with results). */
    readonly cacheNote: string | undefined,
    private readonly temporary: string | undefined,
  ) {}

  static async open(options: EventStoreOptions = {}): Promise<EventStore> {
    const instance = await DuckDBInstance.create(':memory:', lockedConfig(options));
    const writer = await instance.connect();
    // The writer runs only the engine's own SQL, which calls DuckDB's functions by their
    // system names: it needs Athena's session settings (UTC), not the Trino functions,
    // whose install costs most of a warm run's start (80 ms an instance).
    await writer.run(TRINO_SETTINGS.join(';\n'));
    // Row order inside a batch does not matter (each event carries its file and record
    // number), and keeping it made writing three times slower.
    await writer.run('SET preserve_insertion_order = false');

    let note: string | undefined;
    let dir = options.cacheDir === undefined ? undefined : resolve(options.cacheDir);
    if (dir) {
      ownerOnlyFolder(dir);
      note = await attachCache(writer, dir);
    }
    let temporary: string | undefined;
    if (!dir || note) {
      temporary = mkdtempSync(join(tmpdir(), 'trailbook-'));
      dir = temporary;
      await writer.run(`ATTACH ':memory:' AS store`);
      await createCatalogue(writer);
      note ??= 'no cache folder: the logs are parsed again on every run';
    }
    const eventsDir = join(dir, 'events');
    ownerOnlyFolder(eventsDir);
    const catalogue = await StoreCatalogue.open(writer, eventsDir);
    // The writer runs only the engine's own SQL, but it holds the catalogue: it too reaches
    // nothing outside its cache folder (log files are read by the ingest worker).
    await lockDown(writer, { allowedDirectories: [dir], spillDirectory: join(dir, 'spill', 'writer') });
    // Opened while the run lists its files and reads the catalogue: the first query awaits it.
    const queries = openLockedDuckDB({
      allowedDirectories: [eventsDir],
      spillDirectory: join(dir, 'spill', 'queries'),
      ...(options.threads ? { threads: options.threads } : {}),
      ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
      prepare: (connection) => installTrinoFunctions(connection),
    });
    // Nothing awaits it until the first query: a failure to open is that query's error.
    queries.catch(() => undefined);
    return new EventStore(instance, queries, writer, catalogue, eventsDir, note, temporary);
  }

  /** The Parquet file of a batch. Only the id is stored, so a cache folder can move. */
  batchPath(id: number): string {
    return this.catalogue.batchPath(id);
  }

  /** The query instance once open: closed at once by close(), before retired batches are removed. */
  private openQueries: DuckDBInstance | undefined;

  /** A connection for one runbook query, on the locked instance: its temporary view is its own. */
  async connect(): Promise<DuckDBConnection> {
    this.openQueries = await this.queries;
    return this.openQueries.connect();
  }

  close(): void {
    this.writer.closeSync();
    this.instance.closeSync();
    if (this.openQueries) this.openQueries.closeSync();
    // Still opening (no query ran yet): closed as soon as it is open.
    else
      void this.queries.then(
        (queries) => queries.closeSync(),
        () => undefined,
      );
    this.catalogue.removeRetired();
    if (this.temporary) rmSync(this.temporary, { recursive: true, force: true });
  }
}

/**
 * The cache holds what the logs said, as private as the logs: its folders are the
 * owner's only (0700), set explicitly rather than through the umask, which is the whole
 * process's (the extension host's, in the editor) and not this store's to change.
 */
function ownerOnlyFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Attaches the cache's database; returns why it cannot be used, or undefined. */
async function attachCache(writer: DuckDBConnection, dir: string): Promise<string | undefined> {
  const file = join(dir, 'store.duckdb');
  try {
    await writer.run(`ATTACH ${sqlString(file)} AS store`);
  } catch (error) {
    if (isLockError(error)) return `the cache ${dir} is in use by another Trailbook process: this run parses the logs without it`;
    // A cache is only ever a copy of the logs: when it cannot be opened, start it again.
    rmSync(dir, { recursive: true, force: true });
    ownerOnlyFolder(dir);
    await writer.run(`ATTACH ${sqlString(file)} AS store`);
  }
  // DuckDB creates its files with the process's umask (0644, usually).
  for (const own of [file, `${file}.wal`]) if (existsSync(own)) chmodSync(own, 0o600);
  if (await upgradeCatalogue(writer)) rmSync(join(dir, 'events'), { recursive: true, force: true });
  return undefined;
}
