// The `cloudtrail_logs` columns in Trino's type names, derived from the engine's schema
// (src/engine/schema.ts) so there is one definition: Athena's DDL for CloudTrail gives
// STRING → varchar, STRUCT → row, ARRAY<STRUCT> → array(row), map<string,string> → map,
// and its JSON-text columns (requestParameters, …) are plain strings → varchar.
// Trino (like Athena and Glue) lower-cases every column and field name.
import { COLUMN_NAMES, columnType, type FieldType } from '../../engine/schema';
import { sqlIdentifier } from '../../engine/sqlText';

export function trinoType(type: FieldType): string {
  switch (type.kind) {
    case 'varchar':
    case 'json':
      return 'varchar';
    case 'map':
      return 'map(varchar, varchar)';
    case 'list':
      return `array(${trinoType(type.item)})`;
    case 'struct':
      return `row(${Object.entries(type.fields)
        .map(([name, field]) => `${sqlIdentifier(name.toLowerCase())} ${trinoType(field)}`)
        .join(', ')})`;
  }
}

/** `"eventversion" varchar, "useridentity" row(…), …`: the column list of a CREATE TABLE. */
export const TRINO_COLUMN_DEFINITIONS: string = COLUMN_NAMES.map(
  (name) => `${sqlIdentifier(name.toLowerCase())} ${trinoType(columnType(name))}`,
).join(',\n  ');

/** The table's columns as a SELECT list, in the DDL's order (partition columns left out). */
export const TRINO_COLUMN_LIST: string = COLUMN_NAMES.map((name) => sqlIdentifier(name.toLowerCase())).join(', ');
