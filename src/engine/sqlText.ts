// SQL text that the engine itself writes (paths, timestamps). Values from runbooks and
// users go through src/runbook/sqlLiteral instead; both quote, neither splices.

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new Error('a SQL string cannot contain a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A double-quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function sqlTimestamp(date: Date): string {
  return `TIMESTAMPTZ ${sqlString(date.toISOString())}`;
}
