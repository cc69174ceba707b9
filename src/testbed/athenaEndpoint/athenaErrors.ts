// Athena's two ways of saying no. A request it will not take (bad parameters, a syntax
// error, too long, too many queries) is an HTTP 400 error of the call itself, with Athena's
// own AthenaErrorCode beside the message. A query it took and could not finish ends FAILED,
// with a StateChangeReason (`TABLE_NOT_FOUND: line 1:15: …`, Trino's error name and
// position) and an AthenaError read by GetQueryExecution.
import { AwsError, type AwsErrorCode } from '../cloudtrailEndpoint/awsError';

export class AthenaRequestError extends AwsError {
  constructor(
    code: Extract<AwsErrorCode, 'InvalidRequestException' | 'TooManyRequestsException'>,
    message: string,
    /** Athena's finer code: MALFORMED_QUERY, INVALID_INPUT, CONCURRENT_QUERY_LIMIT_EXCEEDED, … */
    readonly athenaErrorCode: string,
  ) {
    super(code, message);
  }

  override body(): string {
    const reason = this.code === 'TooManyRequestsException' ? { Reason: this.athenaErrorCode } : { AthenaErrorCode: this.athenaErrorCode };
    return JSON.stringify({ __type: this.code, Message: this.message, ...reason });
  }
}

export const invalidRequest = (message: string, athenaErrorCode = 'INVALID_INPUT'): AthenaRequestError =>
  new AthenaRequestError('InvalidRequestException', message, athenaErrorCode);

/** ErrorCategory: 1 system, 2 user, 3 other (Athena's error catalogue). */
export type ErrorCategory = 1 | 2 | 3;

/** Why a query ended FAILED: Trino's error name and message, as Athena passes them on. */
export class QueryFailure extends Error {
  constructor(
    /** Trino's error name: SYNTAX_ERROR, TABLE_NOT_FOUND, COLUMN_NOT_FOUND, GENERIC_INTERNAL_ERROR, … */
    readonly errorName: string,
    /** The message, starting with `line N:M: ` where the engine gave a position. */
    message: string,
    readonly category: ErrorCategory = 2,
    /** ErrorType from Athena's catalogue: 1000 user error, 100 internal service error. */
    readonly errorType: number = category === 2 ? 1000 : 100,
  ) {
    super(message);
  }

  get reason(): string {
    return `${this.errorName}: ${this.message}`;
  }
}

/** Text is refused at StartQueryExecution, as Athena refuses what Trino's parser cannot read. */
export class QuerySyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`line ${line}:${column}: ${detail}`);
  }
}

/** 1-based line and column of a character offset, as Trino counts them. */
export function lineAndColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1) ?? '').length + 1 };
}
