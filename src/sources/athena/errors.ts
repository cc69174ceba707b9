// What Athena, Glue and S3 say when something fails, turned into what to do about it: the
// permission to grant, the runbook line a syntax error is on, the setting to change. A
// server's text may echo what it was sent, so every message built here is redacted by the
// source (AwsSession.redact) before anyone sees it.
import type { ErrorKind, KindedError } from '../../engine/errorKind';
import { CLOUDTRAIL_RECORD, type FieldType } from '../../engine/schema';

/** Every column and struct field name of the CloudTrail table, lower-case. */
const SCHEMA_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  const visit = (type: FieldType): void => {
    if (type.kind === 'struct')
      for (const [name, field] of Object.entries(type.fields)) {
        names.add(name.toLowerCase());
        visit(field);
      }
    if (type.kind === 'list') visit(type.item);
  };
  visit(CLOUDTRAIL_RECORD);
  return names;
})();

export class AthenaSourceError extends Error implements KindedError {
  constructor(
    message: string,
    readonly errorKind?: ErrorKind,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A query that failed in Athena (FAILED), with what Athena said. */
export class AthenaQueryFailed extends AthenaSourceError {
  constructor(
    message: string,
    readonly queryExecutionId: string,
  ) {
    super(message);
  }
}

/** The steps that call AWS, each with the permission it needs. */
export type AthenaStep =
  'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution' | 'GetTableMetadata' | 'ListObjectsV2';

const PERMISSION: Record<AthenaStep, string> = {
  StartQueryExecution: 'athena:StartQueryExecution on the workgroup',
  GetQueryExecution: 'athena:GetQueryExecution on the workgroup',
  GetQueryResults: 'athena:GetQueryResults on the workgroup (and s3:GetObject on its output location)',
  StopQueryExecution: 'athena:StopQueryExecution on the workgroup',
  GetTableMetadata: 'athena:GetTableMetadata on the data catalog and glue:GetTable on the table',
  ListObjectsV2: 's3:ListBucket on the log bucket (the cost bound lists the day folders)',
};

interface AwsError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** `line 3:8: mismatched input …` → `{ line: 3, column: 8 }` (Trino's position, in the SQL as run). */
export function trinoPosition(message: string): { line: number; column: number } | undefined {
  const m = /\bline (\d+):(\d+)\b/i.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/**
 * The message with the position as the runner reads it (`LINE n:`, mapped by
 * src/app/runbookRunner.ts sqlErrorLine to the runbook line: the window's subquery is
 * written on one line, so the SQL as run has the runbook's lines).
 */
export function withLine(message: string): string {
  const at = trinoPosition(message);
  return at ? `${message}\nLINE ${at.line}:` : message;
}

/** The permission a denial names (`not authorized to perform: glue:GetTable`), else the step's. */
export function missingPermission(message: string, step: AthenaStep): string {
  const named = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
  if (named) return named;
  if (/writing (?:query )?output|output location|ResultConfiguration/i.test(message))
    return "s3:PutObject (and s3:GetBucketLocation) on the workgroup's output location";
  if (/Permission denied on S3 path|s3:\/\//i.test(message) && /denied/i.test(message))
    return 's3:GetObject and s3:ListBucket on the log bucket';
  return PERMISSION[step];
}

const isDenied = (e: AwsError): boolean =>
  /AccessDenied|Forbidden|UnauthorizedOperation|NotAuthorized/i.test(e.name ?? '') ||
  e.$metadata?.httpStatusCode === 403 ||
  /not authorized to perform|access denied/i.test(e.message ?? '');

export interface ExplainContext {
  readonly step: AthenaStep;
  /** `workgroup primary, table default.cloudtrail_logs`, for the messages. */
  readonly where: string;
  /** How the face names the setting that chooses the table (`--athena-table`, `trailbook.athena.table`). */
  readonly tableSetting: string;
  readonly workgroupSetting: string;
}

/** An SDK error of one step as a message a person can act on. */
export function explainAthenaError(error: unknown, context: ExplainContext): string {
  const e = (error ?? {}) as AwsError;
  const said = (e.message ?? String(error)).trim();
  const name = e.name ?? 'Error';
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || name === 'SlowDown') {
    return `Athena is throttling ${context.step} (${name}) and still was after retries with backoff: too many queries run at once in this account and region; wait, run fewer cells at a time, or raise the workgroup's quota (${said})`;
  }
  if (isDenied(e)) {
    return `Athena ${context.step} was denied (${context.where}): grant ${missingPermission(said, context.step)} to the identity used (${said})`;
  }
  if (/EntityNotFound|MetadataException/.test(name) || /not found|does not exist/i.test(said)) {
    if (context.step === 'GetTableMetadata')
      return `the table is not in the catalog (${context.where}): create it with \`trailbook athena ddl --bucket s3://…\`, or set ${context.tableSetting} to the table that holds the trail (${said})`;
  }
  if (name === 'InvalidRequestException') {
    if (/WorkGroup .* (is not found|does not exist)|workgroup/i.test(said) && /not found|does not exist|disabled/i.test(said)) {
      return `Athena has no usable workgroup as set (${context.where}): set ${context.workgroupSetting} to an enabled workgroup (${said})`;
    }
    if (/output location|OutputLocation/i.test(said)) {
      return `the workgroup has no query result location and none is set: set the output location to an s3:// folder you can write (${said})`;
    }
    return withLine(`Athena refused the query (InvalidRequestException): ${said}`);
  }
  if (e.$metadata?.httpStatusCode === undefined && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket|network/i.test(said)) {
    return `cannot reach Athena for ${context.step}: ${said}; check the region and the endpoint setting`;
  }
  return withLine(`Athena ${context.step} failed (${name}): ${said}`);
}

/** A FAILED query's reason and AthenaError as one message, with the fix when one is known. */
export function explainFailedQuery(
  reason: string | undefined,
  athenaError: { ErrorCategory?: number | undefined; ErrorType?: number | undefined; ErrorMessage?: string | undefined } | undefined,
  queryExecutionId: string,
  context: Omit<ExplainContext, 'step'>,
): string {
  const text = (athenaError?.ErrorMessage ?? reason ?? 'no reason given').trim();
  const category =
    athenaError?.ErrorCategory === 1
      ? 'system'
      : athenaError?.ErrorCategory === 2
        ? 'user'
        : athenaError?.ErrorCategory === 3
          ? 'other'
          : undefined;
  const kind = category ? ` (${category} error${athenaError?.ErrorType !== undefined ? ` ${athenaError.ErrorType}` : ''})` : '';
  const id = ` (query ${queryExecutionId})`;
  if (/TABLE_NOT_FOUND|Table .* does not exist|SCHEMA_NOT_FOUND|Schema .* does not exist|Database .* not found/i.test(text)) {
    return withLine(
      `Athena cannot find the table${kind}: ${text}${id}. Create it with \`trailbook athena ddl --bucket s3://…\`, or set ${context.tableSetting}`,
    );
  }
  const column = /COLUMN_NOT_FOUND|cannot be resolved|Column .* not found/i.test(text)
    ? /(?:column|Column) '?"?([A-Za-z_][\w]*)"?'? (?:not found|cannot be resolved)/.exec(text)?.[1]
    : undefined;
  if (column !== undefined && SCHEMA_NAMES.has(column.toLowerCase())) {
    return withLine(
      `Athena failed${kind}: ${text}${id}. ${column} is a column of Athena's CloudTrail table that this table lacks: it has another schema; recreate it with \`trailbook athena ddl\``,
    );
  }
  if (/not authorized|Access ?Denied|Permission denied|Insufficient permissions/i.test(text)) {
    return `Athena was denied access${kind}: grant ${missingPermission(text, 'StartQueryExecution')}: ${text}${id}`;
  }
  return withLine(`Athena failed${kind}: ${text}${id}`);
}
