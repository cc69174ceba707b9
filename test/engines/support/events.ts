// The events both engines read: the Stratus Red Team detonations (310 real events) and a
// generated trail with every attack injected, in one folder of local logs. DuckDB reads it
// through the local-logs source as the CLI does; for Trino the same events leave the
// engine's own view as Parquet, so both engines see exactly the rows the local schema
// makes of the JSON (same strings, same nulls), not a second parse of the files.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EventStore } from '../../../src/engine/eventStore';
import { defineScope } from '../../../src/engine/query';
import { COLUMN_NAMES, columnType, type FieldType } from '../../../src/engine/schema';
import { sqlString } from '../../../src/engine/sqlText';
import { ALL_TIME } from '../../../src/engine/timeWindow';
import { ATTACK_NAMES, generateTrail } from '../../../src/testbed/loggen';
import { scanLocalLogs } from '../../../src/sources/local/localLogs';
import { STRATUS_DIR } from '../../support/datasets';
import { itemAt } from '../../support/itemAt';

/** Generated events: enough for every runbook to find something, small enough for 2 cores. */
export const GENERATED_EVENTS = 3000;
export const GENERATED_START = new Date('2025-03-03T00:00:00Z');
export const GENERATED_DAYS = 7;

/** Writes the events into `dir/logs` (Stratus files and a generated trail). */
export async function writeLogs(dir: string): Promise<string> {
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  cpSync(STRATUS_DIR, join(logs, 'stratus'), { recursive: true });
  await generateTrail({
    outDir: join(logs, 'generated'),
    events: GENERATED_EVENTS,
    seed: 11,
    start: GENERATED_START,
    days: GENERATED_DAYS,
    attacks: [...ATTACK_NAMES],
  });
  return logs;
}

/**
 * The DuckDB type Parquet should carry for Trino's Hive reader: names lower-cased (as
 * Athena's DDL has them; the reader matches nested fields by name) and JSON-text columns
 * as plain VARCHAR (Athena's STRING).
 */
function parquetType(type: FieldType): string {
  switch (type.kind) {
    case 'varchar':
    case 'json':
      return 'VARCHAR';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'list':
      return `${parquetType(type.item)}[]`;
    case 'struct':
      return `STRUCT(${Object.entries(type.fields)
        .map(([name, field]) => `"${name.toLowerCase()}" ${parquetType(field)}`)
        .join(', ')})`;
  }
}

/**
 * Ingests `logs` as the CLI would and writes every event to `parquetFile`; returns the count.
 * `rowGroupSize`: Trino's reader holds a whole row group of these wide rows in memory, so a
 * million events (bench/trinoVsDuckdb.ts) need row groups smaller than DuckDB's 122,880
 * rows to stay under the test server's 512 MB a query.
 */
export async function exportParquet(logs: string, parquetFile: string, rowGroupSize?: number): Promise<number> {
  const store = await EventStore.open({ threads: 1 });
  try {
    const { ingest } = await scanLocalLogs(store, logs, ALL_TIME);
    // The store's own instance may only read its folder; a second, plain instance reads the
    // store's Parquet batches through the engine's view definition and writes the export.
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      await defineScope(connection, { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME });
      const columns = COLUMN_NAMES.map((name) => `CAST("${name}" AS ${parquetType(columnType(name))}) AS "${name.toLowerCase()}"`).join(
        ', ',
      );
      await connection.run(
        `COPY (SELECT ${columns} FROM cloudtrail_logs) TO ${sqlString(parquetFile)} (FORMAT parquet${rowGroupSize ? `, ROW_GROUP_SIZE ${Math.trunc(rowGroupSize)}` : ''})`,
      );
      const count = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlString(parquetFile)})`);
      return Number(itemAt(count.getRowsJS(), 0)[0]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    store.close();
  }
}
