// Trino's client protocol sends each value as JSON shaped by its column type: a ROW as a
// JSON array in field order, a MAP as an object, a timestamp as text ("2024-01-02
// 03:04:05.123 UTC"), a decimal as text, varbinary as base64. Here they become the
// engine's CellValue in the same form the local engine gives (src/engine/query.ts
// toCellValue): rows as objects keyed by field name, instants as ISO-8601 in UTC, decimals
// as numbers, bytes as hex, so that the results view, the CLI and the conformance suite
// see one representation whichever engine ran.
import type { CellValue } from '../../engine/query';

/** The structured type the protocol sends beside each column (`typeSignature`). */
export interface TypeSignature {
  readonly rawType: string;
  readonly arguments?: readonly TypeArgument[];
}

export type TypeArgument =
  | { readonly kind: 'TYPE'; readonly value: TypeSignature }
  | {
      readonly kind: 'NAMED_TYPE';
      readonly value: { readonly fieldName?: { readonly name: string } | null; readonly typeSignature: TypeSignature };
    }
  | { readonly kind: 'LONG'; readonly value: number }
  | { readonly kind: 'VARIABLE'; readonly value: unknown };

function typeArguments(signature: TypeSignature): TypeSignature[] {
  return (signature.arguments ?? []).flatMap((a) =>
    a.kind === 'TYPE' ? [a.value] : a.kind === 'NAMED_TYPE' ? [a.value.typeSignature] : [],
  );
}

/** Field names of a row type; anonymous fields (`ROW(1, 2)`) are `_1`, `_2`, … */
function rowFieldNames(signature: TypeSignature): string[] {
  return (signature.arguments ?? []).map((a, i) =>
    a.kind === 'NAMED_TYPE' && a.value.fieldName?.name ? a.value.fieldName.name : `_${i + 1}`,
  );
}

// "2024-01-02 03:04:05.123456", optionally followed by " UTC", " +01:00" or " Europe/Paris".
const TIMESTAMP_TEXT = /^(-?\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?: (.+))?$/;

/** Milliseconds a named zone is ahead of UTC at the given instant (Intl knows the tz database). */
function zoneOffsetMs(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A Trino timestamp as the ISO-8601 instant the local engine prints (milliseconds, `Z`).
 * Zone-less timestamps are taken as UTC, as DuckDB's are; anything unreadable stays text.
 */
export function timestampToIso(text: string): string {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  let utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== 'UTC' && zone !== 'Z') {
    const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (offset) utc -= (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000;
    else {
      try {
        // Local wall time → instant: the offset at the instant, corrected once for a change of offset in between.
        const first = utc - zoneOffsetMs(zone, utc);
        utc = utc - zoneOffsetMs(zone, first);
      } catch {
        return text;
      }
    }
  }
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** One value of the given type as a CellValue. */
export function toCellValue(value: unknown, signature: TypeSignature): CellValue {
  if (value === null || value === undefined) return null;
  const raw = signature.rawType.toLowerCase();
  switch (raw) {
    case 'array': {
      const [item] = typeArguments(signature);
      return Array.isArray(value) && item ? value.map((v) => toCellValue(v, item)) : (value as CellValue);
    }
    case 'map': {
      const [, valueType] = typeArguments(signature);
      if (typeof value !== 'object' || Array.isArray(value) || !valueType) return value as CellValue;
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toCellValue(v, valueType)]));
    }
    case 'row': {
      if (!Array.isArray(value)) return value as CellValue;
      const names = rowFieldNames(signature);
      const types = typeArguments(signature);
      // A field whose type the signature does not give is passed on as the server wrote it.
      return Object.fromEntries(
        names.map((name, i) => {
          const type = types[i];
          return [name, type === undefined ? ((value[i] ?? null) as CellValue) : toCellValue(value[i], type)];
        }),
      );
    }
    case 'decimal':
      // DuckDB hands decimals to JavaScript as doubles; do the same so both engines print alike.
      return typeof value === 'string' ? Number(value) : (value as CellValue);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : (value as CellValue);
    case 'timestamp':
    case 'timestamp with time zone':
      return typeof value === 'string' ? timestampToIso(value) : (value as CellValue);
    case 'varbinary':
      return typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : (value as CellValue);
    case 'double':
    case 'real':
      // NaN and infinities arrive as strings; JSON has no other spelling for them.
      return typeof value === 'string' && /^(NaN|-?Infinity)$/.test(value) ? Number(value) : (value as CellValue);
    default:
      return value as CellValue;
  }
}
