// One query on Athena, start to last row: StartQueryExecution (with the request's
// idempotency token), GetQueryExecution polled with backoff until the state is final,
// GetQueryResults paged at 1000 rows, each page's rows handed on as it arrives;
// StopQueryExecution when the caller cancels. Throttling is retried with backoff on every
// call, then reported as such. The SDK's own client does the signing and transport.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { CellValue } from '../../engine/query';
import { Cancelled } from '../../protocol/cancelled';
import { ATHENA_PAGE_ROWS } from './defaults';
import {
  AthenaQueryFailed,
  AthenaSourceError,
  explainAthenaError,
  explainFailedQuery,
  type AthenaStep,
  type ExplainContext,
} from './errors';
import { athenaCellValue, knownType, type AthenaColumn } from './values';
import { abortableSleep as sleep } from '../abortableSleep';

export interface AthenaPlace {
  readonly workgroup: string;
  readonly database: string;
  readonly catalog: string;
  /** Where results are written when the workgroup sets no location (s3://bucket/prefix/). */
  readonly outputLocation?: string;
}

export interface AthenaQueryOptions {
  readonly signal?: AbortSignal;
  readonly limit?: number;
  /** The idempotency token (requestToken.ts). */
  readonly token: string;
  readonly onRows?: (rows: CellValue[][], columns: readonly AthenaColumn[]) => void;
  /** Each state the query is seen in (QUEUED, RUNNING, …), for progress. */
  readonly onState?: (state: string, queryExecutionId: string) => void;
  /** DDL and other statements have no header row; a SELECT's first page starts with one. */
  readonly statement?: 'select' | 'ddl';
}

export interface AthenaQueryResult {
  readonly queryExecutionId: string;
  readonly columns: AthenaColumn[];
  readonly rows: CellValue[][];
  readonly truncated: boolean;
  readonly dataScannedBytes: number;
  readonly engineMs: number | undefined;
  /** Milliseconds from SUCCEEDED seen to the first page of rows in hand. */
  readonly firstPageMs: number;
}

/** Poll delays: short at first (small queries finish in a second), then every 2 s. */
const LAST_POLL_MS = 2000;
const POLL_MS = [50, 100, 200, 400, 800, 1200, LAST_POLL_MS];
/** Throttled calls are retried this many times, with backoff from 250 ms to 8 s. */
const THROTTLE_RETRIES = 6;

const isThrottled = (error: unknown): boolean =>
  ['TooManyRequestsException', 'ThrottlingException'].includes((error as { name?: string }).name ?? '');
/** A server error or a dropped connection: worth the same retries (the client's own are off, so the count is ours). */
const isTransient = (error: unknown): boolean => {
  const e = error as { $metadata?: { httpStatusCode?: number }; code?: string; name?: string };
  return (
    (e.$metadata?.httpStatusCode ?? 0) >= 500 || ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e.code ?? '') || e.name === 'TimeoutError'
  );
};

export class AthenaQueryRunner {
  constructor(
    private readonly client: AthenaClient,
    private readonly place: AthenaPlace,
    private readonly context: Omit<ExplainContext, 'step'>,
    /** Removes secrets from text a server sent back. */
    private readonly redact: (text: string) => string = (t) => t,
    /** How many times a throttled call is tried again before the throttling is reported. */
    private readonly throttleRetries = THROTTLE_RETRIES,
  ) {}

  /** One call, throttling retried with backoff; any other failure explained. */
  private async call<T>(step: AthenaStep, send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        if (signal?.aborted) throw new Cancelled({ cause: error });
        if ((isThrottled(error) || isTransient(error)) && attempt < this.throttleRetries) {
          await sleep(Math.min(250 * 2 ** attempt, 8000) * (0.75 + Math.random() / 2), signal);
          if (signal?.aborted) throw new Cancelled();
          continue;
        }
        // The SDK error's own text may echo what was sent; only the redacted explanation goes on.
        throw new AthenaSourceError(this.redact(explainAthenaError(error, { ...this.context, step })));
      }
    }
  }

  private async stop(queryExecutionId: string): Promise<void> {
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }), {
        abortSignal: AbortSignal.timeout(5000),
      });
    } catch {
      // Best effort: a query that cannot be stopped ends by itself; the run is cancelled either way.
    }
  }

  async start(sql: string, token: string, signal?: AbortSignal): Promise<string> {
    const { workgroup, database, catalog, outputLocation } = this.place;
    const started = await this.call(
      'StartQueryExecution',
      () =>
        this.client.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            ClientRequestToken: token,
            WorkGroup: workgroup,
            QueryExecutionContext: { Database: database, Catalog: catalog },
            ...(outputLocation ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
          }),
        ),
      signal,
    );
    if (!started.QueryExecutionId) throw new AthenaSourceError('Athena started the query but gave no QueryExecutionId');
    return started.QueryExecutionId;
  }

  /** Polls until SUCCEEDED (returned), FAILED or CANCELLED (thrown); stops the query on cancel. */
  async waitFor(
    queryExecutionId: string,
    options: { signal?: AbortSignal; onState?: (state: string, id: string) => void },
  ): Promise<QueryExecution> {
    const { signal } = options;
    let lastState = '';
    for (let poll = 0; ; poll += 1) {
      if (signal?.aborted) {
        await this.stop(queryExecutionId);
        throw new Cancelled();
      }
      const { QueryExecution: execution } = await this.call(
        'GetQueryExecution',
        () => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId })),
        signal,
      ).catch(async (error: unknown) => {
        if (error instanceof Cancelled) await this.stop(queryExecutionId);
        throw error;
      });
      const state = execution?.Status?.State ?? 'UNKNOWN';
      if (state !== lastState) options.onState?.(state, queryExecutionId);
      lastState = state;
      if (state === 'SUCCEEDED') return execution!;
      if (state === 'FAILED') {
        throw new AthenaQueryFailed(
          this.redact(
            explainFailedQuery(execution?.Status?.StateChangeReason, execution?.Status?.AthenaError, queryExecutionId, this.context),
          ),
          queryExecutionId,
        );
      }
      if (state === 'CANCELLED') {
        throw new AthenaQueryFailed(
          `the query was cancelled in Athena (query ${queryExecutionId})${execution?.Status?.StateChangeReason ? `: ${this.redact(execution.Status.StateChangeReason)}` : ''}`,
          queryExecutionId,
        );
      }
      // QUEUED and RUNNING (RUNNING goes back to QUEUED when Athena retries a transient failure): wait.
      await sleep(POLL_MS[poll] ?? LAST_POLL_MS, signal);
    }
  }

  /** Start, wait, and page the results; rows handed on page by page. */
  async run(sql: string, options: AthenaQueryOptions): Promise<AthenaQueryResult> {
    const { signal } = options;
    if (signal?.aborted) throw new Cancelled();
    const queryExecutionId = await this.start(sql, options.token, signal);
    const execution = await this.waitFor(queryExecutionId, {
      ...(signal ? { signal } : {}),
      ...(options.onState ? { onState: options.onState } : {}),
    });
    const succeededAt = Date.now();
    let firstPageMs = 0;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const rows: CellValue[][] = [];
    let columns: AthenaColumn[] = [];
    let truncated = false;
    let nextToken: string | undefined;
    let first = true;
    let types: ReturnType<typeof knownType>[] = [];
    const select = options.statement !== 'ddl' && (execution.StatementType === undefined || execution.StatementType === 'DML');
    do {
      if (signal?.aborted) throw new Cancelled();
      const page: GetQueryResultsCommandOutput = await this.call(
        'GetQueryResults',
        () =>
          this.client.send(
            new GetQueryResultsCommand({
              QueryExecutionId: queryExecutionId,
              MaxResults: ATHENA_PAGE_ROWS,
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
            signal ? { abortSignal: signal } : {},
          ),
        signal,
      );
      if (first) {
        firstPageMs = Date.now() - succeededAt;
        columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
          name: c.Label ?? c.Name ?? '',
          type: c.Type ?? 'varchar',
        }));
        types = columns.map((c) => knownType(c));
      }
      const data = page.ResultSet?.Rows ?? [];
      const body = first && select ? data.slice(1) : data;
      first = false;
      const room = limit - rows.length;
      const converted = body
        .slice(0, room)
        .map((row) => columns.map((column, i) => athenaCellValue(row.Data?.[i]?.VarCharValue, column, types[i])));
      rows.push(...converted);
      if (converted.length > 0) options.onRows?.(converted, columns);
      if (body.length > room) truncated = true;
      nextToken = page.NextToken;
      if (nextToken && rows.length >= limit) truncated = true;
    } while (nextToken && !truncated);
    return {
      queryExecutionId,
      columns,
      rows,
      truncated,
      dataScannedBytes: execution.Statistics?.DataScannedInBytes ?? 0,
      engineMs: execution.Statistics?.EngineExecutionTimeInMillis,
      firstPageMs,
    };
  }
}
