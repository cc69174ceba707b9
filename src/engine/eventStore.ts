// The local store of parsed events: an in-memory DuckDB with the cache database attached
// as `store`. Parsing JSON is the expensive part of a scan; keeping what was parsed in a
// DuckDB file means re-running a cell, or the next cell over the same files, reads
// columns instead of JSON.
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_RECORD, COLUMN_NAMES, duckdbType } from './schema';
import { installTrinoFunctions } from './trinoFunctions';
import { sqlString } from './sqlText';

export interface EventStoreOptions {
  /** The cache database file; without one, events live in memory for this process only. */
  readonly cacheFile?: string;
  /** DuckDB worker threads (default: all cores). */
  readonly threads?: number;
  /** DuckDB's memory limit, e.g. `1GB` (default: DuckDB's, 80% of RAM). */
  readonly memoryLimit?: string;
}

/** Bumped whenever the tables below change shape; an older cache is rebuilt. */
const LAYOUT_VERSION = 1;
const STORE_VERSION = createHash('sha256')
  .update(`${LAYOUT_VERSION}:${duckdbType(CLOUDTRAIL_RECORD)}`)
  .digest('hex')
  .slice(0, 16);

const EVENT_COLUMNS = COLUMN_NAMES.map((name) => `"${name}" ${duckdbType(CLOUDTRAIL_RECORD.fields[name]!)}`).join(', ');

const TABLES = `
  CREATE TABLE IF NOT EXISTS store.meta (key VARCHAR, value VARCHAR);
  CREATE TABLE IF NOT EXISTS store.files (id INTEGER, path VARCHAR, size BIGINT, mtime_ms BIGINT, format VARCHAR, events INTEGER);
  CREATE TABLE IF NOT EXISTS store.problems (file_id INTEGER, record INTEGER, line INTEGER, message VARCHAR);
  CREATE TABLE IF NOT EXISTS store.events (_file INTEGER, _record INTEGER, _ts TIMESTAMPTZ, ${EVENT_COLUMNS});
`;

function isLockError(error: unknown): boolean {
  return /lock|another process|Conflicting/i.test((error as Error).message);
}

export class EventStore {
  private constructor(
    private readonly instance: DuckDBInstance,
    /** The one connection that writes to the store. */
    readonly writer: DuckDBConnection,
    /** Why the cache is not used, when it is not (shown with results). */
    readonly cacheNote: string | undefined,
  ) {}

  static async open(options: EventStoreOptions = {}): Promise<EventStore> {
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const writer = await instance.connect();
    await installTrinoFunctions(writer);
    let note: string | undefined;
    if (options.cacheFile) {
      note = await attachCache(writer, options.cacheFile);
    } else {
      await writer.run(`ATTACH ':memory:' AS store`);
      note = 'no cache folder: events are parsed again on every run';
    }
    await writer.run(TABLES);
    return new EventStore(instance, writer, note);
  }

  /** A connection for one query: its temporary view is its own. */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

async function attachCache(writer: DuckDBConnection, cacheFile: string): Promise<string | undefined> {
  await mkdir(dirname(cacheFile), { recursive: true });
  try {
    await writer.run(`ATTACH ${sqlString(cacheFile)} AS store`);
  } catch (error) {
    if (isLockError(error)) {
      await writer.run(`ATTACH ':memory:' AS store`);
      return `the cache ${cacheFile} is in use by another Trailbook process: this run parses the logs without it`;
    }
    // A cache is only ever a copy of the logs: when it cannot be opened, start it again.
    await rm(cacheFile, { force: true });
    await rm(`${cacheFile}.wal`, { force: true });
    await writer.run(`ATTACH ${sqlString(cacheFile)} AS store`);
  }
  const version = await writer
    .runAndReadAll(`SELECT value FROM store.meta WHERE key = 'version'`)
    .then((result) => result.getRowsJS()[0]?.[0])
    .catch(() => undefined);
  if (version !== STORE_VERSION) {
    await writer.run(`
      DROP TABLE IF EXISTS store.meta; DROP TABLE IF EXISTS store.files;
      DROP TABLE IF EXISTS store.problems; DROP TABLE IF EXISTS store.events;
      ${TABLES}
      INSERT INTO store.meta VALUES ('version', ${sqlString(STORE_VERSION)});`);
  }
  return undefined;
}
