// Comparing one result from each engine. Rows are a multiset unless the query orders them;
// an ordered result must have the same sequence of sort keys, with rows of equal keys in
// any order (engines may break ties differently, and both are right). Values are compared
// after a small normalisation that hides only representation, never content:
// - doubles to 12 significant digits (aggregation order changes the last bits);
// - struct field names in lower case: Trino, like Athena and Glue, lower-cases them
//   (identifiers are case-insensitive in both engines; the values must agree).
import type { CellValue } from '../../../src/engine/query';
import { itemAt } from '../../support/itemAt';

export interface Side {
  readonly columns: readonly string[];
  readonly rows: readonly CellValue[][];
}

export interface Ordering {
  /** Output column indexes of the ORDER BY keys; undefined when a key is not an output column. */
  readonly keyColumns: readonly number[] | undefined;
}

export function normalize(value: CellValue): CellValue {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k.toLowerCase(), normalize(v)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return value;
}

const key = (row: readonly CellValue[]): string => JSON.stringify(row.map(normalize));

function countRows(rows: readonly CellValue[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

/** Rows of `a` missing from `b` (with multiplicity), as JSON text. */
function missing(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of a) for (let i = b.get(k) ?? 0; i < n; i += 1) out.push(k);
  return out;
}

const SHOWN = 6;
const show = (label: string, rows: string[]): string =>
  rows.length === 0
    ? ''
    : `\n  only on ${label} (${rows.length}):\n${rows
        .slice(0, SHOWN)
        .map((r) => `    ${r}`)
        .join('\n')}${rows.length > SHOWN ? `\n    … ${rows.length - SHOWN} more` : ''}`;

function multisetDifference(duck: readonly CellValue[][], trino: readonly CellValue[][]): string | undefined {
  const d = countRows(duck);
  const t = countRows(trino);
  const onlyDuck = missing(d, t);
  const onlyTrino = missing(t, d);
  if (onlyDuck.length === 0 && onlyTrino.length === 0) return undefined;
  return `${duck.length} rows on DuckDB, ${trino.length} on Trino${show('DuckDB', onlyDuck)}${show('Trino', onlyTrino)}`;
}

/** Consecutive rows with equal sort keys. */
function tieGroups(rows: readonly CellValue[][], keys: readonly number[]): { key: string; rows: CellValue[][] }[] {
  const groups: { key: string; rows: CellValue[][] }[] = [];
  for (const row of rows) {
    const k = JSON.stringify(keys.map((i) => normalize(row[i] ?? null)));
    const last = groups[groups.length - 1];
    if (last && last.key === k) last.rows.push(row);
    else groups.push({ key: k, rows: [row] });
  }
  return groups;
}

/** Why the two results differ, in words a person can read, or undefined when they agree. */
export function difference(duck: Side, trino: Side, ordering: Ordering | undefined): string | undefined {
  const dc = duck.columns.map((c) => c.toLowerCase());
  const tc = trino.columns.map((c) => c.toLowerCase());
  if (dc.join('\u0000') !== tc.join('\u0000'))
    return `columns differ: DuckDB [${duck.columns.join(', ')}], Trino [${trino.columns.join(', ')}]`;
  const asSets = multisetDifference(duck.rows, trino.rows);
  if (asSets || !ordering) return asSets;
  if (!ordering.keyColumns) {
    // A sort key that is not an output column: only the exact sequence can be checked.
    const at = duck.rows.findIndex((row, i) => key(row) !== key(itemAt(trino.rows, i)));
    return at < 0
      ? undefined
      : `same rows, different order (ORDER BY on an expression not in the output): first difference at row ${at + 1}:\n    DuckDB ${key(itemAt(duck.rows, at))}\n    Trino  ${key(itemAt(trino.rows, at))}`;
  }
  const dg = tieGroups(duck.rows, ordering.keyColumns);
  const tg = tieGroups(trino.rows, ordering.keyColumns);
  for (let i = 0; i < Math.max(dg.length, tg.length); i += 1) {
    if (dg[i]?.key !== tg[i]?.key) {
      return `same rows, different order: sort key #${i + 1} is ${dg[i]?.key ?? '(none)'} on DuckDB, ${tg[i]?.key ?? '(none)'} on Trino`;
    }
    const inGroup = multisetDifference(itemAt(dg, i).rows, itemAt(tg, i).rows);
    if (inGroup) return `rows with sort key ${itemAt(dg, i).key} differ: ${inGroup}`;
  }
  return undefined;
}
