// A result column's type as Athena reports it in ColumnInfo: Trino's type names (varchar,
// bigint, row, array, …), read from whichever engine ran the query. Trino sends a
// typeSignature with each column; DuckDB's types are translated to the Trino type the same
// SQL would have there, so a client reads one vocabulary from either backend.
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import type { TypeSignature } from '../../sources/trino/values';

export type AthenaType =
  | { readonly kind: 'scalar'; readonly name: string; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'array'; readonly element: AthenaType }
  | { readonly kind: 'map'; readonly key: AthenaType; readonly value: AthenaType }
  | {
      readonly kind: 'row';
      readonly fields: readonly {
        readonly name: string;
        readonly type: AthenaType;
        /** The key in the engine's value, when it differs. */ readonly source?: string;
      }[];
    };

const scalar = (name: string, precision?: number, scale?: number): AthenaType => ({
  kind: 'scalar',
  name,
  ...(precision !== undefined ? { precision } : {}),
  ...(scale !== undefined ? { scale } : {}),
});

export function fromDuckDBType(type: DuckDBType): AthenaType {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return scalar(type.alias === 'JSON' ? 'json' : 'varchar');
    case DuckDBTypeId.BOOLEAN:
      return scalar('boolean');
    case DuckDBTypeId.TINYINT:
      return scalar('tinyint');
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return scalar('smallint');
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return scalar('integer');
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return scalar('bigint');
    case DuckDBTypeId.FLOAT:
      return scalar('real');
    case DuckDBTypeId.DOUBLE:
      return scalar('double');
    case DuckDBTypeId.DECIMAL:
      return scalar('decimal', type.width, type.scale);
    case DuckDBTypeId.DATE:
      return scalar('date');
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return scalar('timestamp', 3);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return scalar('timestamp with time zone', 3);
    case DuckDBTypeId.BLOB:
      return scalar('varbinary');
    case DuckDBTypeId.UUID:
      return scalar('uuid');
    case DuckDBTypeId.LIST:
      return { kind: 'array', element: fromDuckDBType(type.valueType) };
    case DuckDBTypeId.ARRAY:
      return { kind: 'array', element: fromDuckDBType(type.valueType) };
    case DuckDBTypeId.MAP:
      return { kind: 'map', key: fromDuckDBType(type.keyType), value: fromDuckDBType(type.valueType) };
    case DuckDBTypeId.STRUCT:
      // Glue and Trino keep field names in lower case; the local schema spells them as CloudTrail does.
      return {
        kind: 'row',
        fields: type.entryNames.map((name, i) => ({ name: name.toLowerCase(), type: fromDuckDBType(type.entryTypes[i]!), source: name })),
      };
    case DuckDBTypeId.SQLNULL:
      // `SELECT NULL` is `unknown` on Trino.
      return scalar('unknown');
    default:
      return scalar('varchar');
  }
}

function longArgument(signature: TypeSignature, index: number): number | undefined {
  const argument = signature.arguments?.[index];
  return argument?.kind === 'LONG' ? argument.value : undefined;
}

export function fromTrinoSignature(signature: TypeSignature): AthenaType {
  const raw = signature.rawType.toLowerCase();
  const args = signature.arguments ?? [];
  const typeArg = (i: number): AthenaType => {
    const a = args[i];
    if (a?.kind === 'TYPE') return fromTrinoSignature(a.value);
    if (a?.kind === 'NAMED_TYPE') return fromTrinoSignature(a.value.typeSignature);
    return scalar('unknown');
  };
  switch (raw) {
    case 'array':
      return { kind: 'array', element: typeArg(0) };
    case 'map':
      return { kind: 'map', key: typeArg(0), value: typeArg(1) };
    case 'row':
      return {
        kind: 'row',
        fields: args.map((a, i) => ({
          name: a.kind === 'NAMED_TYPE' && a.value.fieldName?.name ? a.value.fieldName.name : `field${i}`,
          type: typeArg(i),
        })),
      };
    case 'decimal':
      return scalar('decimal', longArgument(signature, 0), longArgument(signature, 1));
    case 'timestamp':
    case 'timestamp with time zone':
      return scalar(raw, longArgument(signature, 0) ?? 3);
    default:
      return scalar(raw);
  }
}

/** What ColumnInfo.Type says: the base name only (`row`, `array`, `decimal`), as Athena does. */
export function columnTypeName(type: AthenaType): string {
  return type.kind === 'scalar' ? type.name : type.kind;
}

/** ColumnInfo's Precision: the widest value Athena reports for the type. */
export function columnPrecision(type: AthenaType): number {
  if (type.kind !== 'scalar') return 0;
  if (type.precision !== undefined) return type.precision;
  switch (type.name) {
    case 'varchar':
    case 'json':
      return 2147483647;
    case 'bigint':
      return 19;
    case 'integer':
      return 10;
    case 'smallint':
      return 5;
    case 'tinyint':
      return 3;
    case 'double':
      return 17;
    case 'real':
      return 24;
    default:
      return 0;
  }
}
