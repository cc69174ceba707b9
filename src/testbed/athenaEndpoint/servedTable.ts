// Which table names in a query are tables the endpoint serves. Athena resolves
// `"default"."cloudtrail_logs"` (or `cloudtrail_logs` with the context's database) in its
// catalog; here every reference to a served table (tableCatalog.ts: the starting one and any
// CREATE EXTERNAL TABLE added) is replaced, where it stands, by what the backend reads (the
// local `cloudtrail_logs` view with the table's partition columns, or the Trino table), and a
// reference to any other table fails as Athena fails it: TABLE_NOT_FOUND at its position. References
// are found in DuckDB's syntax tree (as src/sources/trino/windowRewrite.ts finds them), so a
// name inside a string or a comment is never touched.
//
// The replacement changes the length of the line it is on, so the edits are kept: an error
// position the engine reports in the text it ran is mapped back to the text the client sent.
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseSelect } from '../../engine/sqlGuard';
import { scanName } from '../../sources/trino/windowRewrite';
import { QueryFailure, lineAndColumn } from './athenaErrors';
import type { AthenaQuery } from './backend';

/** The table the endpoint serves, as Athena's catalog names it. */
export interface ServedTable {
  /** Default `default`. */
  readonly database: string;
  /** Default `cloudtrail_logs`. */
  readonly name: string;
  /** Its partition columns, which the backend derives from each event: `timestamp`, `account`, `region`. */
  readonly partitionKeys: readonly string[];
  /** Enum-projected partitions' values (`projection.account.values`): as in Athena, the only partitions the table holds. */
  readonly projectedValues?: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_SERVED_TABLE: ServedTable = { database: 'default', name: 'cloudtrail_logs', partitionKeys: ['timestamp'] };
/** The one catalog Athena queries here: the AWS Glue Data Catalog's name in Athena. */
export const ATHENA_CATALOG = 'awsdatacatalog';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface MappedQuery {
  /** The text the backend runs. */
  readonly sql: string;
  /** Maps a 1-based line and column of `sql` to the same place in the client's text. */
  originalPosition(line: number, column: number): { line: number; column: number };
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function collect(tree: unknown): { tables: Node[]; cteNames: Set<string> } {
  const tables: Node[] = [];
  const cteNames = new Set<string>();
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isNode(value)) {
      if (value.type === 'BASE_TABLE') tables.push(value);
      const cteMap = (value.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
      if (Array.isArray(cteMap)) for (const entry of cteMap) if (typeof entry.key === 'string') cteNames.add(entry.key.toLowerCase());
      stack.push(...Object.values(value));
    }
  }
  return { tables, cteNames };
}

function offsetOf(sql: string, line: number, column: number): number {
  const lines = sql.split('\n');
  let offset = 0;
  for (const text of lines.slice(0, Math.max(0, line - 1))) offset += text.length + 1;
  return offset + column - 1;
}

/**
 * The query with every reference to a served table (`query.tables`) replaced by
 * `replacement(table, alias)` (`alias` is the name the query gave the table, or '' when it
 * gave none), or `{ problem }` when DuckDB's parser cannot read the text.
 */
export async function mapServedTable(
  parser: DuckDBConnection,
  query: AthenaQuery,
  replacement: (table: ServedTable, alias: string) => string,
): Promise<MappedQuery | { problem: string }> {
  const { sql } = query;
  const parsed = await parseSelect(parser, sql);
  if ('problem' in parsed) return { problem: parsed.problem };
  const { tables, cteNames } = collect(parsed.tree);
  const bytes = Buffer.from(sql, 'utf8');
  const edits: Edit[] = [];
  for (const node of tables) {
    const name = String(node.table_name);
    const schema = typeof node.schema_name === 'string' && node.schema_name !== '' ? node.schema_name : undefined;
    const catalog = typeof node.catalog_name === 'string' && node.catalog_name !== '' ? node.catalog_name : undefined;
    if (!schema && !catalog && cteNames.has(name.toLowerCase())) continue;
    const start = bytes.subarray(0, Number(node.query_location)).toString('utf8').length;
    const fullName = [catalog ?? query.catalog, schema ?? query.database, name].join('.').toLowerCase();
    const served = query.tables.find((table) => fullName === [ATHENA_CATALOG, table.database, table.name].join('.').toLowerCase());
    if (!served) {
      const at = lineAndColumn(sql, start);
      throw new QueryFailure('TABLE_NOT_FOUND', `line ${at.line}:${at.column}: Table '${fullName}' does not exist`);
    }
    const scanned = scanName(sql, start);
    if (!scanned)
      throw new QueryFailure('GENERIC_INTERNAL_ERROR', `the endpoint could not read the table name at character ${start + 1}`, 1);
    edits.push({ start, end: scanned.end, text: replacement(served, typeof node.alias === 'string' ? node.alias : '') });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let copied = 0;
  for (const edit of edits) {
    out += sql.slice(copied, edit.start) + edit.text;
    copied = edit.end;
  }
  out += sql.slice(copied);
  return {
    sql: out,
    originalPosition(line, column) {
      let offset = offsetOf(out, line, column);
      let shift = 0;
      for (const edit of edits) {
        const newStart = edit.start + shift;
        if (offset < newStart) break;
        if (offset < newStart + edit.text.length) return lineAndColumn(sql, edit.start);
        shift += edit.text.length - (edit.end - edit.start);
      }
      offset -= shift;
      return lineAndColumn(sql, offset);
    },
  };
}
