// Whether a query orders its result, and by which output columns, read from DuckDB's
// syntax tree of the statement (the same parser the engine's guard uses).
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseSelect } from '../../../src/engine/sqlGuard';
import type { Ordering } from './compare';
import { itemAt } from '../../support/itemAt';

type Node = Record<string, unknown>;

/** The ORDER BY of the outermost query, or undefined when it has none. */
export async function ordering(connection: DuckDBConnection, sql: string, columns: readonly string[]): Promise<Ordering | undefined> {
  const parsed = await parseSelect(connection, sql);
  if ('problem' in parsed) throw new Error(parsed.problem);
  const statement = itemAt((parsed.tree as { statements: { node: Node }[] }).statements, 0).node;
  const modifiers = (statement.modifiers as Node[] | undefined) ?? [];
  const order = modifiers.find((m) => m.type === 'ORDER_MODIFIER') as { orders: { expression: Node }[] } | undefined;
  if (!order) return undefined;
  const lower = columns.map((c) => c.toLowerCase());
  const keys: number[] = [];
  for (const { expression } of order.orders) {
    let index = -1;
    if (expression.class === 'COLUMN_REF') {
      const names = expression.column_names as string[];
      index = lower.indexOf(itemAt(names, names.length - 1).toLowerCase());
    } else if (expression.class === 'CONSTANT') {
      const value = (expression.value as { value?: unknown }).value;
      if (typeof value === 'number') index = value - 1;
    }
    if (index < 0 || index >= columns.length) return { keyColumns: undefined };
    keys.push(index);
  }
  return { keyColumns: keys };
}
