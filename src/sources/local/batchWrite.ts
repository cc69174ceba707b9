// The two ways a batch of events becomes a Parquet file: DuckDB's JSON reader over whole
// files (fast, in the ingest worker), or records already parsed in JavaScript (the careful
// path; LookupEvents pages are written alike by sources/lookup/fetchedEvents.ts). All write the same columns: the record's fields (eventTime
// in CloudTrail's form, see storedEventTime.ts) and _file, _record, _ts, _time_as_read.
import { chmodSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_RECORD, COLUMN_NAMES, RECORD_TYPE, columnType, duckdbType, jsonStructure } from '../../engine/schema';
import { sqlString } from '../../engine/sqlText';
import { BATCH_PARQUET } from '../../engine/store/batchFormat';
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

/** DuckDB's JSON reader over whole files of one format, as rows of `record` (a record STRUCT type). */
function bulkReader(files: readonly BulkFile[], format: Exclude<LogFormat, 'objects'>, record: string): { list: string; rows: string } {
  const list = format === 'records' ? 'Records' : 'json';
  // One `{"Records": [...]}` file is one JSON value to this reader: the largest it may
  // hold is the largest log file (see MAX_LOG_BYTES).
  const reader = `read_json([${files.map((f) => sqlString(f.path)).join(', ')}],
      columns = {${list}: ${sqlString(`${record}[]`)}},
      format = 'unstructured', ${format === 'array' ? "records = 'false'," : ''}
      maximum_object_size = ${MAX_LOG_BYTES}, filename = true)`;
  const ids = `(VALUES ${files.map((f) => `(${f.id}, ${sqlString(f.path)})`).join(', ')}) AS b(id, path)`;
  return {
    list,
    rows: `SELECT b.id AS _file, e.i AS _record, e.r
      FROM (SELECT filename, unnest(${list}) AS r, generate_subscripts(${list}, 1) AS i FROM ${reader}) AS e
      JOIN ${ids} ON b.path = e.filename`,
  };
}

export async function writeBulkBatch(
  db: DuckDBConnection,
  files: readonly BulkFile[],
  format: Exclude<LogFormat, 'objects'>,
  parquet: string,
): Promise<void> {
  const { rows } = bulkReader(files, format, RECORD_TYPE);
  await db.run(`COPY (
    ${withStoredTime(`SELECT _file, _record, unnest(r) FROM (${rows})`)}
  ) TO ${sqlString(parquet)} (${BATCH_PARQUET})`);
  restrictToOwner(parquet);
}

/**
 * The columns a cell reads, for answering it before the cache is written (directAnswer.ts).
 * Every struct and list column is converted too, though not kept: a record whose
 * `resources` is an object makes the full read fail (and the record is reported, not
 * loaded), so the narrow read must fail on it as well, or the two would give different
 * answers. What is skipped is the rest: the JSON-text columns and plain strings, which take
 * any value. Uncompressed: the file lives until the cache is written.
 */
export async function writeProjectedBatch(
  db: DuckDBConnection,
  files: readonly BulkFile[],
  format: Exclude<LogFormat, 'objects'>,
  columns: readonly string[],
  parquet: string,
): Promise<void> {
  const kept = COLUMN_NAMES.filter((name) => name === 'eventTime' || columns.includes(name));
  const converted = COLUMN_NAMES.filter((name) => kept.includes(name) || SHAPED.has(columnType(name).kind));
  const record = `STRUCT(${converted.map((name) => `"${name}" ${duckdbType(columnType(name))}`).join(', ')})`;
  const { rows } = bulkReader(files, format, record);
  await db.run(`COPY (
    ${withStoredTime(`SELECT _file, _record, ${kept.map((name) => `r."${name}" AS "${name}"`).join(', ')} FROM (${rows})`)}
  ) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION uncompressed)`);
  restrictToOwner(parquet);
}

/** Kinds of column that refuse a value of the wrong shape (see recordMismatch). */
const SHAPED = new Set(['struct', 'list', 'map']);

export async function writeParsedBatch(db: DuckDBConnection, fileId: number, parsed: ParsedLogFile, parquet: string): Promise<void> {
  await db.run(
    `COPY (
       ${withStoredTime(`
         SELECT ${fileId} AS _file, i AS _record, unnest(r)
         FROM (SELECT unnest(json_transform($records, $structure)) AS r, unnest($indexes::INTEGER[]) AS i)`)}
     ) TO ${sqlString(parquet)} (${BATCH_PARQUET})`,
    {
      records: JSON.stringify(parsed.records.map((r) => r.value)),
      structure: RECORD_STRUCTURE,
      indexes: JSON.stringify(parsed.records.map((r) => r.index)),
    },
  );
  restrictToOwner(parquet);
}
