// GetTableMetadata for the served table: the Athena CloudTrail table's columns in Hive's
// type names (string, struct<…>, array<…>, map<…>), derived from the engine's schema, and
// the `timestamp` partition key of a table with partition projection. Glue keeps names in
// lower case, so they are given so.
import { CLOUDTRAIL_RECORD, COLUMN_NAMES } from '../../engine/schema';
import { hiveType } from '../../sources/athena/ddl';


/** `location` or `storage.location.template`: where the source's cost bound lists the files. */
export function tableMetadata(name: string, location: Record<string, string>): Record<string, unknown> {
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Columns: COLUMN_NAMES.map((column) => ({ Name: column.toLowerCase(), Type: hiveType(CLOUDTRAIL_RECORD.fields[column]!) })),
    PartitionKeys: [{ Name: 'timestamp', Type: 'string' }],
    Parameters: { 'projection.enabled': 'true', 'projection.timestamp.format': 'yyyy/MM/dd', 'projection.timestamp.type': 'date', ...location },
  };
}
