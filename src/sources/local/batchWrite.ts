// The two ways a batch of events becomes a Parquet file: DuckDB's JSON reader over whole
// files (fast, in the ingest worker), or records already parsed in JavaScript (the careful
// path, and LookupEvents pages). Both write the same columns: the record's fields (eventTime
// in CloudTrail's form, see storedEventTime.ts) and _file, _record, _ts, _time_as_read.
import { chmodSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_RECORD, RECORD_TYPE, jsonStructure } from '../../engine/schema';
import { sqlString } from '../../engine/sqlText';
import { withStoredTime } from '../../engine/storedEventTime';
import type { LogFormat } from './logFormat';
import { MAX_LOG_BYTES } from './logStream';
import type { ParsedLogFile } from './readLogFile';

const RECORD_STRUCTURE = JSON.stringify([jsonStructure(CLOUDTRAIL_RECORD)]);

/** A file for the bulk reader: the store's id and where its checked bytes are. */
export interface BulkFile {
  readonly id: number;
  readonly path: string;
}

/**
 * The cache holds what the logs said, which is as private as the logs: batches are
 * readable by their owner only, whatever the umask of the process that wrote them.
 */
export function restrictToOwner(path: string): void {
  chmodSync(path, 0o600);
}

export async function writeBulkBatch(db: DuckDBConnection, files: readonly BulkFile[], format: Exclude<LogFormat, 'objects'>, parquet: string): Promise<void> {
  const list = format === 'records' ? 'Records' : 'json';
  // One `{"Records": [...]}` file is one JSON value to this reader: the largest it may
  // hold is the largest log file (see MAX_LOG_BYTES).
  const reader = `read_json([${files.map((f) => sqlString(f.path)).join(', ')}],
      columns = {${list}: ${sqlString(`${RECORD_TYPE}[]`)}},
      format = 'unstructured', ${format === 'array' ? "records = 'false'," : ''}
      maximum_object_size = ${MAX_LOG_BYTES}, filename = true)`;
  const ids = `(VALUES ${files.map((f) => `(${f.id}, ${sqlString(f.path)})`).join(', ')}) AS b(id, path)`;
  await db.run(`COPY (
    ${withStoredTime(`
      SELECT b.id AS _file, e.i AS _record, unnest(e.r)
      FROM (SELECT filename, unnest(${list}) AS r, generate_subscripts(${list}, 1) AS i FROM ${reader}) AS e
      JOIN ${ids} ON b.path = e.filename`)}
  ) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`);
  restrictToOwner(parquet);
}

export async function writeParsedBatch(db: DuckDBConnection, fileId: number, parsed: ParsedLogFile, parquet: string): Promise<void> {
  await db.run(
    `COPY (
       ${withStoredTime(`
         SELECT ${fileId} AS _file, i AS _record, unnest(r)
         FROM (SELECT unnest(json_transform($records, $structure)) AS r, unnest($indexes::INTEGER[]) AS i)`)}
     ) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    {
      records: JSON.stringify(parsed.records.map((r) => r.value)),
      structure: RECORD_STRUCTURE,
      indexes: JSON.stringify(parsed.records.map((r) => r.index)),
    },
  );
  restrictToOwner(parquet);
}
