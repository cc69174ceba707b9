// SQL text that the engine itself writes (paths, timestamps), quoted by the same code that
// quotes runbook values: one definition of a literal, never splicing.
import { sqlLiteral } from '../runbook/sqlLiteral';

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return sqlLiteral(value);
}

export function sqlTimestamp(date: Date): string {
  return `TIMESTAMPTZ ${sqlLiteral(date.toISOString())}`;
}
