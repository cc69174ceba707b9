// What a pivot pivots on in a result row: which columns hold the principal, the access key,
// the IP, the time or the resource, under the names queries give them (`userIdentity.arn AS
// actor`, `... AS newKey`). The host builds the pivot's cell from it (src/runbook/pivot.ts)
// and the results view enables a pivot's button from it, so the two can never disagree about
// what a row offers: a button that is enabled always gives a cell. No DOM, no node.
import { parseTimestamp } from './timestamp';

/** The next questions one click asks about a selected event. */
export const PIVOT_KINDS = ['principal', 'accessKey', 'sourceIp', 'around', 'resource'] as const;
export type PivotKind = (typeof PIVOT_KINDS)[number];

/** A result row by column name, as the view holds it and as the `pivot` message carries it. */
export type PivotRow = Readonly<Record<string, unknown>>;

export interface PivotColumns {
  /** Column names that hold the value, best first, compared normalised (see normalizeColumn). */
  readonly columns: readonly string[];
  /** A field of the `userIdentity` struct that holds it, read after the columns. */
  readonly identityField?: string;
}

export const PIVOT_COLUMNS: Readonly<Record<PivotKind, PivotColumns>> = {
  principal: { columns: ['arn', 'actor', 'principal', 'principalArn', 'userArn', 'actorArn', 'userIdentityArn'], identityField: 'arn' },
  // Not `key`: that is as often an S3 object key (requestParameters.key) as an access key.
  accessKey: { columns: ['accessKeyId', 'userIdentityAccessKeyId', 'accessKey', 'keyId', 'newKey'], identityField: 'accessKeyId' },
  sourceIp: { columns: ['sourceIPAddress', 'sourceIp', 'ip', 'ipAddress', 'sourceAddress', 'clientIp'] },
  around: { columns: ['eventTime', 'time', 'timestamp', 'eventTimestamp'] },
  resource: { columns: ['resources', 'resourceArn', 'resource'] },
};

/** A column name without case or separators: `userIdentity.arn`, `user_identity_arn` and `USERIDENTITYARN` are one. */
export const normalizeColumn = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A struct's field without regard to case (DuckDB may answer `ARN`); a struct given as JSON text is read too. */
export function structField(value: unknown, key: string): unknown {
  let object = value;
  // Some backends hand a struct over as its JSON text.
  if (typeof object === 'string' && object.startsWith('{')) {
    try {
      object = JSON.parse(object);
    } catch {
      return undefined;
    }
  }
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  const record = object as Record<string, unknown>;
  if (Object.hasOwn(record, key)) return record[key];
  const lower = key.toLowerCase();
  for (const name of Object.keys(record)) if (name.toLowerCase() === lower) return record[name];
  return undefined;
}

/** Resource ARNs of a `resources` value: structs with an arn, ARNs, or their JSON text. */
export function resourceArns(value: unknown): string[] {
  let list = value;
  if (typeof list === 'string' && list.trimStart().startsWith('[')) {
    try {
      list = JSON.parse(list);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return isText(list) && list.startsWith('arn:') ? [list] : [];
  return list.map((item) => (isText(item) ? item : structField(item, 'arn'))).filter(isText);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The row's values of these columns, in the order of `names`, each name matched normalised. */
function columnValues(row: PivotRow, names: readonly string[]): unknown[] {
  const byName = new Map<string, unknown>();
  for (const [name, value] of Object.entries(row)) {
    const key = normalizeColumn(name);
    if (!byName.has(key)) byName.set(key, value);
  }
  return names
    .map(normalizeColumn)
    .filter((name) => byName.has(name))
    .map((name) => byName.get(name));
}

/**
 * Every value in the row the pivot could use, best first (a column named for it, then the
 * `userIdentity` field), without duplicates. Empty when the row has none.
 */
export function pivotValues(row: PivotRow, kind: PivotKind): string[] {
  const spec = PIVOT_COLUMNS[kind];
  const found: unknown[] = [];
  if (kind === 'resource') {
    for (const value of columnValues(row, spec.columns)) found.push(...resourceArns(value));
  } else {
    found.push(...columnValues(row, spec.columns));
    if (spec.identityField !== undefined)
      for (const identity of columnValues(row, ['userIdentity'])) found.push(structField(identity, spec.identityField));
  }
  // A time may come as a Date from a caller other than the view (whose rows are JSON).
  const texts = found
    .map((value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value))
    .filter(isText);
  return [...new Set(texts)];
}

/** The value a pivot uses when none is chosen, or undefined when the row cannot give the pivot. */
export function pivotValue(row: PivotRow, kind: PivotKind): string | undefined {
  const value = pivotValues(row, kind)[0];
  // The host centres `around` on this time and refuses one without a zone: offer no such pivot.
  if (kind === 'around' && value !== undefined && parseTimestamp(value) === undefined) return undefined;
  return value;
}

/** The pivots this row can give (for a context menu or buttons: offer only these). */
export function availablePivots(row: PivotRow): PivotKind[] {
  return PIVOT_KINDS.filter((kind) => pivotValue(row, kind) !== undefined);
}
