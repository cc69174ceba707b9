// The `cloudtrail_logs` table on Trino, laid out like Athena's CloudTrail table with
// partition projection: the Athena column types (derived from the engine's schema) and a
// `timestamp` partition of yyyy/MM/dd strings, so the window rewrite's partition
// predicates are exercised, not just written. The Parquet export sits in the warehouse
// as an external staging table; Trino itself writes the partitioned table from it.
import { TRINO_COLUMN_DEFINITIONS, TRINO_COLUMN_LIST } from '../../../src/sources/trino/tableSchema';
import type { TrinoClient } from '../../../src/sources/trino/client';
import { dayPartition } from '../../../src/sources/trino/partitions';
import type { TrinoTarget } from '../../../src/sources/trino/windowRewrite';
import { itemAt } from '../../support/itemAt';

export const CATALOG = 'hive';
export const SCHEMA = 'trail';

/** Where the window rewrite points: the partitioned table and its day partition. */
export const TARGET: TrinoTarget = { table: `${CATALOG}.${SCHEMA}.cloudtrail_logs`, partitions: [dayPartition('timestamp')] };

/**
 * A query retried while Trino has no node for it yet. Right after start the node is active
 * in system.runtime.nodes a moment before the scheduler offers it for the hive catalog, and
 * a query in between fails with NO_NODES_AVAILABLE before it touches anything.
 */
async function whenNodeReady(client: TrinoClient, sql: string): Promise<Awaited<ReturnType<TrinoClient['query']>>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await client.query(sql);
    } catch (error) {
      if (!/NO_NODES_AVAILABLE/.test((error as Error).message) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** `stagingFolder` is the export's folder relative to the catalog's local.location root. */
export async function createTables(trino: TrinoClient, stagingFolder: string): Promise<number> {
  const client = { query: (sql: string) => whenNodeReady(trino, sql) };
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
  return Number(itemAt(count.rows, 0)[0]);
}
