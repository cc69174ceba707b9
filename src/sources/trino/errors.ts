// What Trino says when a query fails, kept whole: the error name is what a person searches
// for, the line and column point into the SQL as Trino ran it (after the window rewrite).

export interface TrinoErrorLocation {
  readonly line: number;
  readonly column: number;
}

/** The `error` object of a failed query's response. */
export interface TrinoErrorBody {
  readonly message?: string;
  readonly errorCode?: number;
  readonly errorName?: string;
  readonly errorType?: string;
  readonly errorLocation?: { readonly lineNumber: number; readonly columnNumber: number };
}

export class TrinoQueryError extends Error {
  readonly errorName: string;
  readonly errorType: string | undefined;
  readonly location: TrinoErrorLocation | undefined;
  readonly queryId: string | undefined;
  /** Trino's own message, as it sent it (`line 1:8: Column 'x' cannot be resolved`): what Athena passes on. */
  readonly trinoMessage: string;

  constructor(body: TrinoErrorBody, queryId?: string) {
    const name = body.errorName ?? 'UNKNOWN_ERROR';
    const where = body.errorLocation ? ` at line ${body.errorLocation.lineNumber}:${body.errorLocation.columnNumber}` : '';
    // `LINE n:` is the form src/app/runbookRunner.ts sqlErrorLine maps back to the runbook.
    const line = body.errorLocation ? `\nLINE ${body.errorLocation.lineNumber}:` : '';
    // Trino starts some messages with the position again ("line 8:17: Cannot apply …"): said once is enough.
    const message = (body.message ?? 'the query failed without a message').replace(/^line \d+:\d+: /, '');
    super(`Trino ${name}${where}: ${message}${queryId ? ` (query ${queryId})` : ''}${line}`);
    this.errorName = name;
    this.errorType = body.errorType;
    this.location = body.errorLocation ? { line: body.errorLocation.lineNumber, column: body.errorLocation.columnNumber } : undefined;
    this.queryId = queryId;
    this.trinoMessage = body.message ?? '';
  }
}

/** The server could not be used at all: unreachable, refused the credentials, not Trino. */
export class TrinoConnectionError extends Error {}

/** The one Cancelled, under the name test/engines knows it by. */
export { Cancelled as TrinoQueryCancelled } from '../../protocol/cancelled';
