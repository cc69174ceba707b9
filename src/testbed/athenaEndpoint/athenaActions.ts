// Athena's actions, request to response, in AWS JSON 1.1 (`X-Amz-Target: AmazonAthena.<Action>`).
// Parameters are checked as Athena checks them, with its messages; the shapes returned are
// the fields the AWS SDK reads (timestamps as epoch seconds, as JSON 1.1 sends them).
import { randomUUID } from 'node:crypto';
import { AwsError } from '../cloudtrailEndpoint/awsError';
import { NextTokens } from '../cloudtrailEndpoint/nextToken';
import { QuerySyntaxError, invalidRequest } from './athenaErrors';
import type { AthenaBackend } from './backend';
import { columnPrecision, columnTypeName } from './athenaType';
import type { QueryExecution, QueryExecutions } from './queryExecutions';
import { ATHENA_CATALOG } from './servedTable';
import { checkBackticks, hasHeaderRow, MAX_QUERY_BYTES, statementType } from './statementText';
import { checkDdlStatement, isCatalogStatement, type TableCatalog } from './tableCatalog';

export interface WorkGroup {
  readonly name: string;
  /** Where results would go; a query without ResultConfiguration.OutputLocation needs one. */
  readonly outputLocation?: string;
}

export const DEFAULT_WORK_GROUPS: readonly WorkGroup[] = [{ name: 'primary', outputLocation: 's3://trailbook-local-athena-results/' }];

export interface ActionContext {
  readonly backend: AthenaBackend;
  readonly queries: QueryExecutions;
  readonly workGroups: readonly WorkGroup[];
  /** The tables queries may name, and what GetTableMetadata says of them (DDL adds to it). */
  readonly catalog: TableCatalog;
  readonly tokens: NextTokens;
}

type Json = Record<string, unknown>;

const MAX_PAGE = 1000;

function text(body: Json, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required)
      throw invalidRequest(
        `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${name} must be a string`);
  return value;
}

function object(body: Json, name: string): Json {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new AwsError('SerializationException', `${name} must be an object`);
  return value as Json;
}

function workGroupNamed(context: ActionContext, name: string): WorkGroup {
  const found = context.workGroups.find((w) => w.name === name);
  if (!found) throw invalidRequest(`WorkGroup ${name} is not found.`);
  return found;
}

async function startQueryExecution(context: ActionContext, body: Json): Promise<Json> {
  const sql = text(body, 'QueryString', true)!;
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes < 1 || bytes > MAX_QUERY_BYTES) {
    throw invalidRequest(
      `1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length ${bytes < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_QUERY_BYTES}`} (it is ${bytes} bytes)`,
    );
  }
  const token = text(body, 'ClientRequestToken') ?? randomUUID();
  if (token.length < 32 || token.length > 128) {
    throw invalidRequest(
      `1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 128 (it has ${token.length} characters)`,
    );
  }
  const contextIn = object(body, 'QueryExecutionContext');
  const catalog = (text(contextIn, 'Catalog') ?? ATHENA_CATALOG).toLowerCase();
  const database = (text(contextIn, 'Database') ?? 'default').toLowerCase();
  if (catalog !== ATHENA_CATALOG)
    throw invalidRequest(`Catalog ${catalog} is not found: this endpoint serves the catalog ${ATHENA_CATALOG}`);
  const workGroup = workGroupNamed(context, text(body, 'WorkGroup') ?? 'primary');
  const outputLocation = text(object(body, 'ResultConfiguration'), 'OutputLocation') ?? workGroup.outputLocation;
  if (!outputLocation) {
    throw invalidRequest(
      'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
    );
  }
  const query = { sql, catalog, database, tables: context.catalog.list() };
  try {
    if (isCatalogStatement(sql)) {
      checkDdlStatement(sql);
    } else {
      checkBackticks(sql);
      await context.backend.checkSyntax(query);
    }
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw invalidRequest(error.message, 'MALFORMED_QUERY');
    throw error;
  }
  const id = context.queries.start({ query, workGroup: workGroup.name, outputLocation, clientRequestToken: token });
  return { QueryExecutionId: id };
}

const epochSeconds = (date: Date): number => date.getTime() / 1000;

function queryExecutionShape(execution: QueryExecution, state: string): Json {
  const { request, outcome } = execution;
  const final = state !== 'QUEUED' && state !== 'RUNNING';
  const now = execution.completed && final ? execution.completed : new Date();
  const elapsed = now.getTime() - execution.submitted.getTime();
  const status: Json = { State: state, SubmissionDateTime: epochSeconds(execution.submitted) };
  if (final && execution.completed) status.CompletionDateTime = epochSeconds(execution.completed);
  if (state === 'FAILED' && outcome.state === 'FAILED') {
    status.StateChangeReason = outcome.failure.reason;
    status.AthenaError = {
      ErrorCategory: outcome.failure.category,
      ErrorType: outcome.failure.errorType,
      Retryable: false,
      ErrorMessage: outcome.failure.reason,
    };
  }
  if (state === 'CANCELLED') status.StateChangeReason = 'Query cancelled by user';
  const type = statementType(request.query.sql);
  return {
    QueryExecutionId: execution.id,
    Query: request.query.sql,
    StatementType: type,
    ResultConfiguration: { OutputLocation: `${request.outputLocation.replace(/\/?$/, '/')}${execution.id}.csv` },
    QueryExecutionContext: { Database: request.query.database, Catalog: request.query.catalog },
    Status: status,
    Statistics: {
      EngineExecutionTimeInMillis: state === 'QUEUED' ? 0 : elapsed,
      DataScannedInBytes: state === 'SUCCEEDED' && outcome.state === 'SUCCEEDED' ? outcome.result.scannedBytes : 0,
      TotalExecutionTimeInMillis: elapsed,
      QueryQueueTimeInMillis: 0,
      ServiceProcessingTimeInMillis: 0,
    },
    WorkGroup: request.workGroup,
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
  };
}

function getQueryExecution(context: ActionContext, body: Json): Json {
  const id = text(body, 'QueryExecutionId', true)!;
  const state = context.queries.poll(id);
  return { QueryExecution: queryExecutionShape(context.queries.get(id), state) };
}

function getQueryResults(context: ActionContext, body: Json): Json {
  const id = text(body, 'QueryExecutionId', true)!;
  const execution = context.queries.get(id);
  const max = body.MaxResults === undefined ? MAX_PAGE : Number(body.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
    throw invalidRequest(
      `1 validation error detected: Value '${String(body.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_PAGE}`}`,
    );
  }
  const { outcome } = execution;
  if (outcome.state === 'RUNNING') throw invalidRequest(`Query has not yet finished. Current state: ${execution.reported ?? 'QUEUED'}`);
  if (outcome.state !== 'SUCCEEDED') throw invalidRequest(`Query did not finish successfully. Final query state: ${outcome.state}`);
  const token = text(body, 'NextToken');
  const offset = token === undefined ? 0 : context.tokens.offsetOf(id, token);
  if (offset === undefined)
    throw invalidRequest('The NextToken is not valid for this query: pass the NextToken of the previous page of the same QueryExecutionId');
  const { columns, rows } = outcome.result;
  const header = hasHeaderRow(execution.request.query.sql) ? 1 : 0;
  const total = header + rows.length;
  const end = Math.min(total, offset + max);
  const page: Json[] = [];
  for (let i = offset; i < end; i += 1) {
    const values = header === 1 && i === 0 ? columns.map((c) => c.name) : rows[i - header]!;
    page.push({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
  }
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: page,
      ResultSetMetadata: {
        ColumnInfo: columns.map((c) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: c.name,
          Label: c.name,
          Type: columnTypeName(c.type),
          Precision: columnPrecision(c.type),
          Scale: c.type.kind === 'scalar' ? (c.type.scale ?? 0) : 0,
          Nullable: 'UNKNOWN',
          CaseSensitive: c.type.kind === 'scalar' && (c.type.name === 'varchar' || c.type.name === 'json'),
        })),
      },
    },
    ...(end < total ? { NextToken: context.tokens.issue(id, end) } : {}),
  };
}

function stopQueryExecution(context: ActionContext, body: Json): Json {
  context.queries.stop(text(body, 'QueryExecutionId', true)!);
  return {};
}

function getWorkGroup(context: ActionContext, body: Json): Json {
  const group = workGroupNamed(context, text(body, 'WorkGroup', true)!);
  return {
    WorkGroup: {
      Name: group.name,
      State: 'ENABLED',
      Configuration: {
        ...(group.outputLocation ? { ResultConfiguration: { OutputLocation: group.outputLocation } } : {}),
        EnforceWorkGroupConfiguration: false,
        PublishCloudWatchMetricsEnabled: false,
        RequesterPaysEnabled: false,
        EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      },
      Description: 'the local Athena endpoint of trailbook serve-athena',
    },
  };
}

async function getTableMetadata(context: ActionContext, body: Json): Promise<Json> {
  const catalog = (text(body, 'CatalogName', true) ?? '').toLowerCase();
  const database = (text(body, 'DatabaseName', true) ?? '').toLowerCase();
  const name = (text(body, 'TableName', true) ?? '').toLowerCase();
  const metadata = await context.catalog.metadata(catalog, database, name);
  if (!metadata) throw new AwsError('MetadataException', `Table ${catalog}.${database}.${name} not found.`);
  return { TableMetadata: metadata };
}

export const ACTIONS = [
  'StartQueryExecution',
  'GetQueryExecution',
  'GetQueryResults',
  'StopQueryExecution',
  'GetWorkGroup',
  'GetTableMetadata',
] as const;
export type AthenaAction = (typeof ACTIONS)[number];

export async function athenaAction(context: ActionContext, action: AthenaAction, body: Json): Promise<Json> {
  switch (action) {
    case 'StartQueryExecution':
      return startQueryExecution(context, body);
    case 'GetQueryExecution':
      return getQueryExecution(context, body);
    case 'GetQueryResults':
      return getQueryResults(context, body);
    case 'StopQueryExecution':
      return stopQueryExecution(context, body);
    case 'GetWorkGroup':
      return getWorkGroup(context, body);
    case 'GetTableMetadata':
      return getTableMetadata(context, body);
  }
}
