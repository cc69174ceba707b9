// Trino (Athena engine v3) functions for the embedded DuckDB, so that one SQL text
// gives the same answer locally and on Athena.
//
// Each function is a DuckDB macro with the Trino name. An unqualified call to a
// name that is both a macro and a built-in resolves to the macro, so a macro
// *shadows* the built-in; the macros therefore call built-ins they replace through
// `system.main.<name>` (otherwise they would call themselves). A macro shadows every
// arity of the built-in, so DuckDB-only arities are passed through explicitly where
// DuckDB allows it (it rejects pass-through of arguments that must be constants).
// The shadowing also reaches DuckDB's own SQL macros that call those names, which
// is why json_extract is left alone: shadowing it breaks DuckDB's -> operator.
// DuckDB binds a macro body when it is created, so helpers are created first.
//
// Errors Trino raises (bad ISO-8601 text, index 0, ...) are raised with a failing
// CAST rather than error(): DuckDB refuses TRY() around volatile functions, and
// error() is volatile, while `try(...)` must keep working as in Trino.
//
// Semantics were taken from the Trino documentation and function sources; where a
// difference remains it is stated in `note` and in docs/trino-compatibility.md.
import type { DuckDBConnection } from '@duckdb/node-api';

export interface TrinoFunction {
  /** The Trino function name (lower case). */
  readonly name: string;
  /** The Trino signature(s) covered, for docs and hover text. */
  readonly signature: string;
  /** What differs from the DuckDB built-in, or what still differs from Trino. */
  readonly note: string;
  /** One `CREATE OR REPLACE MACRO` statement holding every overload. */
  readonly sql: string;
}

// ---------------------------------------------------------------- SQL helpers

/** A SQL string literal. */
const lit = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** An expression of `type` that fails at run time with `message` (a SQL expression).
 *  NULL message → NULL, so the failing branch stays NULL-safe. */
const fail = (message: string, type: string): string => `CAST(CAST(${message} AS BIGINT) AS ${type})`;

/** `CREATE OR REPLACE MACRO name(a) AS ..., (a, b) AS ...` */
const macro = (name: string, ...overloads: string[]): string => `CREATE OR REPLACE MACRO ${name}${overloads.join(',\n  ')}`;

/** Nested replace() calls, applied in order. */
const replaceAll = (expr: string, pairs: readonly (readonly [string, string])[]): string =>
  pairs.reduce((acc, [from, to]) => `system.main.replace(${acc}, ${from}, ${to})`, expr);

/** Nested global regexp_replace() calls, applied in order (RE2 syntax). */
const regexReplaceAll = (expr: string, pairs: readonly (readonly [string, string])[]): string =>
  pairs.reduce((acc, [re, to]) => `system.main.regexp_replace(${acc}, ${lit(re)}, ${to}, 'g')`, expr);

// ------------------------------------------------- format-string translation

// MySQL specifiers of date_format/date_parse → strftime/strptime. Trino rejects
// %D %U %u %V %w %X; any other unknown %x prints x.
const MYSQL_SPECIFIERS: readonly (readonly [string, string, string?])[] = [
  // [specifier, strftime, strptime if different]
  ['a', '%a'],
  ['b', '%b'],
  ['c', '%-m'],
  ['d', '%d'],
  ['e', '%-d'],
  ['f', '%f', '%n'],
  ['H', '%H'],
  ['h', '%I'],
  ['I', '%I'],
  ['i', '%M'],
  ['j', '%j'],
  ['k', '%-H'],
  ['l', '%-I'],
  ['M', '%B'],
  ['m', '%m'],
  ['p', '%p'],
  ['r', '%I:%M:%S %p'],
  ['S', '%S'],
  ['s', '%S'],
  ['T', '%H:%M:%S'],
  ['v', '%V'],
  ['W', '%A'],
  ['x', '%G'],
  ['Y', '%Y'],
  ['y', '%y'],
];

/** Placeholders keep one translation step from re-reading another step's output. */
const mark = (code: string): string => `chr(1) || ${lit(code)}`;

function mysqlTranslation(format: string, mode: 'format' | 'parse'): string {
  let e = `system.main.replace(${format}, '%%', chr(2))`;
  e = replaceAll(
    e,
    MYSQL_SPECIFIERS.map(([s]) => [lit(`%${s}`), mark(s)] as const),
  );
  e = `system.main.replace(${e}, '%', '')`; // unknown specifier: the letter itself
  e = replaceAll(
    e,
    MYSQL_SPECIFIERS.map(([s, out, parseOut]) => [mark(s), lit(mode === 'parse' ? (parseOut ?? out) : out)] as const),
  );
  e = `system.main.replace(${e}, chr(2), '%%')`;
  const unsupported = `regexp_matches(system.main.replace(${format}, '%%', ''), '%[DUuVwX]')`;
  return `CASE WHEN ${unsupported} THEN ${fail(`'Unsupported MySQL date format specifier in: ' || ${format}`, 'VARCHAR')} ELSE ${e} END`;
}

// Joda-Time pattern letters (format_datetime) → strftime. Longest runs first.
// Values print in the session zone, UTC, so zone letters become fixed text.
const JODA_RULES: readonly (readonly [string, string])[] = [
  ['[yY]{3,}', '%Y'],
  ['[yY]{2}', '%y'],
  ['[yY]', '%Y'],
  ['x+', '%G'],
  ['M{4,}', '%B'],
  ['M{3}', '%b'],
  ['M{2}', '%m'],
  ['M', '%-m'],
  ['d{2,}', '%d'],
  ['d', '%-d'],
  ['D{3,}', '%j'],
  ['D{1,2}', '%-j'],
  ['E{4,}', '%A'],
  ['E{1,3}', '%a'],
  ['e+', '%u'],
  ['a+', '%p'],
  ['H{2,}', '%H'],
  ['H', '%-H'],
  ['h{2,}', '%I'],
  ['h', '%-I'],
  ['m{2,}', '%M'],
  ['m', '%-M'],
  ['s{2,}', '%S'],
  ['s', '%-S'],
  ['S{6,}', '%f'],
  ['S{1,5}', '%g'],
  ['w+', '%V'],
  ['Z{3,}', 'UTC'],
  ['Z{2}', '+00:00'],
  ['Z', '+0000'],
  ['z{4,}', 'Coordinated Universal Time'],
  ['z{1,3}', 'UTC'],
  ['G+', 'AD'],
];

function jodaSegment(segment: string): string {
  const code = (i: number): string => `chr(1) || ${lit(String(i).padStart(2, '0'))}`;
  let e = `system.main.replace(${segment}, '%', '%%')`;
  e = regexReplaceAll(
    e,
    JODA_RULES.map(([re], i) => [re, code(i)] as const),
  );
  return replaceAll(
    e,
    JODA_RULES.map(([, out], i) => [code(i), lit(out)] as const),
  );
}

// ------------------------------------------------------------ helper macros

// Trino's legacy JSON path accepts $["key"] and $[key]; DuckDB wants $."key".
const JSON_PATH = regexReplaceAll('p', [
  [String.raw`\[\s*"((?:[^"\\]|\\.)*)"\s*\]`, lit(String.raw`."\1"`)],
  [String.raw`\[([A-Za-z_][A-Za-z0-9_]*)\]`, lit(String.raw`."\1"`)],
]);

// Slow path of from_iso8601_timestamp: complete what ISO-8601 may omit so that
// DuckDB's cast accepts it, and keep milliseconds only (Trino's timestamp(3)). Trino's
// parser (Joda's) reads `t` and `z` as `T` and `Z`, and a time alone as a time on 1970-01-01.
const ISO_NORMALIZE = regexReplaceAll(`system.main.upper(system.main.replace(s, ',', '.'))`, [
  [String.raw`^T`, lit('1970-01-01T')],
  [String.raw`(\.\d{3})\d+`, lit(String.raw`\1`)],
  [String.raw`^(\d{4})(T|$)`, lit(String.raw`\1-01-01\2`)],
  [String.raw`^(\d{4}-\d{2})(T|$)`, lit(String.raw`\1-01\2`)],
  [String.raw`T(\d{2})(Z|[+-]|$)`, lit(String.raw`T\1:00:00\2`)],
  [String.raw`T(\d{2}:\d{2})(Z|[+-]|$)`, lit(String.raw`T\1:00\2`)],
]);

// Java's Matcher replacement syntax ($1, \$, \\) → RE2's (\1, $, \\).
const JAVA_REPLACEMENT = (() => {
  let e = `system.main.replace(r, '\\\\', chr(3))`;
  e = `system.main.replace(${e}, '\\$', chr(4))`;
  e = regexReplaceAll(e, [
    [String.raw`\\(.)`, lit(String.raw`\1`)],
    [String.raw`\$(\d)`, lit(String.raw`\\\1`)],
  ]);
  return `system.main.replace(system.main.replace(${e}, chr(3), '\\\\'), chr(4), '$')`;
})();

const URI_INVALID = String.raw`[\s"<>\\^` + '`' + String.raw`{|}]|%([^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|[0-9A-Fa-f]?$)`;
const URI_AUTHORITY = String.raw`^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?`;
const URI_HOST = String.raw`([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])`;

/** A JSON string token, or a run of text between string tokens. */
const JSON_TOKEN = String.raw`"(?:[^"\\]|\\.)*"|[^"]+`;
const JSON_NUMBER = String.raw`-?[0-9][0-9.eE+-]*`;

// Trino's json_parse sorts the keys of every object (json_format then prints them so).
// A macro cannot call itself, so the sort is one macro per level of nesting, each calling
// the one below; past JSON_SORT_DEPTH levels objects keep their document order.
export const JSON_SORT_DEPTH = 6;

/** An object's members sorted by key, or an array's elements, as {k, v}; k is NULL in arrays.
 *  Members are read by JSON Pointer, where ~ and / in a key are written ~0 and ~1. */
const JSON_ITEMS = `(j) AS CASE system.main.json_type(j)
      WHEN 'OBJECT' THEN list_transform(list_sort(CAST(system.main.json_keys(j) AS VARCHAR[])), lambda _trino_k: {'k': _trino_k, 'v': system.main.json_extract(j, '/' || system.main.replace(system.main.replace(_trino_k, '~', '~0'), '/', '~1'))})
      WHEN 'ARRAY' THEN list_transform(CAST(system.main.json_extract(j, '$[*]') AS JSON[]), lambda _trino_e: {'k': NULL::VARCHAR, 'v': _trino_e}) END`;

// Each level passes the level below a lambda variable, never a larger expression: a macro's
// argument is copied wherever the body names it, so passing expressions down would grow the
// query exponentially. Binding still grows with each nested lambda (about 45 ms at 3 levels,
// 130 ms at 5, 15 s at 12, measured), which is what bounds JSON_SORT_DEPTH. An array is a level too.
const jsonSortLevel = (level: number): string =>
  level === 0
    ? macro('_trino_json_sorted_0', `(j) AS CAST(j AS VARCHAR)`)
    : macro(
        `_trino_json_sorted_${level}`,
        `(j) AS CASE WHEN system.main.json_type(j) IN ('OBJECT', 'ARRAY') THEN
      CASE system.main.json_type(j) WHEN 'OBJECT' THEN '{' ELSE '[' END
      || array_to_string(list_transform(_trino_json_items(j), lambda _trino_i: coalesce(CAST(to_json(_trino_i.k) AS VARCHAR) || ':', '') || _trino_json_sorted_${level - 1}(_trino_i.v)), ',')
      || CASE system.main.json_type(j) WHEN 'OBJECT' THEN '}' ELSE ']' END
    ELSE CAST(j AS VARCHAR) END`,
      );

/** Internal macros the Trino functions call; installed first. */
export const HELPER_MACROS: readonly string[] = [
  macro('_trino_json_path', `(p) AS ${JSON_PATH}`),
  macro('_trino_sqljson_path', `(p) AS system.main.regexp_replace(p, ${lit(String.raw`^\s*(lax|strict)\s+`)}, '')`),
  macro('_trino_iso_normalize', `(s) AS ${ISO_NORMALIZE}`),
  macro('_trino_java_replacement', `(r) AS ${JAVA_REPLACEMENT}`),
  macro('_trino_mysql_strftime', `(f) AS ${mysqlTranslation('f', 'format')}`),
  macro('_trino_mysql_strptime', `(f) AS ${mysqlTranslation('f', 'parse')}`),
  macro(
    '_trino_joda_strftime',
    `(f) AS array_to_string(list_transform(string_split(f, ''''), lambda seg, i: CASE WHEN i % 2 = 1 THEN ${jodaSegment('seg')} WHEN seg = '' THEN '''' ELSE system.main.replace(seg, '%', '%%') END), '')`,
  ),
  macro(
    '_trino_interval',
    `(u, n) AS CASE lower(u) WHEN 'millisecond' THEN to_milliseconds(n) WHEN 'second' THEN to_seconds(n)
      WHEN 'minute' THEN to_minutes(n) WHEN 'hour' THEN to_hours(CAST(n AS BIGINT)) WHEN 'day' THEN to_days(CAST(n AS INTEGER))
      WHEN 'week' THEN to_weeks(CAST(n AS INTEGER)) WHEN 'month' THEN to_months(CAST(n AS INTEGER))
      WHEN 'quarter' THEN to_months(CAST(3 * n AS INTEGER)) WHEN 'year' THEN to_years(CAST(n AS INTEGER))
      ELSE ${fail(`'''' || u || ''' is not a valid TIMESTAMP field'`, 'INTERVAL')} END`,
  ),
  macro('_trino_uri_ok', `(u) AS NOT regexp_matches(u, ${lit(URI_INVALID)})`),
  // The JSON text with every number turned into a string of its text as written, so that
  // json_extract_string returns `1e3` where DuckDB would re-print the parsed double (1000.0),
  // as Trino returns the number's own text. Outside string tokens, digits only occur in
  // numbers. Only called for valid JSON whose value at the path is a fractional number.
  macro('_trino_json_items', JSON_ITEMS),
  ...Array.from({ length: JSON_SORT_DEPTH + 1 }, (_, level) => jsonSortLevel(level)),
  macro(
    '_trino_json_numbers_as_text',
    `(j) AS array_to_string(list_transform(system.main.regexp_extract_all(j, ${lit(JSON_TOKEN)}), lambda _trino_t: CASE WHEN left(_trino_t, 1) = '"' THEN _trino_t ELSE system.main.regexp_replace(_trino_t, ${lit(JSON_NUMBER)}, '"\\0"', 'g') END), '')`,
  ),
];

// ------------------------------------------------------------ the functions

const f = (name: string, signature: string, note: string, ...overloads: string[]): TrinoFunction => ({
  name,
  signature,
  note,
  sql: macro(name, ...overloads),
});

const JSON_FUNCTIONS: TrinoFunction[] = [
  f(
    'json_extract_scalar',
    'json_extract_scalar(json, json_path) → varchar',
    'NULL for objects, arrays, JSON null, missing paths and malformed JSON (DuckDB returns JSON text for objects and fails on bad JSON). Numbers come back as written (1e3, 1.50), as in Trino, where DuckDB would re-print them (1000.0, 1.5).',
    // Integers print as written already; only a fractional number (json_type DOUBLE) takes
    // the slower path that reads its text from the document. The lambda binds the value once.
    `(j, p) AS try(list_transform([system.main.json_value(j, _trino_json_path(p))], lambda _trino_v: CASE WHEN system.main.json_type(_trino_v) = 'DOUBLE'
      THEN system.main.json_extract_string(_trino_json_numbers_as_text(j), _trino_json_path(p)) ELSE system.main.json_extract_string(_trino_v, '$') END)[1])`,
  ),
  f(
    'json_array_length',
    'json_array_length(json) → bigint',
    'NULL when the value is not an array or not JSON (DuckDB returns 0).',
    `(j) AS try(CASE WHEN system.main.json_type(j) = 'ARRAY' THEN CAST(system.main.json_array_length(j) AS BIGINT) END)`,
    `(j, p) AS system.main.json_array_length(j, p)`,
  ),
  f(
    'json_array_contains',
    'json_array_contains(json, value) → boolean',
    'Matches top-level elements of the same JSON type as value (bigint matches integer tokens only, double matches fractional tokens only). NULL for non-arrays.',
    `(j, v BOOLEAN) AS try(CASE WHEN system.main.json_type(j) = 'ARRAY' THEN list_contains(CAST(system.main.json_extract(j, '$[*]') AS VARCHAR[]), CAST(to_json(v) AS VARCHAR)) END)`,
    `(j, v BIGINT) AS try(CASE WHEN system.main.json_type(j) = 'ARRAY' THEN list_contains(CAST(system.main.json_extract(j, '$[*]') AS VARCHAR[]), CAST(to_json(v) AS VARCHAR)) END)`,
    `(j, v DOUBLE) AS try(CASE WHEN v IS NULL THEN NULL WHEN system.main.json_type(j) = 'ARRAY' THEN len(list_filter(system.main.json_extract(j, '$[*]'), lambda e: system.main.json_type(e) = 'DOUBLE' AND CAST(e AS DOUBLE) = v)) > 0 END)`,
    `(j, v VARCHAR) AS try(CASE WHEN system.main.json_type(j) = 'ARRAY' THEN list_contains(CAST(system.main.json_extract(j, '$[*]') AS VARCHAR[]), CAST(to_json(v) AS VARCHAR)) END)`,
  ),
  f(
    'json_array_get',
    'json_array_get(json_array, index) → json',
    'Zero-based, negative from the end, NULL out of range; string elements come back unquoted, as in Trino (whose docs call this broken).',
    `(j, i) AS try(CASE WHEN system.main.json_type(j) = 'ARRAY' THEN CASE WHEN system.main.json_type(j, '$[' || CAST(i AS VARCHAR) || ']') = 'VARCHAR' THEN system.main.json_extract_string(j, '$[' || CAST(i AS VARCHAR) || ']') ELSE CAST(system.main.json_extract(j, '$[' || CAST(i AS VARCHAR) || ']') AS VARCHAR) END END)`,
  ),
  f(
    'json_size',
    'json_size(json, json_path) → bigint',
    'Members of an object or array at the path, 0 for a scalar, NULL when missing. Not in DuckDB.',
    `(j, p) AS try(CAST(CASE system.main.json_type(j, _trino_json_path(p)) WHEN 'OBJECT' THEN len(system.main.json_keys(j, _trino_json_path(p))) WHEN 'ARRAY' THEN system.main.json_array_length(j, _trino_json_path(p)) ELSE CASE WHEN system.main.json_type(j, _trino_json_path(p)) IS NOT NULL THEN 0 END END AS BIGINT))`,
  ),
  f(
    'json_format',
    'json_format(json) → varchar',
    'Minified JSON text, keys in the order the value has them: sorted after json_parse, as in Trino.',
    `(x) AS CAST(system.main.json_extract(x, '$') AS VARCHAR)`,
  ),
  f(
    'json_parse',
    'json_parse(string) → json',
    `Fails on malformed JSON, as in Trino. Object keys are sorted, as in Trino, down to ${JSON_SORT_DEPTH} levels of nesting; deeper objects keep document order.`,
    `(s) AS CAST(_trino_json_sorted_${JSON_SORT_DEPTH}(system.main.json_extract(CAST(s AS VARCHAR), '$')) AS JSON)`,
  ),
  f(
    'is_json_scalar',
    'is_json_scalar(json) → boolean',
    'Fails on malformed JSON, as in Trino.',
    `(x) AS system.main.json_type(x) NOT IN ('OBJECT', 'ARRAY')`,
  ),
  f(
    'json_value',
    "json_value(json, 'lax|strict path') → varchar",
    'Simple member/index paths only (no filters, methods, RETURNING or ON EMPTY clauses); scalar as text, NULL otherwise.',
    `(j, p) AS try(system.main.json_extract_string(system.main.json_value(j, _trino_sqljson_path(p)), '$'))`,
  ),
  f(
    'json_query',
    "json_query(json, 'lax|strict path') → varchar",
    'Simple paths only, no WRAPPER/QUOTES clauses; returns the JSON text of the item, NULL when missing.',
    `(j, p) AS try(CAST(system.main.json_extract(j, _trino_sqljson_path(p)) AS VARCHAR))`,
  ),
  f(
    'json_exists',
    "json_exists(json, 'lax|strict path') → boolean",
    'Simple paths only; malformed JSON gives false (Trino default FALSE ON ERROR).',
    `(j, p) AS CASE WHEN j IS NULL THEN NULL ELSE coalesce(try(system.main.json_exists(j, _trino_sqljson_path(p))), false) END`,
  ),
];

// What Trino's from_iso8601_timestamp reads (checked against Trino 476 by test/engines): the
// separator is `T` (a space is refused), hours 00–23, at most nine fractional digits.
const ISO_TIME = String.raw`[Tt]([01]\d|2[0-3])(:\d{2}(:\d{2}([.,]\d{1,9})?)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?`;
const ISO_TIMESTAMP = String.raw`\d{4}(-\d{2}(-\d{2})?)?(${ISO_TIME})?|${ISO_TIME}`;
const ISO_WEEK = String.raw`\d{4}-W(0[1-9]|[1-4]\d|5[0-3])(-[1-7])?`;

const DATE_FUNCTIONS: TrinoFunction[] = [
  f(
    'from_iso8601_timestamp',
    'from_iso8601_timestamp(string) → timestamp(3) with time zone',
    "Accepts CloudTrail's 2024-07-31T13:06:24Z, fractions of up to nine digits (kept to milliseconds), offsets, date-only, time-only and partial forms; fails like Trino on anything else (a space for T, hour 24). The offset is applied but not kept: DuckDB shows the instant in the session zone (UTC).",
    // Fast paths: CloudTrail's eventTime shape, and the same with milliseconds.
    // (DuckDB's cast reads hour 24 as the next day; Trino refuses it.)
    `(s) AS CASE WHEN (s LIKE '____-__-__T__:__:__Z' OR s LIKE '____-__-__T__:__:__.___Z') AND system.main.substr(s, 12, 2) < '24' THEN CAST(s AS TIMESTAMPTZ)
      WHEN regexp_full_match(s, ${lit(ISO_TIMESTAMP)}) THEN CAST(_trino_iso_normalize(s) AS TIMESTAMPTZ)
      ELSE ${fail(`'Invalid format: "' || s || '"'`, 'TIMESTAMPTZ')} END`,
  ),
  f(
    'from_iso8601_date',
    'from_iso8601_date(string) → date',
    'Calendar (2020-05-11, 2020-05, 2020), week (2020-W10-1) and ordinal (2020-123) dates.',
    `(s) AS CASE WHEN regexp_full_match(s, ${lit(String.raw`\d{4}-\d{2}-\d{2}`)}) THEN CAST(s AS DATE)
      WHEN regexp_full_match(s, ${lit(String.raw`\d{4}(-\d{2})?`)}) THEN CAST(s || CASE WHEN length(s) = 4 THEN '-01-01' ELSE '-01' END AS DATE)
      WHEN regexp_full_match(s, ${lit(ISO_WEEK)}) THEN
        -- Monday of week 1 is the Monday on or before 4 January.
        make_date(CAST(left(s, 4) AS INTEGER), 1, 4) + CAST(1 - isodow(make_date(CAST(left(s, 4) AS INTEGER), 1, 4))
          + (CAST(system.main.substr(s, 7, 2) AS INTEGER) - 1) * 7 + CASE WHEN length(s) = 10 THEN CAST(right(s, 1) AS INTEGER) - 1 ELSE 0 END AS INTEGER)
      WHEN regexp_full_match(s, ${lit(String.raw`\d{4}-\d{3}`)}) THEN make_date(CAST(left(s, 4) AS INTEGER), 1, 1) + CAST(right(s, 3) AS INTEGER) - 1
      ELSE ${fail(`'Invalid format: "' || s || '"'`, 'DATE')} END`,
  ),
  f(
    'to_iso8601',
    'to_iso8601(date | timestamp | timestamp with time zone) → varchar',
    'Milliseconds always printed (Trino prints the precision of the type: timestamp(0) literals print no fraction). Time zone values print in UTC with Z.',
    `(x DATE) AS strftime(x, '%Y-%m-%d')`,
    `(x TIMESTAMP) AS strftime(x, '%Y-%m-%dT%H:%M:%S.%g')`,
    `(x TIMESTAMPTZ) AS strftime(x AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ')`,
  ),
  f(
    'from_unixtime',
    'from_unixtime(unixtime) → timestamp(3) with time zone',
    'Rounded to milliseconds like Trino. The (unixtime, zone) and (unixtime, hours, minutes) forms are not provided: DuckDB values cannot carry a zone.',
    `(x) AS system.main.epoch_ms(CAST(floor(CAST(x AS DOUBLE) * 1000 + 0.5) AS BIGINT)) AT TIME ZONE 'UTC'`,
  ),
  f('to_unixtime', 'to_unixtime(timestamp) → double', 'Not in DuckDB; same as epoch().', `(x) AS epoch(x)`),
  f(
    'date_diff',
    'date_diff(unit, timestamp1, timestamp2) → bigint',
    "Counts whole units elapsed, like Trino (DuckDB's date_diff counts boundaries crossed: 23:00 → 01:00 next day is 1 day there, 0 here). Days and weeks are 24 h and 7 × 24 h, as in UTC or any fixed offset.",
    // Fixed-length units by epoch arithmetic: same answer (// truncates toward zero,
    // like Trino) and far cheaper than the calendar path for time zone values.
    `(u, a, b) AS CASE lower(u) WHEN 'millisecond' THEN (epoch_us(b) - epoch_us(a)) // 1000
      WHEN 'second' THEN (epoch_us(b) - epoch_us(a)) // 1000000 WHEN 'minute' THEN (epoch_us(b) - epoch_us(a)) // 60000000
      WHEN 'hour' THEN (epoch_us(b) - epoch_us(a)) // 3600000000 WHEN 'day' THEN (epoch_us(b) - epoch_us(a)) // 86400000000
      WHEN 'week' THEN (epoch_us(b) - epoch_us(a)) // 604800000000 ELSE system.main.date_sub(u, a, b) END`,
  ),
  f(
    'date_add',
    'date_add(unit, value, timestamp) → same type',
    "Trino's argument order; a date stays a date. DuckDB's own date_add(date, interval) still works.",
    `(u, n, x DATE) AS CASE WHEN lower(u) IN ('millisecond', 'second', 'minute', 'hour') THEN ${fail(`'''' || u || ''' is not a valid DATE field'`, 'DATE')} ELSE CAST(x + _trino_interval(u, n) AS DATE) END`,
    `(u, n, x) AS x + _trino_interval(u, n)`,
    `(d, i) AS system.main.date_add(d, i)`,
  ),
  f(
    'date_trunc',
    'date_trunc(unit, x) → same type',
    'A date stays a date (DuckDB returns a timestamp); otherwise the built-in.',
    `(u, x DATE) AS CAST(system.main.date_trunc(u, x) AS DATE)`,
    `(u, x) AS system.main.date_trunc(u, x)`,
  ),
  f(
    'date_format',
    'date_format(timestamp, format) → varchar',
    'MySQL specifiers translated to strftime; time zone values print in the session zone (UTC). %D %U %u %V %w %X fail, as in Trino. The format must be a constant.',
    `(x, fmt) AS strftime(x, _trino_mysql_strftime(fmt))`,
  ),
  f(
    'date_parse',
    'date_parse(string, format) → timestamp(3)',
    'MySQL specifiers translated to strptime; missing fields default to 1970-01-01 and %y maps 69 to 2069, as in Trino. Month and day names are English.',
    `(s, fmt) AS CASE WHEN NOT regexp_matches(fmt, '%[Yyx]') THEN system.main.date_trunc('millisecond', CAST(strptime(s, _trino_mysql_strptime(fmt)) AS TIMESTAMP)) + INTERVAL 70 YEAR
      WHEN regexp_matches(fmt, '%y') AND year(CAST(strptime(s, _trino_mysql_strptime(fmt)) AS TIMESTAMP)) = 1969 THEN system.main.date_trunc('millisecond', CAST(strptime(s, _trino_mysql_strptime(fmt)) AS TIMESTAMP)) + INTERVAL 100 YEAR
      ELSE system.main.date_trunc('millisecond', CAST(strptime(s, _trino_mysql_strptime(fmt)) AS TIMESTAMP)) END`,
  ),
  f(
    'format_datetime',
    'format_datetime(timestamp, joda_format) → varchar',
    "Common Joda letters (y M d H h m s S E a D w Z z G, 'quoted text'); values print in the session zone (UTC), so Z prints +0000. k, K, C and '' inside quotes are not translated. The format must be a constant.",
    `(x, fmt) AS strftime(x, _trino_joda_strftime(fmt))`,
  ),
  f('day_of_week', 'day_of_week(x) → bigint', 'ISO: Monday 1 … Sunday 7 (DuckDB dayofweek has Sunday 0).', `(x) AS isodow(x)`),
  f('dow', 'dow(x) → bigint', 'Alias of day_of_week.', `(x) AS isodow(x)`),
  f('day_of_year', 'day_of_year(x) → bigint', 'Alias of DuckDB dayofyear.', `(x) AS dayofyear(x)`),
  f('doy', 'doy(x) → bigint', 'Alias of day_of_year.', `(x) AS dayofyear(x)`),
  f('day_of_month', 'day_of_month(x) → bigint', 'Alias of day.', `(x) AS day(x)`),
  f('week_of_year', 'week_of_year(x) → bigint', 'ISO week, alias of week.', `(x) AS week(x)`),
  f('year_of_week', 'year_of_week(x) → bigint', 'ISO week-numbering year.', `(x) AS isoyear(x)`),
  f('yow', 'yow(x) → bigint', 'Alias of year_of_week.', `(x) AS isoyear(x)`),
  f('last_day_of_month', 'last_day_of_month(x) → date', 'Alias of DuckDB last_day.', `(x) AS last_day(x)`),
  f(
    'millisecond',
    'millisecond(x) → bigint',
    'Milliseconds of the second, 0–999 (DuckDB includes the seconds: 3.123 s → 3123).',
    `(x) AS system.main.millisecond(x) % 1000`,
  ),
];

const REGEXP_FUNCTIONS: TrinoFunction[] = [
  f(
    'regexp_like',
    'regexp_like(string, pattern) → boolean',
    'Partial match (find), as in Trino. RE2 syntax: no lookaround or backreferences.',
    `(s, p) AS regexp_matches(s, p)`,
  ),
  f(
    'regexp_extract',
    'regexp_extract(string, pattern[, group]) → varchar',
    "NULL when nothing matches (DuckDB returns ''). A group that did not take part in the match gives '' (Trino NULL).",
    `(s, p) AS system.main.regexp_extract_all(s, p)[1]`,
    `(s, p, g) AS system.main.regexp_extract_all(s, p, g)[1]`,
  ),
  f(
    'regexp_replace',
    'regexp_replace(string, pattern[, replacement]) → varchar',
    "Replaces every match (DuckDB only the first without 'g'); $1 / \\$ in the replacement are Java syntax, translated to RE2. ${name} groups and the lambda form are not supported.",
    `(s, p) AS system.main.regexp_replace(s, p, '', 'g')`,
    `(s, p, r) AS system.main.regexp_replace(s, p, _trino_java_replacement(r), 'g')`,
  ),
  f(
    'regexp_count',
    'regexp_count(string, pattern) → bigint',
    'Not in DuckDB.',
    `(s, p) AS CAST(len(system.main.regexp_extract_all(s, p)) AS BIGINT)`,
  ),
  f(
    'regexp_split',
    'regexp_split(string, pattern) → array(varchar)',
    'Not in DuckDB; keeps trailing empty strings like Trino.',
    `(s, p) AS string_split_regex(s, p)`,
  ),
];

const ARRAY_FUNCTIONS: TrinoFunction[] = [
  f(
    'contains',
    'contains(array, element) → boolean',
    "NULL when not found and the array holds a NULL, as in Trino. DuckDB's contains(string, substring) still works.",
    `(a VARCHAR, e VARCHAR) AS system.main.contains(a, e)`,
    `(a, e) AS CASE WHEN a IS NULL OR e IS NULL THEN NULL WHEN list_contains(a, e) THEN true WHEN len(a) > list_count(a) THEN NULL ELSE false END`,
  ),
  f(
    'cardinality',
    'cardinality(array | map) → bigint',
    'Arrays too (DuckDB: maps only).',
    `(m MAP(VARCHAR, VARCHAR)) AS CAST(system.main.cardinality(m) AS BIGINT)`,
    `(a) AS CAST(len(a) AS BIGINT)`,
  ),
  f(
    'element_at',
    'element_at(array, index) | element_at(map, key) → element',
    'Arrays: 1-based, negative from the end, NULL out of range, index 0 fails. Maps: the value or NULL (DuckDB returns a list).',
    `(x, i) AS [x[i]][CASE WHEN typeof(x) NOT LIKE 'MAP(%' AND CAST(i AS VARCHAR) = '0' THEN ${fail(`'SQL array indices start at 1'`, 'BIGINT')} ELSE 1 END]`,
  ),
  f(
    'array_join',
    'array_join(array, delimiter[, null_replacement]) → varchar',
    'NULL elements skipped unless a replacement is given. Not in DuckDB (array_to_string).',
    `(a, d) AS array_to_string(a, d)`,
    `(a, d, n) AS array_to_string(list_transform(a, lambda v: coalesce(CAST(v AS VARCHAR), n)), d)`,
  ),
  f(
    'array_position',
    'array_position(array, element) → bigint',
    '0 when absent (DuckDB returns NULL); NULL element gives NULL.',
    `(a, e) AS CASE WHEN a IS NULL OR e IS NULL THEN NULL ELSE CAST(coalesce(list_position(a, e), 0) AS BIGINT) END`,
  ),
  f(
    'array_distinct',
    'array_distinct(array) → array',
    'Keeps first-occurrence order and one NULL (DuckDB drops NULLs and reorders).',
    `(a) AS list_filter(a, lambda v, i: list_position(a, v) = i)`,
  ),
  f(
    'slice',
    'slice(array, start, length) → array',
    '1-based start, negative from the end; start 0 or negative length fail. Not in DuckDB.',
    `(a, s, n) AS CASE WHEN a IS NULL OR s IS NULL OR n IS NULL THEN NULL
      WHEN n < 0 THEN a[${fail(`'length must be greater than or equal to 0'`, 'BIGINT')}:0]
      WHEN s = 0 THEN a[${fail(`'SQL array indices start at 1'`, 'BIGINT')}:0]
      WHEN (CASE WHEN s < 0 THEN len(a) + s + 1 ELSE s END) < 1 THEN a[1:0]
      ELSE a[CASE WHEN s < 0 THEN len(a) + s + 1 ELSE s END : least(CASE WHEN s < 0 THEN len(a) + s + 1 ELSE s END + n, len(a) + 1) - 1] END`,
  ),
  f(
    'split',
    'split(string, delimiter[, limit]) → array(varchar)',
    'Empty delimiter fails as in Trino; with limit the last element holds the rest.',
    `(s, d) AS CASE WHEN d = '' THEN ${fail(`'The delimiter may not be the empty string'`, 'VARCHAR[]')} ELSE string_split(s, d) END`,
    `(s, d, l) AS CASE WHEN d = '' THEN ${fail(`'The delimiter may not be the empty string'`, 'VARCHAR[]')}
      WHEN l <= 0 THEN ${fail(`'Limit must be positive'`, 'VARCHAR[]')}
      WHEN len(string_split(s, d)) <= l THEN string_split(s, d)
      ELSE list_slice(string_split(s, d), 1, l - 1) || [array_to_string(list_slice(string_split(s, d), l, len(string_split(s, d))), d)] END`,
  ),
];

// substr/substring: Trino returns '' for start 0 and for starts before the string.
const SUBSTR = [
  `(s, st) AS CASE WHEN s IS NULL OR st IS NULL THEN NULL WHEN st = 0 OR st < -length(s) THEN '' ELSE system.main.substr(s, st) END`,
  `(s, st, n) AS CASE WHEN s IS NULL OR st IS NULL OR n IS NULL THEN NULL WHEN st = 0 OR n <= 0 OR st < -length(s) THEN '' ELSE system.main.substr(s, st, n) END`,
];

// concat: any NULL argument gives NULL in Trino (DuckDB skips NULLs); || behaves so.
const CONCAT = Array.from({ length: 9 }, (_, i) => {
  const args = Array.from({ length: i + 2 }, (_, k) => `a${k + 1}`);
  return `(${args.join(', ')}) AS ${args.join(' || ')}`;
});

const STRING_FUNCTIONS: TrinoFunction[] = [
  f(
    'split_part',
    'split_part(string, delimiter, index) → varchar',
    "NULL past the last field (DuckDB returns ''); index ≤ 0 fails.",
    `(s, d, i) AS CASE WHEN s IS NULL OR d IS NULL OR i IS NULL THEN NULL WHEN i <= 0 THEN ${fail(`'Index must be greater than zero'`, 'VARCHAR')} ELSE string_split(s, d)[i] END`,
  ),
  f('substr', 'substr(string, start[, length]) → varchar', "Start 0, or before the beginning, gives '' (DuckDB starts at 1).", ...SUBSTR),
  f('substring', 'substring(string, start[, length]) → varchar', 'Same as substr.', ...SUBSTR),
  f('concat', 'concat(x, y, ...) → varchar | array', 'NULL if any argument is NULL (DuckDB skips NULLs). Up to 10 arguments.', ...CONCAT),
  f(
    'replace',
    'replace(string, search[, replacement]) → varchar',
    'Two-argument form removes the search string.',
    `(s, x) AS system.main.replace(s, x, '')`,
    `(s, x, r) AS system.main.replace(s, x, r)`,
  ),
];

const AGGREGATE_FUNCTIONS: TrinoFunction[] = [
  f(
    'approx_distinct',
    'approx_distinct(x[, e]) → bigint',
    'Exact count(DISTINCT x): Trino estimates (standard error 2.3%), so large counts can differ slightly.',
    `(x) AS count(DISTINCT x)`,
    `(x, e) AS count(DISTINCT x)`,
  ),
  f('arbitrary', 'arbitrary(x) → x', 'A non-NULL value when one exists (DuckDB arbitrary may return NULL).', `(x) AS any_value(x)`),
  f('count_if', 'count_if(x) → bigint', 'BIGINT and 0 on no rows (DuckDB: HUGEINT and NULL).', `(x) AS count(CASE WHEN x THEN 1 END)`),
  f(
    'max_by',
    'max_by(x, y[, n]) → x',
    'Returns x of the row with the largest y even when that x is NULL (DuckDB skips NULL x). The n form is the built-in, which skips NULL x.',
    `(x, y) AS system.main.arg_max_null(x, y)`,
    `(x, y, n) AS system.main.max_by(x, y, n)`,
  ),
  f(
    'min_by',
    'min_by(x, y[, n]) → x',
    'As max_by.',
    `(x, y) AS system.main.arg_min_null(x, y)`,
    `(x, y, n) AS system.main.min_by(x, y, n)`,
  ),
  f(
    'approx_percentile',
    'approx_percentile(x, percentage | array) → x',
    'Exact discrete quantile; Trino estimates, so results can differ slightly. Weighted forms not provided.',
    `(x, p) AS quantile_disc(x, p)`,
  ),
];

const URL_FUNCTIONS: TrinoFunction[] = [
  f(
    'url_extract_host',
    'url_extract_host(url) → varchar',
    "As java.net.URI: '' when the URL has no host, NULL when it is not a valid URI (approximated).",
    `(u) AS CASE WHEN _trino_uri_ok(u) THEN system.main.regexp_extract(u, ${lit(`${URI_AUTHORITY}${URI_HOST}(?::\\d*)?(?:[/?#]|$)`)}, 1) END`,
  ),
  f(
    'url_extract_port',
    'url_extract_port(url) → bigint',
    'NULL when absent.',
    `(u) AS CASE WHEN _trino_uri_ok(u) THEN CAST(nullif(system.main.regexp_extract(u, ${lit(`${URI_AUTHORITY}${URI_HOST}:(\\d+)(?:[/?#]|$)`)}, 2), '') AS BIGINT) END`,
  ),
  f(
    'url_extract_protocol',
    'url_extract_protocol(url) → varchar',
    "'' when there is no scheme.",
    `(u) AS CASE WHEN _trino_uri_ok(u) THEN system.main.regexp_extract(u, '^([A-Za-z][A-Za-z0-9+.-]*):', 1) END`,
  ),
  f(
    'url_extract_path',
    'url_extract_path(url) → varchar',
    'Percent-decoded, as URI.getPath.',
    `(u) AS CASE WHEN NOT _trino_uri_ok(u) THEN NULL WHEN regexp_matches(u, '^[A-Za-z][A-Za-z0-9+.-]*:[^/]') THEN ''
      ELSE url_decode(system.main.regexp_extract(u, ${lit(String.raw`^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://[^/?#]*)?([^?#]*)`)}, 1)) END`,
  ),
  f(
    'url_extract_query',
    'url_extract_query(url) → varchar',
    'Percent-decoded, as URI.getQuery.',
    `(u) AS CASE WHEN _trino_uri_ok(u) THEN url_decode(system.main.regexp_extract(u, ${lit(String.raw`^[^?#]*\?([^#]*)`)}, 1)) END`,
  ),
  f(
    'url_extract_fragment',
    'url_extract_fragment(url) → varchar',
    'Percent-decoded.',
    `(u) AS CASE WHEN _trino_uri_ok(u) THEN url_decode(system.main.regexp_extract(u, '#(.*)$', 1)) END`,
  ),
  f(
    'url_extract_parameter',
    'url_extract_parameter(url, name) → varchar',
    "First value of the query parameter, form-decoded; '' for a key without '='; NULL when absent.",
    `(u, name) AS CASE WHEN _trino_uri_ok(u) AND regexp_matches(u, ${lit(String.raw`^[^#]*\?`)}) THEN
      list_transform(
        list_filter(string_split(system.main.regexp_extract(u, ${lit(String.raw`^[^?#]*\?([^#]*)`)}, 1), '&'),
          lambda a: CASE WHEN strpos(a, '=') > 0 THEN left(a, strpos(a, '=') - 1) ELSE a END = name),
        lambda a: CASE WHEN strpos(a, '=') > 0 THEN url_decode(system.main.replace(system.main.substr(a, strpos(a, '=') + 1), '+', ' ')) ELSE '' END)[1] END`,
  ),
];

/** Every Trino function installed as a macro, shadowing any DuckDB built-in of the same name. */
export const TRINO_FUNCTIONS: readonly TrinoFunction[] = [
  ...JSON_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...REGEXP_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...AGGREGATE_FUNCTIONS,
  ...URL_FUNCTIONS,
];

/** Trino functions DuckDB already runs with Trino's results; not shadowed (tested). */
export const NATIVE_TRINO_FUNCTIONS: readonly { name: string; note: string }[] = [
  {
    name: 'json_extract',
    note: 'Not shadowed: a json_extract macro would break DuckDB\'s -> operator. Same minified JSON for valid input and $.a.b / $[0] paths; malformed JSON raises an error (Trino: NULL) and $["key"] paths are rejected (use json_extract_scalar, which accepts them, or json_query).',
  },
  { name: 'regexp_extract_all', note: 'Same results, including [] when nothing matches.' },
  { name: 'strpos', note: '1-based, 0 when absent. The three-argument (instance) form is missing.' },
  { name: 'position', note: 'position(substring IN string).' },
  { name: 'length', note: 'Counts characters.' },
  { name: 'lower', note: '' },
  { name: 'upper', note: '' },
  { name: 'trim', note: '' },
  { name: 'reverse', note: '' },
  { name: 'starts_with', note: '' },
  { name: 'concat_ws', note: 'Skips NULLs in both.' },
  { name: 'coalesce', note: '' },
  { name: 'nullif', note: '' },
  { name: 'if', note: '' },
  { name: 'greatest', note: '' },
  { name: 'least', note: '' },
  { name: 'filter', note: 'filter(array, x -> predicate); the only lambda function DuckDB knows by its Trino name.' },
  { name: 'array_sort', note: 'Ascending, NULLs last.' },
  { name: 'flatten', note: '' },
  { name: 'array_agg', note: 'Including array_agg(x ORDER BY y).' },
  { name: 'try', note: 'Errors inside become NULL. DuckDB refuses TRY around volatile functions (random(), now()).' },
  {
    name: 'typeof',
    note: "Differs: DuckDB prints 'VARCHAR', 'INTEGER', 'TIMESTAMP WITH TIME ZONE'; Trino 'varchar(3)', 'integer', 'timestamp(3) with time zone'. Use for debugging only.",
  },
  { name: 'date', note: 'date(x) = CAST(x AS DATE).' },
  { name: 'year', note: '' },
  { name: 'quarter', note: '' },
  { name: 'month', note: '' },
  { name: 'week', note: 'ISO week.' },
  { name: 'day', note: '' },
  { name: 'hour', note: '' },
  { name: 'minute', note: '' },
  { name: 'second', note: '' },
  { name: 'current_timestamp', note: 'TIMESTAMP WITH TIME ZONE at query start.' },
  { name: 'current_date', note: 'In the session zone (UTC).' },
  { name: 'now', note: '' },
];

/** Trino functions a macro cannot provide; the lint should warn about them. */
export const UNSUPPORTED_TRINO_FUNCTIONS: readonly { name: string; reason: string; instead: string }[] = [
  {
    name: 'transform',
    reason: 'DuckDB macros cannot take lambda arguments.',
    instead: 'no portable form; for a membership test use contains(array, x) or cardinality(filter(array, x -> ...)) > 0',
  },
  { name: 'any_match', reason: 'Lambda argument.', instead: 'cardinality(filter(array, x -> predicate)) > 0' },
  { name: 'all_match', reason: 'Lambda argument.', instead: 'cardinality(filter(array, x -> NOT predicate)) = 0 (differs on NULLs)' },
  { name: 'none_match', reason: 'Lambda argument.', instead: 'cardinality(filter(array, x -> predicate)) = 0' },
  { name: 'reduce', reason: 'Lambda argument.', instead: '—' },
  { name: 'zip_with', reason: 'Lambda argument.', instead: '—' },
  { name: 'transform_keys', reason: 'Lambda argument.', instead: '—' },
  { name: 'transform_values', reason: 'Lambda argument.', instead: '—' },
  { name: 'map_filter', reason: 'Lambda argument.', instead: '—' },
  { name: 'parse_datetime', reason: 'Not provided (Joda parsing).', instead: 'date_parse(string, mysql_format) or from_iso8601_timestamp' },
  { name: 'with_timezone', reason: 'DuckDB timestamps cannot carry a zone.', instead: '—' },
  { name: 'at_timezone', reason: 'DuckDB timestamps cannot carry a zone.', instead: '—' },
  { name: 'listagg', reason: 'WITHIN GROUP syntax does not parse in DuckDB.', instead: "array_join(array_agg(x ORDER BY x), ',')" },
  { name: 'format', reason: 'DuckDB format() uses {} placeholders, Trino uses Java %s.', instead: 'concat(...) or ||' },
];

/** Functions both engines run whose result is any row's value: the engines pick different
 *  rows, so the same cell shows different values. The lint warns about them. */
export const NONDETERMINISTIC_TRINO_FUNCTIONS: readonly { name: string; reason: string; instead: string }[] = [
  {
    name: 'arbitrary',
    reason: 'it returns the value of any row of the group, and Athena picks another row than DuckDB',
    instead: 'min(x) or max(x), or max_by(x, eventTime) for the latest',
  },
  {
    name: 'any_value',
    reason: 'it returns the value of any row of the group, and Athena picks another row than DuckDB',
    instead: 'min(x) or max(x), or max_by(x, eventTime) for the latest',
  },
];

/** Settings that make DuckDB behave like an Athena session. GLOBAL, so they hold
 *  for every connection of the database, as the macros (catalog entries) do. */
export const TRINO_SETTINGS: readonly string[] = [
  // Athena sessions run in UTC: timestamps without zone, current_date and the
  // display of timestamp-with-time-zone values all depend on it.
  "SET GLOBAL TimeZone = 'UTC'",
  // Trino divides integers as integers (7 / 2 = 3); DuckDB returns 3.5 by default.
  'SET GLOBAL integer_division = true',
];

export interface InstallOptions {
  /** Also apply TRINO_SETTINGS (default true). */
  readonly settings?: boolean;
}

/** Install the Trino functions (and, by default, the Athena settings) in the
 *  connection's database; one round trip, once per database. Idempotent: every
 *  statement is CREATE OR REPLACE or SET. */
export async function installTrinoFunctions(connection: DuckDBConnection, options: InstallOptions = {}): Promise<void> {
  const statements = [...(options.settings === false ? [] : TRINO_SETTINGS), ...HELPER_MACROS, ...TRINO_FUNCTIONS.map((fn) => fn.sql)];
  await connection.run(statements.join(';\n'));
}
