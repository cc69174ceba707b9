// Many rows into a catalogue statement as one parameter a column, not as a VALUES list. DuckDB
// parses a VALUES list as that many expressions: inserting one batch of 7,700 small files took
// 0.7 s, and the 146,305 files of a cold scan 13.5 s of the parent's CPU (beside the worker, on
// the same two cores), their counts' updates 3.7 s more. As one text a column, split by
// DuckDB, the same statements took 0.3 and 0.25 s. Parameters also keep every value out of
// the SQL text.

export type Column =
  | { readonly kind: 'integer'; readonly values: readonly number[] }
  /** Texts that are never empty and never hold NUL (paths, formats, shapes); undefined is NULL. */
  | { readonly kind: 'text'; readonly values: readonly (string | undefined)[] };

export const integers = (values: readonly number[]): Column => ({ kind: 'integer', values });
export const texts = (values: readonly (string | undefined)[]): Column => ({ kind: 'text', values });

/**
 * A subquery of the rows, its columns named as given, and the parameters it reads ($1, $2, …
 * from `first`). Every column must have as many values, one at least.
 */
export function columnRows(columns: Readonly<Record<string, Column>>, first = 1): { sql: string; params: string[] } {
  const entries = Object.entries(columns);
  const length = entries[0]?.[1].values.length ?? 0;
  if (length === 0 || entries.some(([, column]) => column.values.length !== length)) {
    throw new Error(`columnRows: every column needs the same number of values, one at least`);
  }
  const params = entries.map(([name, column]) =>
    column.kind === 'integer' ? integerText(name, column.values) : textText(name, column.values),
  );
  const selected = entries.map(([name, column], i) =>
    column.kind === 'integer'
      ? `unnest(string_split($${first + i}, ',')::BIGINT[]) AS "${name}"`
      : `nullif(unnest(string_split($${first + i}, chr(0))), '') AS "${name}"`,
  );
  return { sql: `(SELECT ${selected.join(', ')})`, params };
}

function integerText(name: string, values: readonly number[]): string {
  // Indexed loops: called a few times a scan, these run before V8 optimises them, and an
  // iterator there allocated a result a value (tens of MB over a cold scan's 146,305 files).
  for (let i = 0; i < values.length; i++) {
    if (!Number.isSafeInteger(values[i])) throw new Error(`${name} must be a whole number, not ${String(values[i])}`);
  }
  return values.join(',');
}

function textText(name: string, values: readonly (string | undefined)[]): string {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === '' || value?.includes('\0')) throw new Error(`${name}: a text stored by the catalogue is never empty and holds no NUL`);
  }
  return values.map((value) => value ?? '').join('\0');
}
