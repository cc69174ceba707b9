// Which columns of `cloudtrail_logs` a cell reads. A cold scan can answer the first cell
// from the JSON as it is parsed, converting only those columns (the JSON columns'
// re-serialisation and the Parquet write of the rest are what cost), but only when the
// answer is certain to be the one the full table gives. So this errs one way only: any
// column a name in the query could mean is kept, and anything that reads columns without
// naming them (`*`, `COLUMNS(…)`, NATURAL JOIN, a whole row, columns renamed by position)
// means "every column". A bind of the query over both tables, compared, is the second check.
import type { DuckDBConnection } from '@duckdb/node-api';
import { COLUMN_NAMES, columnType, duckdbType } from './schema';
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

const definitions = (columns: readonly string[]): string => columns.map((name) => `"${name}" ${duckdbType(columnType(name))}`).join(', ');

/**
 * The columns `sql` reads, when a table of only those gives it the same result columns as
 * the whole table; undefined when it reads every column, does not bind, or is refused by
 * the guard (the normal path then says why). Checked on `connection`, one of the store's
 * query instance (EventStore.connect: the Trino functions, and no file but the events'),
 * whose temporary tables are its own; the cell is bound there, never run.
 */
export async function projectionForCell(connection: DuckDBConnection, sql: string): Promise<string[] | undefined> {
  // A cell that does not parse is the normal path's to report, at its line.
  const parsed = await parseSelect(connection, sql).catch(() => undefined);
  if (!parsed || 'problem' in parsed || tableAccessProblem(parsed.tree)) return undefined;
  const read = columnsTheCellReads(parsed.tree);
  if (read === undefined) return undefined;
  // eventTime always: every batch keeps it (the window, the notes), and a table needs a column.
  const columns = COLUMN_NAMES.filter((name) => name === 'eventTime' || read.includes(name));
  if (columns.length === COLUMN_NAMES.length) return undefined;
  const shapes: string[] = [];
  for (const table of [COLUMN_NAMES, columns]) {
    const created = await connection.run(`CREATE OR REPLACE TEMP TABLE cloudtrail_logs (${definitions(table)})`).then(
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
  return shapes[0] === shapes[1] ? columns : undefined;
}
