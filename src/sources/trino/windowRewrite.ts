// The window rewrite: what a cell's SQL (after parameter substitution) becomes on Trino or
// Athena. Every reference to the table `cloudtrail_logs` is replaced, where it stands, by a
// subquery over the configured table restricted to the window, keeping the alias the SQL
// gave it; nothing else in the text changes. References are found by DuckDB's own parser
// (the BASE_TABLE nodes of json_serialize_sql, whose query_location is where the name
// starts), so a `cloudtrail_logs` inside a string, a comment or a column name is never
// touched, which a textual search could not promise.
//
// The subquery is written on one line, so Trino's `line n:col` errors still point at the
// line of the runbook they come from.
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseSelect } from '../../engine/sqlGuard';
import { sqlIdentifier, sqlString } from '../../engine/sqlText';
import type { TimeWindow } from '../../engine/timeWindow';
import type { PartitionScheme } from './partitions';
import { TRINO_COLUMN_LIST } from './tableSchema';

export const TABLE_NAME = 'cloudtrail_logs';

export interface TrinoTarget {
  /** `catalog.schema.table` (or `schema.table`, `table` with the session's defaults). */
  readonly table: string;
  /** Partition schemes of the table, each adding its predicates. None: the eventTime bounds only. */
  readonly partitions?: readonly PartitionScheme[];
}

export class WindowRewriteError extends Error {}

interface TableRef {
  /** Character offset where the (possibly qualified) name starts. */
  readonly start: number;
  readonly alias: string;
}

/** `"a"."b"."c"` from `a.b.c`; parts are taken literally. */
export function qualifiedName(table: string): string {
  const parts = table.split('.');
  if (parts.length > 3 || parts.some((p) => p.trim() === '')) {
    throw new WindowRewriteError(`the Trino table "${table}" should be written catalog.schema.table (or schema.table, or table)`);
  }
  return parts.map((p) => sqlIdentifier(p.trim())).join('.');
}

/** The subquery that stands for `cloudtrail_logs`: the table's columns, the window's rows. */
export function windowedTable(target: TrinoTarget, window: TimeWindow): string {
  // try(): an event whose eventTime does not parse is outside every window, as locally,
  // instead of failing the whole query.
  const time = 'try(from_iso8601_timestamp("eventtime"))';
  const conditions = [
    `${time} >= from_iso8601_timestamp(${sqlString(window.start.toISOString())})`,
    `${time} < from_iso8601_timestamp(${sqlString(window.end.toISOString())})`,
    ...(target.partitions ?? []).flatMap((scheme) => scheme.predicates(window)),
  ];
  return `(SELECT ${TRINO_COLUMN_LIST} FROM ${qualifiedName(target.table)} WHERE ${conditions.join(' AND ')})`;
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every BASE_TABLE node and every CTE name of the tree. */
function collect(tree: unknown): { tables: Node[]; cteNames: string[] } {
  const tables: Node[] = [];
  const cteNames: string[] = [];
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isNode(value)) {
      if (value.type === 'BASE_TABLE') tables.push(value);
      const cteMap = (value.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
      if (Array.isArray(cteMap)) for (const entry of cteMap) if (typeof entry.key === 'string') cteNames.push(entry.key);
      stack.push(...Object.values(value));
    }
  }
  return { tables, cteNames };
}

const IDENTIFIER = /"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*/y;

/** The end of the (qualified) name starting at `start`, and its last part unquoted. */
export function scanName(sql: string, start: number): { end: number; last: string } | undefined {
  let at = start;
  let last = '';
  for (;;) {
    IDENTIFIER.lastIndex = at;
    const m = IDENTIFIER.exec(sql);
    if (!m) return undefined;
    last = m[0].startsWith('"') ? m[0].slice(1, -1).replace(/""/g, '"') : m[0];
    at = IDENTIFIER.lastIndex;
    const dot = /\s*\.\s*/y;
    dot.lastIndex = at;
    if (!dot.exec(sql)) return { end: at, last };
    at = dot.lastIndex;
  }
}

/** DuckDB reports byte offsets into the UTF-8 text; JavaScript indexes UTF-16 units. */
function charOffset(bytes: Buffer, byteOffset: number): number {
  return bytes.subarray(0, byteOffset).toString('utf8').length;
}

/** The references to `cloudtrail_logs` in the statement, in text order. */
export async function findTableReferences(connection: DuckDBConnection, sql: string): Promise<TableRef[]> {
  const parsed = await parseSelect(connection, sql);
  if ('problem' in parsed) throw new WindowRewriteError(parsed.problem);
  const { tables, cteNames } = collect(parsed.tree);
  if (cteNames.some((name) => name.toLowerCase() === TABLE_NAME)) {
    throw new WindowRewriteError(`a WITH clause names a query "${TABLE_NAME}", which hides the table: rename the query`);
  }
  const bytes = Buffer.from(sql, 'utf8');
  const refs: TableRef[] = [];
  for (const node of tables) {
    if (String(node.table_name).toLowerCase() !== TABLE_NAME) continue;
    const location = Number(node.query_location);
    if (!Number.isSafeInteger(location) || location < 0 || location >= bytes.length) {
      throw new WindowRewriteError(
        `DuckDB's parser gave no position for a reference to ${TABLE_NAME}, so the window cannot be added to it`,
      );
    }
    refs.push({ start: charOffset(bytes, location), alias: typeof node.alias === 'string' ? node.alias : '' });
  }
  return refs.sort((a, b) => a.start - b.start);
}

/**
 * The SQL Trino runs for a cell: every `cloudtrail_logs` replaced by the windowed table.
 * `connection` only parses (any DuckDB connection; nothing is read or bound).
 */
export async function rewriteForTrino(connection: DuckDBConnection, sql: string, target: TrinoTarget, window: TimeWindow): Promise<string> {
  const refs = await findTableReferences(connection, sql);
  const subquery = windowedTable(target, window);
  let out = '';
  let copied = 0;
  for (const ref of refs) {
    const name = scanName(sql, ref.start);
    if (!name || name.last.toLowerCase() !== TABLE_NAME) {
      throw new WindowRewriteError(
        `expected the table name ${TABLE_NAME} at character ${ref.start + 1}, found "${sql.slice(ref.start, ref.start + 30)}"`,
      );
    }
    // Without an alias the columns may be qualified by the table's own name (cloudtrail_logs.eventName):
    // the subquery takes that name. With one, the alias text after the name stays as written.
    out += sql.slice(copied, ref.start) + subquery + (ref.alias === '' ? ` AS ${TABLE_NAME}` : '');
    copied = name.end;
  }
  return out + sql.slice(copied);
}
