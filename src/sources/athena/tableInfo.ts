// What the catalog says about the table, asked once per source (GetTableMetadata): its
// partition columns (which predicates the window adds), where its files are (the S3
// listing for the cost bound), the enum values of its projected partitions, and how its
// columns differ from Athena's CloudTrail table (checked on first use, said in the notes).
//
// What an endpoint must answer for this source (the local one in src/testbed/athenaEndpoint
// included): GetTableMetadata with Columns (Hive type text, `struct<…>`), PartitionKeys and
// Parameters (`location` or `storage.location.template`, `projection.<key>.type`/`values`);
// a table with no PartitionKeys gets the eventTime bounds only. And S3 ListObjectsV2,
// path-style at the same endpoint URL (`GET /BUCKET?list-type=2&prefix=…`), for the cost bound.
import { GetTableMetadataCommand, type AthenaClient, type TableMetadata } from '@aws-sdk/client-athena';
import { HIVE_COLUMNS } from './ddl';
import { tableLayout, type TableLayout } from './partitions';

export interface TableInfo {
  readonly layout: TableLayout;
  /** `s3://b/AWSLogs/o-x/${account}/CloudTrail/${region}/${timestamp}`, or the LOCATION when there is no template. */
  readonly locationTemplate?: string;
  /** Enum values of projected partitions, by lower-case column name. */
  readonly projectedValues: ReadonlyMap<string, readonly string[]>;
  /** Plain sentences: columns missing, extra or typed otherwise than Athena's CloudTrail table. */
  readonly schemaDifferences: readonly string[];
}

const squash = (type: string): string => type.toLowerCase().replace(/\s+/g, '');

export function describeTable(metadata: TableMetadata): TableInfo {
  const parameters = metadata.Parameters ?? {};
  const partitionKeys = (metadata.PartitionKeys ?? []).map((c) => (c.Name ?? '').toLowerCase());
  const projectedValues = new Map<string, string[]>();
  for (const key of partitionKeys) {
    const values = parameters[`projection.${key}.values`];
    if (parameters[`projection.${key}.type`] === 'enum' && values)
      projectedValues.set(
        key,
        values
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      );
  }
  const columns = new Map((metadata.Columns ?? []).map((c) => [(c.Name ?? '').toLowerCase(), c.Type ?? '']));
  const missing = [...HIVE_COLUMNS.keys()].filter((name) => !columns.has(name));
  const typed = [...HIVE_COLUMNS]
    .filter(([name, type]) => columns.has(name) && squash(columns.get(name)!) !== squash(type))
    .map(([name]) => name);
  const differences: string[] = [];
  if (missing.length > 0)
    differences.push(`the table has no column ${missing.join(', ')}: cells that use ${missing.length === 1 ? 'it' : 'them'} fail there`);
  if (typed.length > 0)
    differences.push(
      `the table types ${typed.join(', ')} otherwise than Athena's CloudTrail table: a cell reading a field it lacks fails there`,
    );
  const template = parameters['storage.location.template'] ?? parameters.location ?? parameters.Location;
  return {
    layout: tableLayout(partitionKeys),
    ...(template ? { locationTemplate: template } : {}),
    projectedValues,
    schemaDifferences: differences,
  };
}

export async function fetchTableInfo(
  client: AthenaClient,
  place: { catalog: string; database: string; table: string },
  signal?: AbortSignal,
): Promise<TableInfo> {
  const { TableMetadata: metadata } = await client.send(
    new GetTableMetadataCommand({ CatalogName: place.catalog, DatabaseName: place.database, TableName: place.table }),
    signal ? { abortSignal: signal } : {},
  );
  if (!metadata)
    throw Object.assign(new Error(`the catalog returned no metadata for ${place.database}.${place.table}`), { name: 'MetadataException' });
  return describeTable(metadata);
}
