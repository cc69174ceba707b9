// SQL text that the engine itself writes (paths, timestamps), quoted by the same code that
// quotes runbook values: one definition of a literal, never splicing.
import { sqlLiteral } from '../runbook/sqlLiteral';

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return sqlLiteral(value);
}

/** A double-quoted identifier (a column or alias name), as DuckDB and Trino both read it. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlTimestamp(date: Date): string {
  return `TIMESTAMPTZ ${sqlLiteral(date.toISOString())}`;
}

/** A whole number as SQL text: a request's numbers are checked here, never spliced as they came. */
export function sqlInteger(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number, not ${String(value)}`);
  return String(value);
}

/**
 * The path as a pattern of DuckDB's that matches only itself: its readers take `*`, `?` and
 * `[` in a path for a glob, so `a[1].json.gz` would read `a1.json.gz` and never itself.
 * Each is put in a class of its own (`[[]`), which matches that character alone.
 */
export function literalPath(path: string): string {
  return path.replace(/[*?[]/g, '[$&]');
}

/** Paths as a list literal for DuckDB's readers (read_parquet, read_json), each matching only itself. */
export function sqlPathList(paths: readonly string[]): string {
  return `[${paths.map((path) => sqlString(literalPath(path))).join(', ')}]`;
}
