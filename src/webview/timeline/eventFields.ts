// Where a result keeps the parts of a CloudTrail event the timeline needs. Queries name
// their columns freely (`userIdentity.arn AS actor`, `sourceIPAddress AS ip`), so each
// part is found by column name, without regard to case or separators, with the aliases
// the pivots accept (src/protocol/pivotValues.ts, so the lanes, the copy buttons and the
// pivots read a row alike), then inside the `userIdentity` struct. Pure: no DOM.
import { normalizeColumn, PIVOT_COLUMNS, structField } from '../../protocol/pivotValues';
import type { ResultValue } from '../../protocol/results';

export type EventField =
  | 'time'
  | 'principal'
  | 'accessKey'
  | 'sourceIp'
  | 'eventName'
  | 'eventSource'
  | 'region'
  | 'errorCode'
  | 'readOnly'
  | 'identityType'
  | 'eventId'
  | 'resources';

interface FieldSpec {
  /** Column names, best first, compared normalised (see normalizeColumn). */
  readonly columns: readonly string[];
  /** A field of the userIdentity struct that holds it when no column does. */
  readonly identityField?: string;
}

const SPECS: Readonly<Record<EventField, FieldSpec>> = {
  time: PIVOT_COLUMNS.around,
  principal: PIVOT_COLUMNS.principal,
  accessKey: PIVOT_COLUMNS.accessKey,
  sourceIp: PIVOT_COLUMNS.sourceIp,
  eventName: { columns: ['eventName'] },
  eventSource: { columns: ['eventSource'] },
  region: { columns: ['awsRegion', 'region'] },
  errorCode: { columns: ['errorCode'] },
  readOnly: { columns: ['readOnly'] },
  identityType: { columns: ['identityType', 'userIdentityType', 'userType'], identityField: 'type' },
  eventId: { columns: ['eventID'] },
  resources: PIVOT_COLUMNS.resource,
};

/** Column `column`, or field `key` of the struct in it. */
export interface FieldAccess {
  readonly column: number;
  readonly key?: string;
}

export type FieldMap = Partial<Record<EventField, FieldAccess>>;

/** Where each part is in rows with these columns; a part the rows lack is absent. */
export function resolveFields(columns: readonly string[]): FieldMap {
  const byName = new Map<string, number>();
  columns.forEach((name, index) => {
    const key = normalizeColumn(name);
    if (!byName.has(key)) byName.set(key, index);
  });
  const identity = byName.get('useridentity');
  const fields: FieldMap = {};
  for (const [field, spec] of Object.entries(SPECS) as [EventField, FieldSpec][]) {
    const column = spec.columns.map((name) => byName.get(normalizeColumn(name))).find((at) => at !== undefined);
    if (column !== undefined) fields[field] = { column };
    else if (spec.identityField !== undefined && identity !== undefined) fields[field] = { column: identity, key: spec.identityField };
  }
  return fields;
}

/** The raw value of a part of the row (undefined when absent). */
export function readField(row: readonly ResultValue[], access: FieldAccess | undefined): ResultValue | undefined {
  if (access === undefined) return undefined;
  const value = row[access.column];
  if (access.key === undefined) return value;
  // Whatever a struct of a result holds is itself a result value.
  return structField(value, access.key) as ResultValue | undefined;
}

/** The part as text: strings as they are, numbers and booleans printed; empty and null are undefined. */
export function readText(row: readonly ResultValue[], access: FieldAccess | undefined): string | undefined {
  const value = readField(row, access);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Epoch milliseconds of an ISO-8601 time (a number is taken as epoch ms), NaN when there is none. */
export function parseEventTime(value: ResultValue | undefined): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string' || value === '') return NaN;
  const fast = parseUtcTime(value);
  return fast === fast ? fast : Date.parse(value);
}

const digit = (text: string, at: number): number => text.charCodeAt(at) - 48;
const two = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1);

/**
 * CloudTrail's own shape, `2025-03-05T14:05:30Z` (also with milliseconds, with a space,
 * or without the Z as DuckDB prints a UTC timestamp), read with arithmetic: several times
 * faster than Date.parse, which counts when 100,000 rows arrive. NaN for anything else
 * (offsets, other shapes), which Date.parse then reads.
 */
export function parseUtcTime(text: string): number {
  const length = text.length;
  if (length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
    return NaN;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32) return NaN; // 'T' or ' '
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  let ms = 0;
  let at = 19;
  if (at < length && text.charCodeAt(at) === 46) {
    // Fractional seconds: milliseconds kept, finer digits dropped.
    let scale = 100;
    for (at += 1; at < length; at += 1) {
      const d = digit(text, at);
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  if (at < length && !(at === length - 1 && text.charCodeAt(at) === 90)) return NaN; // only a final 'Z'
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) return NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
