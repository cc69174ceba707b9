// How the table lists a kept result when a person sorts it or types in the filter box: the
// same rules the view applies to a small result (src/webview/sortRows.ts, rowFilter.ts), as
// SQL over the kept table (src/engine/keptResult.ts runs it). The column to sort by is looked up by name among the result's
// own columns and quoted by sqlText.ts; the filter's words are bound parameters. Nothing from the
// request is ever spliced into the SQL text.
import { filterWords, type KeptListing } from '../protocol/keptResult';
import type { FilterTexts } from './keptFilterTexts';
import { sqlIdentifier } from './sqlText';

/** A column of the kept table: its name there (DuckDB renames duplicates) and its DuckDB type. */
export interface KeptColumn {
  /** The name the view knows (the query's, duplicates as `name:1`). */
  readonly shown: string;
  /** The name in the kept table. */
  readonly stored: string;
  readonly type: string;
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const NUMBER = /^(FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/;
const TIMESTAMP = /^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|DATE)$/;

/**
 * The column's text as the view's filter reads it (rowFilter.ts valueText): the value as it
 * arrives there (src/engine/query.ts toCellValue), lower-cased. Numbers as JavaScript prints
 * them (100, not DuckDB's 100.0), times as ISO-8601 in UTC with milliseconds, structs and
 * lists as JSON, maps as the list of {key, value} the view receives, bytes as hex.
 */
export function filterText(column: KeptColumn): string {
  const name = sqlIdentifier(column.stored);
  const type = column.type;
  if (type === 'VARCHAR') return `lower(${name})`;
  if (type === 'BOOLEAN' || type === 'UUID' || INTEGER.test(type)) return `CAST(${name} AS VARCHAR)`;
  if (NUMBER.test(type)) {
    const x = `CAST(${name} AS DOUBLE)`;
    return `(CASE WHEN isfinite(${x}) AND ${x} = trunc(${x}) AND abs(${x}) < 1e21 THEN CAST(CAST(${x} AS HUGEINT) AS VARCHAR) ELSE lower(CAST(${x} AS VARCHAR)) END)`;
  }
  if (TIMESTAMP.test(type)) return `lower(strftime(CAST(${name} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ'))`;
  if (type === 'TIMESTAMP WITH TIME ZONE') return `lower(strftime(timezone('UTC', ${name}), '%Y-%m-%dT%H:%M:%S.%gZ'))`;
  if (type === 'BLOB') return `lower(hex(${name}))`;
  if (type.startsWith('MAP(')) return `lower(CAST(to_json(map_entries(${name})) AS VARCHAR))`;
  if (type.startsWith('STRUCT(') || type.endsWith(']')) return `lower(CAST(to_json(${name}) AS VARCHAR))`;
  return `lower(CAST(${name} AS VARCHAR))`;
}

/** Whether the column's filter text is JSON built from the value (a struct, list or map): costly, so built once (keptFilterTexts.ts). */
export function builtText(column: KeptColumn): boolean {
  return column.type.startsWith('STRUCT(') || column.type.startsWith('MAP(') || column.type.endsWith(']');
}

/**
 * The rows of one slice that the filter keeps, as `_row` in the result's order: every word
 * in one of the row's columns. The plain columns are read from kept_rows, the built ones from
 * `texts` (keptFilterTexts.ts), joined on the row; the words are bound in order to $1, $2 ….
 * `range(column)` is the slice's condition on a row-number column.
 */
export function filterSlice(
  columns: readonly KeptColumn[],
  filter: string,
  texts: FilterTexts | undefined,
  range: (column: string) => string,
): { readonly sql: string; readonly params: string[] } | undefined {
  const words = filterWords(filter);
  if (words.length === 0) return undefined;
  const plain = columns.filter((column) => !texts?.columns.includes(column)).map(filterText);
  const built = texts?.columns.map((_, i) => `t${i}`) ?? [];
  // Word `w` in one of these texts (SQL): `false` where there are none.
  const found = (sqlTexts: readonly string[], w: number): string =>
    sqlTexts.length === 0 ? 'false' : `(${sqlTexts.map((text) => `contains(${text}, $${w + 1})`).join(' OR ')})`;
  if (texts === undefined) {
    const every = words.map((_, w) => found(plain, w)).join(' AND ');
    return { sql: `SELECT rowid AS _row FROM kept_rows WHERE ${range('rowid')} AND ${every} ORDER BY rowid`, params: words };
  }
  // One boolean a word on each side, as the row is in two tables.
  const each = (sqlTexts: readonly string[]): string => words.map((_, w) => `${found(sqlTexts, w)} AS w${w}`).join(', ');
  const every = words.map((_, w) => `(k.w${w} OR j.w${w})`).join(' AND ');
  const sql = `SELECT _row FROM (SELECT rowid AS _row, ${each(plain)} FROM kept_rows WHERE ${range('rowid')}) k
    JOIN (SELECT _row, ${each(built)} FROM ${texts.table} WHERE ${range('_row')}) j USING (_row)
    WHERE ${every} ORDER BY _row`;
  return { sql, params: words };
}

/** The ORDER BY of a listing: by one column of the result, found by name (nulls last both ways, ties in the query's order). */
export function listingOrder(columns: readonly KeptColumn[], listing: KeptListing): string {
  if (listing.sort === undefined) return 'rowid';
  const column = columns.find((c) => c.shown === listing.sort!.column);
  if (column === undefined) throw new Error(`this result has no column ${JSON.stringify(listing.sort.column)} to sort by`);
  return `${sqlIdentifier(column.stored)} ${listing.sort.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, rowid`;
}

/** One key per distinct listing: the host keeps the latest few listings it computed. */
export function listingKey(listing: KeptListing): string {
  return JSON.stringify([listing.sort?.column ?? null, listing.sort?.direction ?? null, filterWords(listing.filter ?? '')]);
}
