// The endpoint's catalog: the tables queries may name and GetTableMetadata describes. It
// starts with one, `"default"."cloudtrail_logs"` (the --logs folder, a `timestamp` day
// partition with projection). A CREATE EXTERNAL TABLE adds one, as `trailbook athena ddl
// --apply` does in Athena, when the endpoint can serve it: Athena's CloudTrail columns and
// types exactly (the engine's schema is what every table here reads), partitions the backend
// can derive, with the partition projection the Athena source relies on, and a LOCATION in
// the served bucket. Every table reads the same --logs folder: a LOCATION elsewhere is
// refused, never followed, so no DDL can point the endpoint at other files.
//
// Refusals keep Athena's shapes. A statement the endpoint does not emulate (DROP, ALTER,
// CREATE VIEW, CREATE TABLE AS, MSCK, …) is refused at StartQueryExecution with
// InvalidRequestException. A CREATE EXTERNAL TABLE it cannot read or serve ends FAILED, with
// StateChangeReason `FAILED: ParseException line L:C …` or `FAILED: SemanticException …`, as
// Hive's DDL failures read in Athena.
import { HIVE_COLUMNS } from '../../sources/athena/ddl';
import { invalidRequest, QueryFailure } from './athenaErrors';
import type { BackendResult } from './backend';
import { DdlParseError, parseCreateTable, type CreateTable, type HiveColumn } from './createTable';
import { LOGS_BUCKET } from './s3Listing';
import { ATHENA_CATALOG, type ServedTable } from './servedTable';

export interface CatalogTable extends ServedTable {
  readonly columns: readonly HiveColumn[];
  readonly partitionColumns: readonly HiveColumn[];
  /** GetTableMetadata's Parameters; for the starting table the location is added from the folder's layout. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly createTime: Date;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,254}$/;
const DAY_FORMAT = 'yyyy/MM/dd';
const BUCKET_ROOT = `s3://${LOGS_BUCKET}/`;

const key = (database: string, name: string): string => `${database}.${name}`.toLowerCase();

/** Words that say what kind of DDL statement it is (`CREATE OR REPLACE VIEW`), before any name. */
const KIND_WORDS = new Set([
  'CREATE',
  'DROP',
  'ALTER',
  'MSCK',
  'REPAIR',
  'OR',
  'REPLACE',
  'EXTERNAL',
  'TABLE',
  'VIEW',
  'DATABASE',
  'SCHEMA',
  'PROTECTED',
  'MATERIALIZED',
  'FUNCTION',
]);

/** The statement's text past leading comments and white space. */
const statementStart = (sql: string): string => sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');

/** What kind of statement it is: `DROP TABLE`, `CREATE OR REPLACE VIEW`, `MSCK REPAIR TABLE`. */
function statementKind(sql: string): string {
  const words: string[] = [];
  for (const word of statementStart(sql).split(/\s+/)) {
    const upper = word.toUpperCase();
    if (!KIND_WORDS.has(upper)) break;
    words.push(upper);
  }
  return words.join(' ');
}

/** Statements that start with a DDL verb: the catalog's to answer, not the engine's. */
export const isCatalogStatement = (sql: string): boolean => /^(?:CREATE|DROP|ALTER|MSCK)\b/i.test(statementStart(sql));

/**
 * At StartQueryExecution, for a catalog statement: only CREATE EXTERNAL TABLE is taken; any
 * other is refused there, naming what the endpoint does run.
 */
export function checkDdlStatement(sql: string): void {
  if (/^CREATE\s+EXTERNAL\s+TABLE\b/i.test(statementStart(sql))) return;
  throw invalidRequest(
    `${statementKind(sql) || 'this statement'} is not emulated by this endpoint: it runs SELECT queries and the CREATE EXTERNAL TABLE that \`trailbook athena ddl\` prints`,
  );
}

const semantic = (message: string): QueryFailure => new QueryFailure('FAILED', `SemanticException ${message}`);

export class TableCatalog {
  private readonly tables = new Map<string, CatalogTable>();

  /**
   * @param partitionColumns the partition columns the backend derives from each event
   *   (DuckDB: timestamp, account, region; Trino: what its table has).
   * @param folderLocation the starting table's `location` or `storage.location.template`,
   *   from the folder's layout (s3Listing.ts).
   */
  constructor(
    start: ServedTable,
    private readonly partitionColumns: readonly string[],
    private readonly folderLocation: () => Promise<Record<string, string>>,
  ) {
    this.tables.set(key(start.database, start.name), {
      database: start.database.toLowerCase(),
      name: start.name.toLowerCase(),
      partitionKeys: ['timestamp'],
      columns: [...HIVE_COLUMNS].map(([name, type]) => ({ name, type })),
      partitionColumns: [{ name: 'timestamp', type: 'string' }],
      parameters: { 'projection.enabled': 'true', 'projection.timestamp.format': DAY_FORMAT, 'projection.timestamp.type': 'date' },
      createTime: new Date(),
    });
  }

  /** What queries may name, now. */
  list(): readonly ServedTable[] {
    return [...this.tables.values()].map((t) => ({
      database: t.database,
      name: t.name,
      partitionKeys: t.partitionKeys,
      ...(t.projectedValues ? { projectedValues: t.projectedValues } : {}),
    }));
  }

  find(database: string, name: string): CatalogTable | undefined {
    return this.tables.get(key(database, name));
  }

  /** GetTableMetadata's TableMetadata, or undefined for a table the catalog does not hold. */
  async metadata(catalog: string, database: string, name: string): Promise<Record<string, unknown> | undefined> {
    const table = catalog.toLowerCase() === ATHENA_CATALOG ? this.find(database, name) : undefined;
    if (!table) return undefined;
    const starting = table.parameters.location === undefined && table.parameters['storage.location.template'] === undefined;
    return {
      Name: table.name,
      CreateTime: table.createTime.getTime() / 1000,
      TableType: 'EXTERNAL_TABLE',
      Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type })),
      PartitionKeys: table.partitionColumns.map((c) => ({ Name: c.name, Type: c.type })),
      Parameters: { ...table.parameters, ...(starting ? await this.folderLocation() : {}) },
    };
  }

  /** Runs a CREATE EXTERNAL TABLE (the query's database is the default for an unqualified name). */
  execute(sql: string, database: string): BackendResult {
    let create: CreateTable;
    try {
      create = parseCreateTable(sql);
    } catch (error) {
      if (error instanceof DdlParseError) throw new QueryFailure('FAILED', error.message);
      throw error;
    }
    const table = this.check(create, create.database ?? database);
    const existing = this.find(table.database, table.name);
    if (existing && !create.ifNotExists)
      throw new QueryFailure('FAILED', `AlreadyExistsException Table ${table.name} already exists in ${table.database}`);
    // IF NOT EXISTS over an existing table changes nothing, as in Athena.
    if (!existing) this.tables.set(key(table.database, table.name), table);
    return { columns: [], rows: [], scannedBytes: 0 };
  }

  /** The table the statement describes, if the endpoint can serve it; else why not. */
  private check(create: CreateTable, database: string): CatalogTable {
    for (const [what, value] of [
      ['database', database],
      ['table', create.name],
    ] as const) {
      if (!IDENTIFIER.test(value))
        throw semantic(`the ${what} name ${JSON.stringify(value)}: use lower-case letters, digits and _ (Glue's names)`);
    }
    const columns = new Map<string, string>();
    for (const column of [...create.columns, ...create.partitionKeys]) {
      if (columns.has(column.name)) throw semantic(`Duplicate column name: ${column.name}`);
      columns.set(column.name, column.type);
    }
    // The columns: exactly Athena's CloudTrail table, as the engine's schema has it.
    const declared = new Map(create.columns.map((c) => [c.name, c.type]));
    const missing = [...HIVE_COLUMNS.keys()].filter((name) => !declared.has(name));
    const extra = [...declared.keys()].filter((name) => !HIVE_COLUMNS.has(name));
    const typed = [...HIVE_COLUMNS].filter(([name, type]) => declared.has(name) && declared.get(name) !== type).map(([name]) => name);
    const problems = [
      missing.length > 0 && `lacks ${missing.join(', ')}`,
      extra.length > 0 && `has columns the CloudTrail table has not (${extra.join(', ')})`,
      typed.length > 0 && `types ${typed.join(', ')} otherwise`,
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) {
      throw semantic(
        `the columns are not Athena's CloudTrail table: it ${problems.join('; ')}. This endpoint serves CloudTrail events only: print the statement with \`trailbook athena ddl\``,
      );
    }
    // The partitions, and the projection that lists them.
    const p = create.properties;
    const keys = create.partitionKeys.map((c) => c.name);
    if (!keys.includes('timestamp'))
      throw semantic(
        'the table has no `timestamp` partition: the Athena source writes the window as its yyyy/MM/dd days; add PARTITIONED BY (`timestamp` string)',
      );
    for (const column of create.partitionKeys) {
      if (!this.partitionColumns.includes(column.name)) {
        throw semantic(
          `the partition ${column.name}: this endpoint derives only ${this.partitionColumns.join(', ')} from the events it serves`,
        );
      }
      if (column.type !== 'string') throw semantic(`the partition ${column.name} is ${column.type}: CloudTrail's folders make it a string`);
    }
    if (p['projection.enabled'] !== 'true')
      throw semantic(
        "TBLPROPERTIES lacks 'projection.enabled' = 'true': without partition projection no partition of the table can be read here",
      );
    for (const name of keys) {
      const type = p[`projection.${name}.type`];
      if (type === undefined) throw semantic(`TBLPROPERTIES lacks 'projection.${name}.type' for the partition ${name}`);
      if (name === 'timestamp') {
        if (type !== 'date' || p['projection.timestamp.format'] !== DAY_FORMAT) {
          throw semantic(
            `the timestamp partition must be projected as type 'date' with format '${DAY_FORMAT}' (the days of CloudTrail's folders), not ${JSON.stringify(type)} with ${JSON.stringify(p['projection.timestamp.format'] ?? 'no format')}`,
          );
        }
      } else if (type === 'enum' && !(p[`projection.${name}.values`] ?? '').trim()) {
        throw semantic(`TBLPROPERTIES lacks 'projection.${name}.values' for the enum partition ${name}`);
      }
    }
    // Where its files are: the served bucket only.
    if (create.location === undefined) throw semantic('an external table needs a LOCATION');
    const template = p['storage.location.template'];
    for (const [what, place] of [
      ['LOCATION', create.location],
      ['storage.location.template', template],
    ] as const) {
      if (place !== undefined && !place.startsWith(BUCKET_ROOT)) {
        throw semantic(
          `${what} ${JSON.stringify(place)}: this endpoint serves only its --logs folder, as the bucket ${BUCKET_ROOT}; a table over any other place would read files it does not serve`,
        );
      }
      if (place !== undefined && place.split('/').some((part) => part === '..' || part === '.'))
        throw semantic(`${what} ${JSON.stringify(place)}: a path with . or .. parts`);
    }
    if (template === undefined)
      throw semantic("TBLPROPERTIES lacks 'storage.location.template': projection needs the folders of each partition");
    const unnamed = keys.filter((name) => !template.includes(`\${${name}}`));
    if (unnamed.length > 0)
      throw semantic(`'storage.location.template' ${JSON.stringify(template)} does not place ${unnamed.map((n) => `\${${n}}`).join(', ')}`);

    const parameters: Record<string, string> = {
      EXTERNAL: 'TRUE',
      location: create.location,
      ...(create.inputFormat !== undefined ? { inputformat: create.inputFormat } : {}),
      ...(create.outputFormat !== undefined ? { outputformat: create.outputFormat } : {}),
      ...(create.serde !== undefined ? { 'serde.serialization.lib': create.serde } : {}),
      ...Object.fromEntries(Object.entries(create.serdeProperties).map(([k, v]) => [`serde.param.${k}`, v])),
      ...(create.comment !== undefined ? { comment: create.comment } : {}),
      ...p,
    };
    const projectedValues = Object.fromEntries(
      keys
        .filter((name) => p[`projection.${name}.type`] === 'enum')
        .map((name) => [
          name,
          (p[`projection.${name}.values`] ?? '')
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
        ]),
    );
    return {
      database,
      name: create.name,
      partitionKeys: keys,
      projectedValues,
      columns: create.columns,
      partitionColumns: create.partitionKeys,
      parameters,
      createTime: new Date(),
    };
  }
}
