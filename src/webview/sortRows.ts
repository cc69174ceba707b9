// Sorting rows of a result by one column. Pure: no DOM, so it is tested in node.
// Values come from the engine as JSON (see src/engine/query.ts): numbers, strings
// (ISO-8601 times, and bigints too large for a number), booleans, null, arrays, objects.
import type { ResultValue } from '../protocol/results';

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  readonly column: number;
  readonly direction: SortDirection;
}

// Values of different types still need one total order; grouping by type keeps
// numbers together, and JSON text gives objects and arrays a deterministic place.
const enum Rank {
  Number = 0,
  String = 1,
  Boolean = 2,
  Json = 3,
  Null = 4,
}

interface SortableKey {
  readonly rank: Rank;
  readonly value: number | string;
}

function sortableKey(value: ResultValue | undefined): SortableKey {
  if (value === null || value === undefined) return { rank: Rank.Null, value: 0 };
  switch (typeof value) {
    case 'number':
      return { rank: Rank.Number, value };
    case 'string':
      return { rank: Rank.String, value };
    case 'boolean':
      return { rank: Rank.Boolean, value: value ? 1 : 0 };
    default:
      return { rank: Rank.Json, value: JSON.stringify(value) };
  }
}

function compareKeys(a: SortableKey, b: SortableKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  // Code-unit order, not locale order: it is what SQL's ORDER BY gives, and it keeps
  // ISO-8601 times, ARNs and ids in the order people expect.
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** Ascending order of two values; null (and missing) last. */
export function compareValues(a: ResultValue | undefined, b: ResultValue | undefined): number {
  return compareKeys(sortableKey(a), sortableKey(b));
}

/**
 * The row indices in sorted order. Stable: equal values keep the order the query gave.
 * Null stays last in both directions, because empty cells are rarely what one looks for.
 */
export function sortedRowOrder(rows: readonly (readonly ResultValue[])[], key: SortKey): number[] {
  // Keys are computed once per row, not once per comparison: JSON.stringify of an
  // object column would otherwise run about 2·n·log n times.
  const keys = rows.map((row) => sortableKey(row[key.column]));
  const sign = key.direction === 'asc' ? 1 : -1;
  const order = rows.map((_, index) => index);
  order.sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    if (a.rank === Rank.Null || b.rank === Rank.Null) return a.rank === b.rank ? i - j : a.rank === Rank.Null ? 1 : -1;
    return sign * compareKeys(a, b) || i - j;
  });
  return order;
}

/** A header click: ascending, then descending, then back to the query's own order. */
export function nextSort(current: SortKey | undefined, column: number): SortKey | undefined {
  if (current === undefined || current.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : undefined;
}
