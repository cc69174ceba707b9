// `trailbook athena ddl`: the CREATE EXTERNAL TABLE for a trail's bucket, with Athena's
// CloudTrail columns (src/engine/schema.ts, lower-cased as Glue keeps them) and partition
// projection, so no partition is ever loaded by hand: `timestamp` as `yyyy/MM/dd` days from
// the range start to NOW, the account and region as enums. An organisation trail's bucket
// holds AWSLogs/o-ORG/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/; an account trail's
// AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/. Every value the person gives is checked
// against what it can be (bucket names, ids, regions) and then quoted by code.
import { COLUMN_NAMES, columnType, type FieldType } from '../../engine/schema';
import { AWS_REGIONS } from '../aws/regions';

export class DdlInputError extends Error {}

export interface DdlInput {
  /** `s3://bucket` or `s3://bucket/prefix` (the folder that holds AWSLogs/). */
  readonly bucket: string;
  /** The organisation id of an organisation trail (`o-…`). */
  readonly org?: string;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly table?: string;
  readonly database?: string;
  /** First day of the projection range, yyyy/MM/dd (default 2020/01/01). */
  readonly since?: string;
}

/** Hive's type text for a field, as Athena's DDL writes it (`struct<type:string,…>`). */
export function hiveType(type: FieldType): string {
  switch (type.kind) {
    case 'varchar':
    case 'json':
      return 'string';
    case 'map':
      return 'map<string,string>';
    case 'list':
      return `array<${hiveType(type.item)}>`;
    case 'struct':
      return `struct<${Object.entries(type.fields)
        .map(([name, field]) => `${name.toLowerCase()}:${hiveType(field)}`)
        .join(',')}>`;
  }
}

/** The columns as Glue reports them: lower-case name → Hive type text. */
export const HIVE_COLUMNS: ReadonlyMap<string, string> = new Map(
  COLUMN_NAMES.map((name) => [name.toLowerCase(), hiveType(columnType(name))]),
);

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,254}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_PART = /^[A-Za-z0-9!_.*()-]+$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DAY = /^\d{4}\/\d{2}\/\d{2}$/;

/** A Hive string literal. The values reaching here are checked, so a quote or backslash is refused, not escaped. */
function hiveString(value: string): string {
  if (/['\\\n\r]/.test(value))
    throw new DdlInputError(`cannot put ${JSON.stringify(value)} in the DDL: it holds a quote, backslash or line break`);
  return `'${value}'`;
}

function identifier(value: string, what: string): string {
  const name = value.trim().toLowerCase();
  if (!IDENTIFIER.test(name))
    throw new DdlInputError(
      `${what} ${JSON.stringify(value)}: use lower-case letters, digits and _ (Glue's names), starting with a letter or _`,
    );
  return `\`${name}\``;
}

/** `s3://bucket/prefix` → its parts, checked. */
export function parseBucket(value: string): { bucket: string; prefix: string } {
  const [, bucket, prefix] = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value.trim()) ?? [];
  if (bucket === undefined)
    throw new DdlInputError(
      `--bucket ${JSON.stringify(value)}: write it as s3://BUCKET or s3://BUCKET/PREFIX (the folder that holds AWSLogs/)`,
    );
  if (!BUCKET.test(bucket) || bucket.includes('..'))
    throw new DdlInputError(
      `--bucket: ${JSON.stringify(bucket)} is not an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)`,
    );
  const parts = (prefix ?? '').split('/').filter((p) => p !== '');
  if (parts.at(-1) === 'AWSLogs') parts.pop();
  const bad = parts.find((p) => !PREFIX_PART.test(p));
  if (bad !== undefined)
    throw new DdlInputError(
      `--bucket: the prefix part ${JSON.stringify(bad)} holds characters the DDL cannot carry safely (use letters, digits and !_.*()-)`,
    );
  return { bucket, prefix: parts.map((p) => `${p}/`).join('') };
}

function list(values: readonly string[] | undefined, pattern: RegExp, what: string, example: string): string[] {
  const out = [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
  const bad = out.find((v) => !pattern.test(v));
  if (bad !== undefined) throw new DdlInputError(`${what} ${JSON.stringify(bad)}: give values such as ${example}`);
  return out;
}

export interface Ddl {
  readonly sql: string;
  /** `database.table`, lower-case. */
  readonly table: string;
  readonly location: string;
}

export function cloudTrailDdl(input: DdlInput): Ddl {
  const { bucket, prefix } = parseBucket(input.bucket);
  if (input.org !== undefined && !ORG.test(input.org.trim()))
    throw new DdlInputError(`--org ${JSON.stringify(input.org)}: an organisation id looks like o-a1b2c3d4e5`);
  const org = input.org?.trim();
  const accounts = list(input.accounts, ACCOUNT, '--accounts', '111122223333,444455556666');
  if (accounts.length === 0) {
    throw new DdlInputError(
      '--accounts is needed: partition projection lists the account folders to read (AWSLogs/[o-ORG/]ACCOUNT/), e.g. --accounts 111122223333,444455556666',
    );
  }
  const regions = list(input.regions, REGION, '--regions', 'us-east-1,eu-west-1');
  const since = input.since?.trim() ?? '2020/01/01';
  if (!DAY.test(since)) throw new DdlInputError(`the projection start ${JSON.stringify(since)}: write it as yyyy/MM/dd`);
  const database = identifier(input.database ?? 'default', '--database');
  const table = identifier(input.table ?? 'cloudtrail_logs', '--table');
  const root = `s3://${bucket}/${prefix}AWSLogs/${org ? `${org}/` : ''}`;
  const template = `${root}\${account}/CloudTrail/\${region}/\${timestamp}`;
  const columns = COLUMN_NAMES.map((name) => `  ${identifier(name, 'column')} ${hiveType(columnType(name))}`).join(',\n');
  const properties: [string, string][] = [
    ['projection.enabled', 'true'],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['projection.timestamp.range', `${since},NOW`],
    ['projection.account.type', 'enum'],
    ['projection.account.values', accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', (regions.length > 0 ? regions : AWS_REGIONS).join(',')],
    ['storage.location.template', template],
  ];
  const sql = [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.${table} (`,
    columns,
    ')',
    `COMMENT ${hiveString(`CloudTrail logs${org ? ` of organisation ${org}` : ''} (written by trailbook athena ddl)`)}`,
    'PARTITIONED BY (`account` string, `region` string, `timestamp` string)',
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION ${hiveString(root)}`,
    'TBLPROPERTIES (',
    properties.map(([k, v]) => `  ${hiveString(k)} = ${hiveString(v)}`).join(',\n'),
    ')',
  ].join('\n');
  return { sql, table: `${database.slice(1, -1)}.${table.slice(1, -1)}`, location: root };
}
