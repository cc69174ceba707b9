// Which columns of `cloudtrail_logs` a cell reads. A cold scan can answer the first cell
// from the JSON as it is parsed, converting only those columns (the JSON columns'
// re-serialisation and the Parquet write of the rest are what cost), but only when the
// answer is certain to be the one the full table gives. So this errs one way only: any
// column a name in the query could mean is kept, and anything that reads columns without
// naming them (`*`, `COLUMNS(…)`, NATURAL JOIN, a whole row, columns renamed by position)
// means "every column". A bind of the query over both tables, compared, is the second check.
import type { DuckDBConnection } from '@duckdb/node-api';
import { COLUMN_NAMES, columnType, duckdbType, type FieldType } from './schema';
import { isShaped, narrowType, skeleton, type FieldsRead } from './narrowRecord';
import { parseSelect, tableAccessProblem } from './sqlGuard';

type Node = { [key: string]: unknown };
const isNode = (value: unknown): value is Node => value !== null && typeof value === 'object' && !Array.isArray(value);

const BY_LOWER = new Map(COLUMN_NAMES.map((name) => [name.toLowerCase(), name]));

class ReadsEverything extends Error {}

/**
 * The table's columns the statement (DuckDB's syntax tree) may read, in the table's order,
 * or undefined when it may read columns it does not name.
 */
export function columnsTheCellReads(tree: unknown): string[] | undefined {
  const names = new Set<string>();
  const tables = new Set<string>();
  const singles = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!isNode(value)) return;
    if (value.class === 'STAR' || value.type === 'STAR' || value.class === 'COLUMNS') throw new ReadsEverything();
    if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names)) {
      const parts = value.column_names.map((part) => String(part).toLowerCase());
      for (const part of parts) names.add(part);
      const [only] = parts;
      if (parts.length === 1 && only !== undefined) singles.add(only);
    }
    if (value.type === 'JOIN') {
      if (value.ref_type === 'NATURAL') throw new ReadsEverything();
      if (Array.isArray(value.using_columns)) for (const name of value.using_columns) names.add(String(name).toLowerCase());
    }
    // A table reference: its name and alias can name a whole row; renamed columns go by position.
    if (typeof value.type === 'string' && 'alias' in value && 'sample' in value) {
      if (Array.isArray(value.column_name_alias) && value.column_name_alias.length > 0) throw new ReadsEverything();
      if (typeof value.alias === 'string' && value.alias !== '') tables.add(value.alias.toLowerCase());
      if (typeof value.table_name === 'string') tables.add(value.table_name.toLowerCase());
    }
    for (const child of Object.values(value)) walk(child);
  };
  try {
    walk(tree);
  } catch (error) {
    if (error instanceof ReadsEverything || error instanceof RangeError) return undefined;
    throw error;
  }
  for (const single of singles) if (tables.has(single)) return undefined;
  const read = [...names].map((name) => BY_LOWER.get(name)).filter((name): name is string => name !== undefined);
  return COLUMN_NAMES.filter((name) => read.includes(name));
}

/**
 * Of each struct, list and map column, what the statement may read: the paths of fields
 * after the column's name (`userIdentity.sessionIssuer.arn`), or the whole column when a
 * name could mean it without a field after it (`userIdentity`, `t.userIdentity`, a function
 * of it, `USING (resources)`). Every reading of a name is taken, so this errs one way only:
 * towards more fields.
 */
export function fieldsTheCellReads(tree: unknown): Map<string, FieldsRead> {
  const read = new Map<string, FieldsRead>();
  const add = (column: string, path: readonly string[]): void => {
    const known = read.get(column);
    if (path.length === 0 || known === 'whole') read.set(column, 'whole');
    else read.set(column, [...(known ?? []), path]);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!isNode(value)) return;
    if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names)) {
      const parts = value.column_names.map(String);
      parts.forEach((part, i) => {
        const column = BY_LOWER.get(part.toLowerCase());
        if (column !== undefined && isShaped(columnType(column))) add(column, parts.slice(i + 1));
      });
    }
    if (value.type === 'JOIN' && Array.isArray(value.using_columns)) {
      for (const name of value.using_columns) {
        const column = BY_LOWER.get(String(name).toLowerCase());
        if (column !== undefined && isShaped(columnType(column))) add(column, []);
      }
    }
    for (const child of Object.values(value)) walk(child);
  };
  walk(tree);
  return read;
}

/** What a cold cell's narrow read converts, and keeps. */
export interface NarrowRead {
  /** The columns kept (the cell reads them), in the table's order. */
  readonly columns: string[];
  /** The type each converted column is read as: the kept ones narrowed to the fields read, and the skeleton of every other struct and list column. */
  readonly types: Record<string, FieldType>;
}

const definitions = (columns: readonly string[], types: Readonly<Record<string, FieldType>> = {}): string =>
  columns.map((name) => `"${name}" ${duckdbType(types[name] ?? columnType(name))}`).join(', ');

/**
 * The columns `sql` reads, when a table of only those gives it the same result columns as
 * the whole table; undefined when it reads every column, does not bind, or is refused by
 * the guard (the normal path then says why). Checked on `connection`, one of the store's
 * query instance (EventStore.connect: the Trino functions, and no file but the events'),
 * whose temporary tables are its own; the cell is bound there, never run.
 */
export async function projectionForCell(connection: DuckDBConnection, sql: string): Promise<NarrowRead | undefined> {
  // A cell that does not parse is the normal path's to report, at its line.
  const parsed = await parseSelect(connection, sql).catch(() => undefined);
  if (!parsed || 'problem' in parsed) return undefined;
  return projectionForTree(connection, sql, parsed.tree);
}

/** projectionForCell, for a cell already parsed (`tree`: parseSelect's syntax tree of `sql`). */
export async function projectionForTree(connection: DuckDBConnection, sql: string, tree: unknown): Promise<NarrowRead | undefined> {
  if (tableAccessProblem(tree)) return undefined;
  const read = columnsTheCellReads(tree);
  if (read === undefined) return undefined;
  // eventTime always: every batch keeps it (the window, the notes), and a table needs a column.
  const columns = COLUMN_NAMES.filter((name) => name === 'eventTime' || read.includes(name));
  if (columns.length === COLUMN_NAMES.length) return undefined;
  const fields = fieldsTheCellReads(tree);
  const types: Record<string, FieldType> = {};
  for (const name of COLUMN_NAMES) {
    const type = columnType(name);
    if (columns.includes(name)) types[name] = isShaped(type) ? narrowType(type, fields.get(name) ?? 'whole') : type;
    else if (isShaped(type)) types[name] = skeleton(type);
  }
  const shapes: string[] = [];
  for (const table of [definitions(COLUMN_NAMES), definitions(columns, types)]) {
    const created = await connection.run(`CREATE OR REPLACE TEMP TABLE cloudtrail_logs (${table})`).then(
      () => true,
      () => false,
    );
    if (!created) return undefined;
    const prepared = await connection.prepare(sql).catch(() => undefined);
    if (!prepared) return undefined;
    const shape: string[] = [];
    for (let i = 0; i < prepared.columnCount; i += 1) shape.push(`${prepared.columnName(i)} ${prepared.columnType(i).toString()}`);
    prepared.destroySync();
    shapes.push(shape.join(', '));
  }
  return shapes[0] === shapes[1] ? { columns, types } : undefined;
}
