// The `cloudtrail_logs` table on Trino, laid out like Athena's CloudTrail table with
// partition projection: the Athena column types (derived from the engine's schema) and a
// `timestamp` partition of yyyy/MM/dd strings, so the window rewrite's partition
// predicates are exercised, not just written. The Parquet export sits in the warehouse
// as an external staging table; Trino itself writes the partitioned table from it.
import { TRINO_COLUMN_DEFINITIONS, TRINO_COLUMN_LIST } from '../../../src/sources/trino/tableSchema';
import type { TrinoClient } from '../../../src/sources/trino/client';
import { dayPartition } from '../../../src/sources/trino/partitions';
import type { TrinoTarget } from '../../../src/sources/trino/windowRewrite';

export const CATALOG = 'hive';
export const SCHEMA = 'trail';

/** Where the window rewrite points: the partitioned table and its day partition. */
export const TARGET: TrinoTarget = { table: `${CATALOG}.${SCHEMA}.cloudtrail_logs`, partitions: [dayPartition('timestamp')] };

/** `stagingFolder` is the export's folder relative to the catalog's local.location root. */
export async function createTables(client: TrinoClient, stagingFolder: string): Promise<number> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${CATALOG}.${SCHEMA} WITH (location = 'local:///${SCHEMA}')`);
  await client.query(`DROP TABLE IF EXISTS ${CATALOG}.${SCHEMA}.cloudtrail_logs`);
  await client.query(`DROP TABLE IF EXISTS ${CATALOG}.${SCHEMA}.staging`);
  await client.query(`CREATE TABLE ${CATALOG}.${SCHEMA}.staging (
  ${TRINO_COLUMN_DEFINITIONS}
) WITH (format = 'PARQUET', external_location = 'local:///${stagingFolder}')`);
  await client.query(`CREATE TABLE ${CATALOG}.${SCHEMA}.cloudtrail_logs
WITH (format = 'PARQUET', partitioned_by = ARRAY['timestamp'])
AS SELECT ${TRINO_COLUMN_LIST}, date_format(try(from_iso8601_timestamp(eventtime)), '%Y/%m/%d') AS "timestamp"
FROM ${CATALOG}.${SCHEMA}.staging`);
  const count = await client.query(`SELECT count(*) FROM ${CATALOG}.${SCHEMA}.cloudtrail_logs`);
  return Number(count.rows[0]![0]);
}
