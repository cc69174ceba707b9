// GetQueryResults gives every value as text; ColumnInfo.Type says what it was. Here each
// becomes the engine's CellValue in the form the local engine and the Trino source give
// (src/sources/trino/values.ts): numbers as numbers, instants as ISO-8601 in UTC, dates at
// midnight UTC, rows as objects with lower-case field names. ROW, ARRAY and MAP come as
// Trino's text (trinoText.ts), read with the CloudTrail table's schema when the column is
// one of its columns or struct fields by name.
import type { CellValue } from '../../engine/query';
import { CLOUDTRAIL_RECORD, type FieldType } from '../../engine/schema';
import { timestampToIso } from '../trino/values';
import { parseTrinoText } from './trinoText';

export interface AthenaColumn {
  readonly name: string;
  /** ColumnInfo.Type: `varchar`, `bigint`, `row`, `array`, `timestamp`, … */
  readonly type: string;
}

/**
 * Structured types of the schema by lower-case name: the table's columns first, then
 * struct fields where the name means one type only (`sessionissuer`, `attributes` is a
 * struct in one place and a map in another, so the first wins and a misfit is read untyped).
 */
const KNOWN_TYPES: ReadonlyMap<string, FieldType> = (() => {
  const known = new Map<string, FieldType>();
  const visit = (fields: Readonly<Record<string, FieldType>>): void => {
    for (const [name, type] of Object.entries(fields)) {
      if (type.kind === 'varchar' || type.kind === 'json') continue;
      if (!known.has(name.toLowerCase())) known.set(name.toLowerCase(), type);
    }
    for (const type of Object.values(fields)) {
      if (type.kind === 'struct') visit(type.fields);
      if (type.kind === 'list' && type.item.kind === 'struct') visit(type.item.fields);
    }
  };
  visit(CLOUDTRAIL_RECORD.fields);
  return known;
})();

/** The schema's type for a result column of this name, when the kinds agree. */
export function knownType(column: AthenaColumn): FieldType | undefined {
  const type = KNOWN_TYPES.get(column.name.toLowerCase());
  const base = column.type.toLowerCase().replace(/\(.*$/, '');
  if (!type) return undefined;
  if (base === 'row' && type.kind === 'struct') return type;
  if (base === 'array' && type.kind === 'list') return type;
  if (base === 'map' && type.kind === 'map') return type;
  return undefined;
}

const BASE_TYPES = new Map<string, string>();
/** `varchar(20)` → `varchar`, `row(a varchar)` → `row`: worked out once per type text, not once per cell. */
function baseType(type: string): string {
  let base = BASE_TYPES.get(type);
  if (base === undefined) {
    base = type.toLowerCase().replace(/\(.*$/, '').trim();
    if (BASE_TYPES.size < 1000) BASE_TYPES.set(type, base);
  }
  return base;
}

/** One result value (undefined: the Data entry had no VarCharValue, which is NULL). */
export function athenaCellValue(
  text: string | undefined,
  column: AthenaColumn,
  type: FieldType | undefined = knownType(column),
): CellValue {
  if (text === undefined) return null;
  const base = baseType(column.type);
  switch (base) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint': {
      // Past 2^53 a number would change; the local engine keeps such values as text too.
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'double':
    case 'float':
    case 'real':
    case 'decimal': {
      const n = Number(text);
      return Number.isNaN(n) && text !== 'NaN' ? text : n;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text;
    case 'timestamp':
    case 'timestamp with time zone':
      return timestampToIso(text);
    case 'row':
    case 'array':
    case 'map':
      return parseTrinoText(text, type);
    default:
      return text;
  }
}
