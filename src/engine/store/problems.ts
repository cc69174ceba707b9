// What could not be read, kept with the file or fetch it is about, so a cached run reports
// it as the run that found it did.
import type { DuckDBConnection } from '@duckdb/node-api';
import { fileIdPredicate } from '../query';
import { sqlString } from '../sqlText';
import { rows } from './writerSql';

export interface StoredProblem {
  /** The record's place in its file or fetch (from 1). */
  readonly record?: number;
  readonly line?: number;
  readonly message: string;
}

export interface OriginProblem extends StoredProblem {
  /** The file or fetch id. */
  readonly origin: number;
  /** The log file's path; none for a fetch. */
  readonly path?: string;
}

export async function insertProblems(db: DuckDBConnection, origin: number, problems: readonly StoredProblem[]): Promise<void> {
  if (problems.length === 0) return;
  await db.run(
    `INSERT INTO store.problems VALUES ${problems
      .map((p) => `(${origin}, ${p.record ?? 'NULL'}, ${p.line ?? 'NULL'}, ${sqlString(p.message)})`)
      .join(', ')}`,
  );
}

/** The problems of these origins: files by path, then fetches by id; within each, by record. */
export async function problemsOf(db: DuckDBConnection, ids: readonly number[]): Promise<OriginProblem[]> {
  if (ids.length === 0) return [];
  const found = await rows(
    db,
    `SELECT p.origin, f.path, p.record, p.line, p.message FROM store.problems p LEFT JOIN store.files f ON f.id = p.origin
     WHERE ${fileIdPredicate(ids, 'p.origin')} ORDER BY f.path NULLS LAST, p.origin, p.record NULLS FIRST`,
  );
  return found.map(([origin, path, record, line, message]) => ({
    origin: Number(origin),
    ...(path === null ? {} : { path: path as string }),
    ...(record === null ? {} : { record: Number(record) }),
    ...(line === null ? {} : { line: Number(line) }),
    message: message as string,
  }));
}
