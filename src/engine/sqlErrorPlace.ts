// DuckDB's parse and bind errors, said for a person and placed on the name they are about.
// DuckDB gives the position as a caret under a copy of the line ("LINE 2: …\n      ^"),
// shortened with "..." when the line is long, and its own candidates ("Candidate
// bindings", "Did you mean"); a struct field it cannot find has no caret at all. This reads
// those back into a message that names the name, its line and column in the SQL, and the
// candidate a quick fix can put in its place.
import { firstLine } from '../protocol/firstLine';

export interface PlacedSqlError {
  /** What went wrong, in words; the engine's kind of error in brackets at the end. */
  readonly message: string;
  /** 1-based line within the SQL. */
  readonly sqlLine?: number;
  /** 0-based column within that line of the SQL. */
  readonly sqlColumn?: number;
  /** Length of the name at that column, when the error is about one. */
  readonly length?: number;
  /** The engine's best candidate for the name, to replace it with. */
  readonly replacement?: string;
}

/** The first quoted name after a label such as `Candidate bindings:`; qualified names lose their table. */
function firstCandidate(message: string, label: RegExp): string | undefined {
  const match = new RegExp(`${label.source}\\s*"([^"]+)"`, 'i').exec(message);
  return match?.[1]?.split('.').pop();
}

/** The caret's place in the SQL: LINE n and the column the caret stands under. */
function caretPlace(message: string, sql: string): { sqlLine: number; sqlColumn: number } | undefined {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  const headerLine = lines[at];
  if (at < 0 || headerLine === undefined) return undefined;
  const caretLine = lines[at + 1];
  const caret = caretLine?.indexOf('^') ?? -1;
  if (caret < 0) return undefined;
  const header = /^LINE (\d+): /.exec(headerLine)!;
  const sqlLine = Number(header[1]);
  const actual = sql.split('\n')[sqlLine - 1];
  if (actual === undefined) return undefined;
  const shown = headerLine.slice(header[0].length);
  const relative = caret - header[0].length;
  if (!shown.startsWith('...')) return relative >= 0 && relative <= actual.length ? { sqlLine, sqlColumn: relative } : undefined;
  // A long line is shown from somewhere in its middle: find where that copy starts.
  const core = shown.slice(3).replace(/\.\.\.$/, '');
  const start = actual.indexOf(core);
  if (start < 0) return undefined;
  const sqlColumn = start + relative - 3;
  return sqlColumn >= 0 && sqlColumn <= actual.length ? { sqlLine, sqlColumn } : undefined;
}

/** Where `.name` (a struct field) is first written in the SQL, case-insensitively, as a whole name. */
function fieldPlace(sql: string, name: string): { sqlLine: number; sqlColumn: number } | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = sql.split('\n');
  for (const [i, line] of lines.entries()) {
    const match = new RegExp(`\\.\\s*"?(${escaped})"?(?![A-Za-z0-9_])`, 'i').exec(line);
    if (match) return { sqlLine: i + 1, sqlColumn: match.index + match[0].indexOf(match[1]!) };
  }
  return undefined;
}

/** The text at a place, if it is the name (case-insensitively): a caret DuckDB put elsewhere places nothing. */
function nameAt(sql: string, place: { sqlLine: number; sqlColumn: number }, name: string): boolean {
  const line = sql.split('\n')[place.sqlLine - 1] ?? '';
  return line.slice(place.sqlColumn, place.sqlColumn + name.length).toLowerCase() === name.toLowerCase();
}

export function placeSqlError(engineMessage: string, sql: string): PlacedSqlError {
  const headline = firstLine(engineMessage).trim();
  const kind = /^([A-Za-z ]+ Error):/.exec(headline)?.[1];
  const said = (text: string): string => (kind ? `${text} (${kind})` : text);
  const caret = caretPlace(engineMessage, sql);

  const column = /Referenced column "([^"]+)" not found/.exec(headline)?.[1];
  if (column !== undefined) {
    const replacement = firstCandidate(engineMessage, /Candidate bindings:/);
    const place = caret && nameAt(sql, caret, column) ? caret : undefined;
    return {
      message: said(`no column named "${column}" here${replacement ? `; did you mean "${replacement}"?` : ''}`),
      ...(place ?? caret ?? {}),
      ...(place ? { length: column.length } : {}),
      ...(place && replacement ? { replacement } : {}),
    };
  }

  const field = /Could not find key "([^"]+)" in struct/.exec(headline)?.[1];
  if (field !== undefined) {
    const replacement = firstCandidate(engineMessage, /Candidate Entries:/);
    const place = fieldPlace(sql, field);
    return {
      message: said(`no field named "${field}" in this struct${replacement ? `; did you mean "${replacement}"?` : ''}`),
      ...(place ?? {}),
      ...(place ? { length: field.length } : {}),
      ...(place && replacement ? { replacement } : {}),
    };
  }

  const fn = /(?:Scalar|Aggregate|Table) Function with name "?([^"\s!]+)"? does not exist/.exec(headline)?.[1];
  if (fn !== undefined) {
    const replacement = firstCandidate(engineMessage, /Did you mean/);
    const place = caret && nameAt(sql, caret, fn) ? caret : undefined;
    return {
      message: said(`no function named ${fn}${replacement ? `; did you mean ${replacement}?` : ''}`),
      ...(place ?? caret ?? {}),
      ...(place ? { length: fn.length } : {}),
      ...(place && replacement ? { replacement } : {}),
    };
  }

  const near = /syntax error at or near "([^"]*)"/.exec(headline)?.[1];
  if (near !== undefined) {
    return {
      message: said(`syntax error at "${near}" or just before it`),
      ...(caret ?? {}),
      ...(caret && nameAt(sql, caret, near) ? { length: near.length } : {}),
    };
  }
  return { message: readableEngineMessage(headline), ...(caret ?? {}) };
}

/**
 * An engine message as a person can read it: DuckDB's INTERNAL errors carry a native stack
 * trace of a hundred lines and a paragraph about assertion failures; what helps is the first
 * line and what to do. (The query is usually valid: `GROUP BY ALL` over `json_extract_scalar`
 * is one that trips it.)
 */
export function readableEngineMessage(message: string): string {
  if (!/^INTERNAL Error:/.test(message)) return message;
  const first = firstLine(message).trim();
  return `${first}: an internal error of DuckDB, not of the query's meaning; write it another way (for example GROUP BY 1, 2 instead of GROUP BY ALL)`;
}
