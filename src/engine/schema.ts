// The `cloudtrail_logs` table: the columns and types of the CloudTrail table that the
// Athena user guide documents ("Create a table for CloudTrail logs in Athena using manual
// partitioning"), so that one SQL text runs locally and on Athena. Names keep CloudTrail's
// own camelCase (DuckDB, like Athena, matches identifiers case-insensitively); Athena's
// STRING is VARCHAR, its JSON-text columns are JSON (a VARCHAR that holds JSON text).
//
// The schema is a small tree rather than a type string so that the loader can also check a
// record against it and say which field of which record does not fit.

export type FieldType =
  | { readonly kind: 'varchar' }
  | { readonly kind: 'json' }
  | { readonly kind: 'map' }
  | { readonly kind: 'struct'; readonly fields: Readonly<Record<string, FieldType>> }
  | { readonly kind: 'list'; readonly item: FieldType };

const V: FieldType = { kind: 'varchar' };
const JSON_TEXT: FieldType = { kind: 'json' };
const struct = (fields: Record<string, FieldType>): FieldType => ({ kind: 'struct', fields });

const USER_IDENTITY = struct({
  type: V,
  principalId: V,
  arn: V,
  accountId: V,
  invokedBy: V,
  accessKeyId: V,
  userName: V,
  onBehalfOf: struct({ userId: V, identityStoreArn: V }),
  sessionContext: struct({
    attributes: struct({ mfaAuthenticated: V, creationDate: V }),
    sessionIssuer: struct({ type: V, principalId: V, arn: V, accountId: V, userName: V }),
    ec2RoleDelivery: V,
    webIdFederationData: struct({ federatedProvider: V, attributes: { kind: 'map' } }),
  }),
});

/** The record type, its fields in the Athena DDL's order. */
export const CLOUDTRAIL_RECORD = struct({
  eventVersion: V,
  userIdentity: USER_IDENTITY,
  eventTime: V,
  eventSource: V,
  eventName: V,
  awsRegion: V,
  sourceIPAddress: V,
  userAgent: V,
  errorCode: V,
  errorMessage: V,
  requestParameters: JSON_TEXT,
  responseElements: JSON_TEXT,
  additionalEventData: JSON_TEXT,
  requestID: V,
  eventID: V,
  resources: { kind: 'list', item: struct({ ARN: V, accountId: V, type: V }) },
  eventType: V,
  apiVersion: V,
  readOnly: V,
  recipientAccountId: V,
  serviceEventDetails: JSON_TEXT,
  sharedEventID: V,
  vpcEndpointId: V,
  vpcEndpointAccountId: V,
  eventCategory: V,
  addendum: struct({ reason: V, updatedFields: V, originalRequestID: V, originalEventID: V }),
  sessionCredentialFromConsole: V,
  edgeDeviceDetails: JSON_TEXT,
  tlsDetails: struct({ tlsVersion: V, cipherSuite: V, clientProvidedHostHeader: V }),
}) as Extract<FieldType, { kind: 'struct' }>;

export const COLUMN_NAMES: readonly string[] = Object.keys(CLOUDTRAIL_RECORD.fields);

/** The type of column `name`, one of COLUMN_NAMES (so another name is a bug in the caller). */
export function columnType(name: string): FieldType {
  const type = Object.hasOwn(CLOUDTRAIL_RECORD.fields, name) ? CLOUDTRAIL_RECORD.fields[name] : undefined;
  if (type === undefined) throw new Error(`cloudtrail_logs has no column "${name}"; its columns are ${COLUMN_NAMES.join(', ')}`);
  return type;
}

export function duckdbType(type: FieldType): string {
  switch (type.kind) {
    case 'varchar':
      return 'VARCHAR';
    case 'json':
      return 'JSON';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'list':
      return `${duckdbType(type.item)}[]`;
    case 'struct':
      return `STRUCT(${Object.entries(type.fields)
        .map(([name, field]) => `"${name}" ${duckdbType(field)}`)
        .join(', ')})`;
  }
}

/** One CloudTrail record as a DuckDB STRUCT type. */
export const RECORD_TYPE = duckdbType(CLOUDTRAIL_RECORD);

/** `"eventVersion" VARCHAR, "userIdentity" STRUCT(…), …` for CREATE TABLE. */
export const COLUMN_DEFINITIONS = COLUMN_NAMES.map((name) => `"${name}" ${duckdbType(columnType(name))}`).join(', ');

/** `"eventVersion", "userIdentity", …` for SELECT lists. */
export const COLUMN_LIST = COLUMN_NAMES.map((name) => `"${name}"`).join(', ');

/**
 * Why a parsed JSON record cannot be stored in the table, or undefined if it can. JSON
 * text columns and VARCHAR take any value (objects become their JSON text, as in Athena);
 * structs, lists and maps need the matching JSON shape.
 */
export function recordMismatch(value: unknown, type: FieldType = CLOUDTRAIL_RECORD, path = ''): string | undefined {
  if (value === null || value === undefined) return undefined;
  const shape = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  switch (type.kind) {
    case 'varchar':
    case 'json':
      return undefined;
    case 'map':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : `${path} is ${shape}, expected an object`;
    case 'list': {
      if (!Array.isArray(value)) return `${path} is ${shape}, expected a list`;
      for (let i = 0; i < value.length; i += 1) {
        const problem = recordMismatch(value[i], type.item, `${path}[${i + 1}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return path === '' ? `the record is ${shape}, expected an object` : `${path} is ${shape}, expected an object`;
      }
      for (const [name, field] of Object.entries(type.fields)) {
        const problem = recordMismatch((value as Record<string, unknown>)[name], field, path ? `${path}.${name}` : name);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

type JsonStructure = string | JsonStructure[] | { [name: string]: JsonStructure };

/** The type as DuckDB's json_transform describes structures. */
export function jsonStructure(type: FieldType): JsonStructure {
  switch (type.kind) {
    case 'struct':
      return Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, jsonStructure(field)]));
    case 'list':
      return [jsonStructure(type.item)];
    default:
      return duckdbType(type);
  }
}
