// The two ways a batch of events becomes a Parquet file: DuckDB's JSON reader over whole
// files (fast, in the ingest worker), or records already parsed in JavaScript (the careful
// path; LookupEvents pages are written alike by sources/lookup/fetchedEvents.ts). All write the same columns: the record's fields (eventTime
// in CloudTrail's form, see storedEventTime.ts) and _file, _record, _ts, _time_as_read.
import { chmodSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_RECORD, COLUMN_NAMES, RECORD_TYPE, columnType, duckdbType, jsonStructure } from '../../engine/schema';
import { sqlPathList, sqlString } from '../../engine/sqlText';
import { BATCH_PARQUET } from '../../engine/store/batchFormat';
import { withStoredTime } from '../../engine/storedEventTime';
import type { NarrowRead } from '../../engine/cellColumns';
import type { LogFormat } from './logFormat';
import { MAX_LOG_BYTES } from './logStream';
import type { ParsedLogFile } from './readLogFile';
import { packedRows, packSmallLogs, removePack, type Pack } from './packedLogs';

const RECORD_STRUCTURE = JSON.stringify([jsonStructure(CLOUDTRAIL_RECORD)]);

/** A file for the bulk reader: the store's id and where its checked bytes are. */
export interface BulkFile {
  readonly id: number;
  readonly path: string;
  /** As listed, when known. */
  readonly size?: number;
}

/**
 * The cache holds what the logs said, which is as private as the logs: batches are
 * readable by their owner only, whatever the umask of the process that wrote them.
 */
export function restrictToOwner(path: string): void {
  chmodSync(path, 0o600);
}

/**
 * DuckDB's JSON reader over whole files of one format, as rows of `_file`, `_record` and `r`
 * (a record STRUCT type `record`). Small gzip files of CloudTrail's form are read from a
 * pack (packedLogs.ts says why); `pack` is what to remove once the statement is done.
 */
function bulkReader(
  files: readonly BulkFile[],
  format: Exclude<LogFormat, 'objects'>,
  record: string,
  scratchDir: string | undefined,
): { rows: string; pack?: Pack } {
  const { pack, asTheyAre } = format === 'records' && scratchDir ? packSmallLogs(files, scratchDir) : { pack: undefined, asTheyAre: files };
  const parts = pack ? [packedRows(pack, record, MAX_LOG_BYTES)] : [];
  if (asTheyAre.length > 0) parts.push(filesReader(asTheyAre, format, record));
  return { rows: parts.join(' UNION ALL '), ...(pack ? { pack } : {}) };
}

function filesReader(files: readonly BulkFile[], format: Exclude<LogFormat, 'objects'>, record: string): string {
  const list = format === 'records' ? 'Records' : 'json';
  // One `{"Records": [...]}` file is one JSON value to this reader: the largest it may
  // hold is the largest log file (see MAX_LOG_BYTES). `records` is always said: with one
  // column named and `records` left to DuckDB, its reader sampled the statement's first 32
  // files to detect it, parsing them whole twice and walking every field of every record
  // (JSONSchemaTask): a third of a batch's time on the ten-million-event trail (files of
  // 2 MB of JSON, 16 MB of gzip a batch).
  const reader = `read_json(${sqlPathList(files.map((f) => f.path))},
      columns = {${list}: ${sqlString(`${record}[]`)}},
      format = 'unstructured', records = ${format === 'array' ? "'false'" : "'true'"},
      maximum_object_size = ${MAX_LOG_BYTES}, filename = true)`;
  // The file's id by its place in the list (file_index, from 0), checked against the name the
  // reader opened, on the file's row before its records are unnested. (A join of the
  // records to the ids on the name had DuckDB hash every record of the batch.)
  const paths = `[${files.map((f) => sqlString(f.path)).join(', ')}]`;
  const ids = `[${files.map((f) => f.id).join(', ')}]`;
  const at = 'CAST(file_index AS BIGINT) + 1';
  const id = `CASE WHEN filename = ${paths}[${at}] THEN ${ids}[${at}]
      ELSE error('the JSON reader opened a file other than the one it was given') END`;
  // A value without a list of Records (`{}`, `{"a": 1}`, `{"Records": null}`) is no CloudTrail
  // log, and unnest would make it no rows: stored as a log of no events, and told nowhere.
  // It fails the statement instead, so that the file is read alone by the careful reader,
  // which says what it holds.
  const listed =
    format === 'records'
      ? `WHERE CASE WHEN Records IS NOT NULL THEN true ELSE error('a log file holds a value with no "Records" list') END`
      : '';
  return `SELECT _file, unnest(${list}) AS r, generate_subscripts(${list}, 1) AS _record
      FROM (SELECT ${id} AS _file, ${list} FROM ${reader} ${listed})`;
}

/** Runs `statement` over the rows of `files`, removing the pack they were read from after. */
async function overBulkRows(
  db: DuckDBConnection,
  files: readonly BulkFile[],
  format: Exclude<LogFormat, 'objects'>,
  record: string,
  scratchDir: string | undefined,
  statement: (rows: string) => string,
): Promise<void> {
  const { rows, pack } = bulkReader(files, format, record, scratchDir);
  try {
    await db.run(statement(rows));
  } finally {
    removePack(pack);
  }
}

/** `scratchDir`: where small files are packed (packedLogs.ts); without it, every file is read as it is. */
export async function writeBulkBatch(
  db: DuckDBConnection,
  files: readonly BulkFile[],
  format: Exclude<LogFormat, 'objects'>,
  parquet: string,
  scratchDir?: string,
): Promise<void> {
  await overBulkRows(
    db,
    files,
    format,
    RECORD_TYPE,
    scratchDir,
    (rows) => `COPY (
      ${withStoredTime(`SELECT _file, _record, unnest(r) FROM (${rows})`)}
    ) TO ${sqlString(parquet)} (${BATCH_PARQUET})`,
  );
  restrictToOwner(parquet);
}

/**
 * The columns a cell reads, for answering it before the cache is written (directAnswer.ts),
 * converted as `read` says (cellColumns.ts, narrowRecord.ts): the kept columns, struct
 * columns narrowed to the fields the cell reads, and the skeleton of every other struct and
 * list column, so that a record the full read refuses (a `resources` that is an object) is
 * refused here too and the two reads never give different answers. What is skipped is the
 * rest: the JSON-text columns and plain strings, which take any value, and the fields of a
 * struct the cell does not read. Uncompressed: the file lives until the cache is written.
 */
export async function writeProjectedBatch(
  db: DuckDBConnection,
  files: readonly BulkFile[],
  format: Exclude<LogFormat, 'objects'>,
  read: NarrowRead,
  parquet: string,
  scratchDir?: string,
): Promise<void> {
  // Names and types from the schema only: a name the worker is sent that is not a column is refused.
  const converted = COLUMN_NAMES.filter((name) => Object.hasOwn(read.types, name));
  const kept = COLUMN_NAMES.filter((name) => read.columns.includes(name));
  for (const name of [...read.columns, ...Object.keys(read.types)]) columnType(name);
  const record = `STRUCT(${converted.map((name) => `"${name}" ${duckdbType(read.types[name] ?? columnType(name))}`).join(', ')})`;
  await overBulkRows(
    db,
    files,
    format,
    record,
    scratchDir,
    (rows) => `COPY (
      ${withStoredTime(`SELECT _file, _record, ${kept.map((name) => `r."${name}" AS "${name}"`).join(', ')} FROM (${rows})`)}
    ) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION uncompressed)`,
  );
  restrictToOwner(parquet);
}

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
