// The log files the store has read: path, size and mtime (a file that changed is read
// again), its format, and how it was read when it was not as CloudTrail writes it.
import type { DuckDBConnection } from '@duckdb/node-api';
import { fileIdPredicate } from '../query';
import { sqlInteger } from '../sqlText';
import { columnRows, integers, texts } from './columnRows';
import { rows } from './writerSql';

export interface StoredLogFile {
  readonly id: number;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The format read; undefined: the file could not be read (its problem says why). */
  readonly format?: string | undefined;
  /** Another tool's export, unwrapped (sources/local/exportShapes.ts). */
  readonly readAs?: { readonly shape?: string; readonly timeFromTimestamp: number } | undefined;
}

export interface KnownFile {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** How a set of files was read, one row a shape (null: CloudTrail's own, with @timestamp used). */
export interface ReadingFact {
  readonly shape: string | null;
  readonly files: number;
  readonly events: number;
  readonly timeFromTimestamp: number;
}

export async function knownFiles(db: DuckDBConnection): Promise<Map<string, KnownFile>> {
  const known = new Map<string, KnownFile>();
  // A string for each 65,536 files, fields and files parted by NUL (which no path holds):
  // a warm run over 146,305 files took 0.65-0.77 s to read them as rows, 0.35-0.43 s so.
  // (One string for all could pass V8's longest string at a few million files.)
  const chunks = await rows(
    db,
    `SELECT string_agg(concat(id, chr(0), size, chr(0), mtime_ms, chr(0), path), chr(0)) FROM store.files GROUP BY id // 65536`,
  );
  for (const [chunk] of chunks) {
    const fields = (chunk as string).split('\0');
    for (let i = 0; i + 3 < fields.length; i += 4) {
      known.set(fields[i + 3]!, { id: Number(fields[i]), size: Number(fields[i + 1]), mtimeMs: Number(fields[i + 2]) });
    }
  }
  return known;
}

export async function insertFiles(db: DuckDBConnection, files: readonly StoredLogFile[], batch: number | null): Promise<void> {
  if (files.length === 0) return;
  const added = columnRows({
    id: integers(files.map((f) => f.id)),
    path: texts(files.map((f) => f.path)),
    size: integers(files.map((f) => f.size)),
    mtime_ms: integers(files.map((f) => f.mtimeMs)),
    format: texts(files.map((f) => f.format ?? 'unreadable')),
    read_as: texts(files.map((f) => f.readAs?.shape)),
    time_from_timestamp: integers(files.map((f) => f.readAs?.timeFromTimestamp ?? 0)),
  });
  await db.run(
    `INSERT INTO store.files
     SELECT id, path, size, mtime_ms, format, 0, 0, ${batch === null ? 'NULL' : sqlInteger(batch, 'batch id')}, read_as, time_from_timestamp
     FROM ${added.sql}`,
    added.params,
  );
}

export async function readingFacts(db: DuckDBConnection, ids: readonly number[]): Promise<ReadingFact[]> {
  if (ids.length === 0) return [];
  const found = await rows(
    db,
    `SELECT read_as, count(*), sum(events), sum(time_from_timestamp) FROM store.files
     WHERE ${fileIdPredicate(ids, 'id')} AND (read_as IS NOT NULL OR time_from_timestamp > 0)
     GROUP BY read_as ORDER BY read_as NULLS LAST`,
  );
  return found.map(([shape, files, events, fromTimestamp]) => ({
    shape: shape as string | null,
    files: Number(files),
    events: Number(events),
    timeFromTimestamp: Number(fromTimestamp),
  }));
}
