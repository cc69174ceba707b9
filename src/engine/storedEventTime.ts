// The one form `eventTime` has in the store: CloudTrail's own, `2024-12-16T18:41:07Z` (UTC,
// whole seconds; `.123Z` only when the source gave a millisecond that is not zero).
//
// SIEM exports rewrite it (`2024-12-16 18:41:07.000000000`, `2024-12-16T18:41:07+00:00`,
// no zone at all), and runbook SQL reads it as text: `from_iso8601_timestamp(eventTime)`
// refuses a space on Trino (so the emulation does too), and string comparisons only order
// instants when every value has the same shape. So the text is rewritten once, when events
// are stored, and every engine that reads the store (DuckDB here, Trino from its export)
// sees the same instant in the same words. A time without a zone is UTC, as CloudTrail's
// are. What cannot be read as a date and a time to the second is not rewritten: the record
// has no instant (`_ts` is NULL) and is reported instead of loaded.
//
// These are SQL expressions over a VARCHAR expression, used by both ways a batch is written
// (batchWrite.ts): DuckDB evaluates the slow branch only for rows that need it. Functions are
// called as system.main.*: where the Trino macros are installed they shadow DuckDB's own
// regexp_extract, substr and replace, with other semantics.

/** CloudTrail's form, checked digit by digit (hours 00–23: DuckDB reads 24:00 as the next day). */
const CANONICAL = String.raw`\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ`;

/**
 * The forms exports write: `T`, `t` or a space between date and time; 0–9 fractional
 * digits after `.` or `,`; `Z`, `UTC`, `+hh`, `+hhmm`, `+hh:mm` or no zone.
 */
export const READABLE_EVENT_TIME = String.raw`^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:[.,](\d{0,9}))?\s?(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$`;

const lit = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Minutes east of UTC of a zone matched above (`+05:30` → 330); 0 for Z, UTC or none. */
const offsetMinutes = (zone: string): string =>
  `CASE WHEN ${zone} LIKE '+%' OR ${zone} LIKE '-%' THEN
     (CAST(system.main.substr(${zone}, 2, 2) AS INTEGER) * 60 + coalesce(CAST(nullif(system.main.substr(system.main.replace(${zone}, ':', ''), 4, 2), '') AS INTEGER), 0))
     * CASE WHEN ${zone} LIKE '-%' THEN -1 ELSE 1 END
   ELSE 0 END`;

/** The rewrite of a readable form: the UTC instant, printed as CloudTrail prints it. */
const rewritten = (text: string): string =>
  `system.main.list_transform([system.main.regexp_extract(${text}, ${lit(READABLE_EVENT_TIME)}, ['d', 't', 'f', 'z'])], lambda _m:
     system.main.strftime(TRY_CAST(_m.d || ' ' || _m.t AS TIMESTAMP) - system.main.to_minutes(${offsetMinutes('_m.z')}), '%Y-%m-%dT%H:%M:%S')
     || CASE WHEN system.main.rpad(system.main.left(_m.f, 3), 3, '0') = '000' THEN '' ELSE '.' || system.main.rpad(system.main.left(_m.f, 3), 3, '0') END || 'Z')[1]`;

/** `eventTime` in CloudTrail's form, or NULL when `text` cannot be read as an instant. */
export function canonicalEventTimeSql(text: string): string {
  return `CASE WHEN system.main.regexp_full_match(${text}, ${lit(CANONICAL)}) THEN ${text}
    WHEN system.main.regexp_matches(${text}, ${lit(READABLE_EVENT_TIME)}) THEN ${rewritten(text)} END`;
}

/**
 * Stores the rows of `rows` (a subquery whose columns are a record's fields, after `unnest`):
 * its `eventTime` rewritten, `_ts` the instant (NULL: no usable time), and `_time_as_read`
 * the text as the log had it when it was rewritten or unreadable (NULL when it was already
 * CloudTrail's), which the run's notes and problems quote. The rewrite is computed once a
 * row, in the inner select: the fast path of every cold scan goes through here.
 */
export function withStoredTime(rows: string): string {
  return `SELECT * EXCLUDE (_canonical) REPLACE (coalesce(_canonical, "eventTime") AS "eventTime"),
      TRY_CAST(_canonical AS TIMESTAMPTZ) AS _ts,
      CASE WHEN _canonical IS DISTINCT FROM "eventTime" THEN "eventTime" END AS _time_as_read
    FROM (SELECT *, ${canonicalEventTimeSql('"eventTime"')} AS _canonical FROM (${rows}))`;
}
