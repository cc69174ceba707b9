// Values reach SQL only through here. Each value becomes one self-contained literal token,
// so no value, whatever it contains, can end a string early or add SQL of its own.

export type SqlScalar = string | number | bigint | boolean | null | Date;

/** A literal for one value: strings quoted with `'` doubled, numbers in decimal. */
export function sqlLiteral(value: SqlScalar): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      return value.toString();
    case 'number':
      return numberLiteral(value);
    default:
      if (value instanceof Date) return dateLiteral(value);
      throw new TypeError(`cannot turn a ${describe(value)} into a SQL literal; select a text or number column instead`);
  }
}

/**
 * Comma-separated literals for `IN (…)`: duplicates and nulls dropped (neither changes what
 * IN matches), order kept. An empty list becomes NULL so `IN ({{c.col}})` matches nothing
 * instead of being a syntax error.
 */
export function sqlLiteralList(values: readonly SqlScalar[]): string {
  const seen = new Set<string>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    seen.add(sqlLiteral(value));
  }
  return seen.size === 0 ? 'NULL' : [...seen].join(', ');
}

function stringLiteral(value: string): string {
  // DuckDB strings cannot hold NUL; silently dropping it would search for another value.
  if (value.includes('\0')) throw new RangeError(`cannot use a value containing a NUL character in SQL: ${JSON.stringify(value)}`);
  // Standard SQL strings: backslashes are ordinary characters, only the quote needs escaping.
  return `'${value.replaceAll("'", "''")}'`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot use ${value} in SQL: only finite numbers are allowed`);
  // Integers print exactly (String(1e21) would switch to exponent form); -0 is just 0.
  if (Number.isInteger(value)) return BigInt(value).toString();
  return String(value);
}

function dateLiteral(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError('cannot use an invalid date in SQL');
  // CloudTrail's eventTime is ISO-8601 text, so dates compare as that text.
  return stringLiteral(value.toISOString());
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing value';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'structured value (object)' : typeof value;
}
