// Every value in GetQueryResults is a string, written as Athena writes it: Trino's text form
// of the value (what its CLI prints), not JSON. A ROW is `{name=value, …}`, an ARRAY
// `[a, b]`, a MAP `{key=value}`, a timestamp `2024-01-01 00:00:00.000`, a double as Java
// prints it (`1.0`, `1.0E7`). Nested nulls are `null`; a top-level null has no
// VarCharValue at all. Both backends give the engine's CellValue (src/engine/query.ts and
// src/sources/trino/values.ts agree on it) and the column's type, so one function renders
// both, and a client cannot tell which engine ran.
import type { CellValue } from '../../engine/query';
import type { AthenaType } from './athenaType';

/** Java's Double.toString, which Trino uses: a decimal point always, scientific outside [1e-3, 1e7). */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** `2024-01-02T03:04:05.678Z` → `2024-01-02 03:04:05.678`, the fraction to `precision` digits. */
function timestampText(iso: string, precision: number): string {
  const m = /^(\d{4,}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (!m) return iso;
  const fraction = (m[3] ?? '').padEnd(precision, '0').slice(0, precision);
  return `${m[1]} ${m[2]}${precision > 0 ? `.${fraction}` : ''}`;
}

/** A map's entries, whether the engine gave an object (Trino) or DuckDB's [{key, value}] list. */
function mapEntries(value: CellValue): [CellValue, CellValue][] {
  if (Array.isArray(value)) {
    return value.map((entry) => {
      const e = entry as { key?: CellValue; value?: CellValue };
      return [e.key ?? null, e.value ?? null];
    });
  }
  if (value !== null && typeof value === 'object') return Object.entries(value);
  return [];
}

function nested(value: CellValue, type: AthenaType): string {
  return value === null ? 'null' : render(value, type);
}

function render(value: CellValue, type: AthenaType): string {
  switch (type.kind) {
    case 'array':
      return Array.isArray(value) ? `[${value.map((v) => nested(v, type.element)).join(', ')}]` : String(value);
    case 'map':
      return `{${mapEntries(value)
        .map(([k, v]) => `${nested(k, type.key)}=${nested(v, type.value)}`)
        .join(', ')}}`;
    case 'row': {
      const record = (value ?? {}) as Record<string, CellValue>;
      return `{${type.fields.map((f) => `${f.name}=${nested(record[f.source ?? f.name] ?? null, f.type)}`).join(', ')}}`;
    }
    case 'scalar':
      return scalarText(value, type);
  }
}

function scalarText(value: CellValue, type: Extract<AthenaType, { kind: 'scalar' }>): string {
  switch (type.name) {
    case 'double':
    case 'real':
      return typeof value === 'number' ? javaDouble(value) : String(value);
    case 'decimal':
      return typeof value === 'number' && type.scale !== undefined ? value.toFixed(type.scale) : String(value);
    case 'timestamp':
      return typeof value === 'string' ? timestampText(value, type.precision ?? 3) : String(value);
    case 'timestamp with time zone':
      return typeof value === 'string' ? `${timestampText(value, type.precision ?? 3)} UTC` : String(value);
    case 'date':
      return typeof value === 'string' ? value.slice(0, 10) : String(value);
    default:
      if (typeof value === 'string') return value;
      // JSON values the engine kept as structures print as their JSON text.
      return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
}

/** One cell as GetQueryResults sends it: the text, or undefined for SQL NULL. */
export function athenaText(value: CellValue, type: AthenaType): string | undefined {
  return value === null ? undefined : render(value, type);
}
