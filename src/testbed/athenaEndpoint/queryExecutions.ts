// The endpoint's query executions: what Athena keeps for each QueryExecutionId. A query is
// started on the backend when it is accepted; what GetQueryExecution shows advances at most
// one state a poll (QUEUED, then RUNNING, then the final state once the backend is done), so
// a poller always sees QUEUED and RUNNING, as against Athena, where the queue and the run
// take seconds. A query holds one of `maxConcurrent` slots from its start until a poll has
// shown its final state, it is stopped, or a minute after it ended unseen: past the limit a
// start is refused with TooManyRequestsException, which Athena gives for its own limit.
import { createHash, randomUUID } from 'node:crypto';
import { isCancelled } from '../../protocol/cancelled';
import { AthenaRequestError, QueryFailure, invalidRequest } from './athenaErrors';
import type { AthenaBackend, AthenaQuery, BackendResult } from './backend';

/** What runs a query: the backend for SELECTs, the catalog for DDL (server.ts routes them). */
export type QueryRunner = Pick<AthenaBackend, 'execute'>;

export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface StartRequest {
  readonly query: AthenaQuery;
  readonly workGroup: string;
  readonly outputLocation: string;
  readonly clientRequestToken: string;
}

export interface QueryExecution {
  readonly id: string;
  readonly request: StartRequest;
  readonly submitted: Date;
  /** What the backend reached. */
  outcome:
    | { state: 'RUNNING' }
    | { state: 'SUCCEEDED'; result: BackendResult }
    | { state: 'FAILED'; failure: QueryFailure }
    | { state: 'CANCELLED' };
  completed?: Date;
  /** The state the last GetQueryExecution reported (see the header); undefined before the first. */
  reported?: QueryState;
  readonly abort: AbortController;
  holdsSlot: boolean;
}

/** A query that ended unseen gives its slot back after this long. */
const UNSEEN_SLOT_MS = 60_000;

const fingerprint = (request: StartRequest): string =>
  createHash('sha256')
    .update(JSON.stringify([request.query.sql, request.query.catalog, request.query.database, request.workGroup, request.outputLocation]))
    .digest('hex');

export class QueryExecutions {
  private readonly executions = new Map<string, QueryExecution>();
  private readonly tokens = new Map<string, { fingerprint: string; id: string }>();
  /** Every query the backend was given, in order: what tests count to prove a token was honoured. */
  readonly started: string[] = [];

  constructor(
    private readonly backend: QueryRunner,
    private readonly maxConcurrent: number,
  ) {}

  private active(): number {
    let n = 0;
    for (const e of this.executions.values()) if (e.holdsSlot) n += 1;
    return n;
  }

  private release(execution: QueryExecution): void {
    execution.holdsSlot = false;
  }

  start(request: StartRequest): string {
    const print = fingerprint(request);
    const known = this.tokens.get(request.clientRequestToken);
    if (known) {
      if (known.fingerprint !== print) throw invalidRequest('Idempotent parameters do not match');
      return known.id;
    }
    if (this.active() >= this.maxConcurrent) {
      throw new AthenaRequestError(
        'TooManyRequestsException',
        `You have exceeded the limit for the number of queries you can run concurrently (${this.maxConcurrent} on this endpoint). Reduce the number of concurrent queries submitted by this account.`,
        'CONCURRENT_QUERY_LIMIT_EXCEEDED',
      );
    }
    const execution: QueryExecution = {
      id: randomUUID(),
      request,
      submitted: new Date(),
      outcome: { state: 'RUNNING' },
      abort: new AbortController(),
      holdsSlot: true,
    };
    this.executions.set(execution.id, execution);
    this.tokens.set(request.clientRequestToken, { fingerprint: print, id: execution.id });
    this.started.push(execution.id);
    this.backend.execute(request.query, execution.abort.signal).then(
      (result) => this.finish(execution, { state: 'SUCCEEDED', result }),
      (error: unknown) => {
        if (execution.abort.signal.aborted && isCancelled(error)) this.finish(execution, { state: 'CANCELLED' });
        else
          this.finish(execution, {
            state: 'FAILED',
            failure: error instanceof QueryFailure ? error : new QueryFailure('GENERIC_INTERNAL_ERROR', (error as Error).message, 1),
          });
      },
    );
    return execution.id;
  }

  private finish(execution: QueryExecution, outcome: QueryExecution['outcome']): void {
    if (execution.outcome.state !== 'RUNNING') return;
    execution.outcome = outcome;
    execution.completed = new Date();
    setTimeout(() => this.release(execution), UNSEEN_SLOT_MS).unref();
  }

  get(id: string): QueryExecution {
    const execution = this.executions.get(id);
    if (!execution) throw invalidRequest(`QueryExecution ${id} was not found`);
    return execution;
  }

  /** GetQueryExecution: the state reported advances at most one step a poll. */
  poll(id: string): QueryState {
    const execution = this.get(id);
    const last = execution.reported;
    const state: QueryState = last === undefined ? 'QUEUED' : last === 'QUEUED' ? 'RUNNING' : execution.outcome.state;
    execution.reported = state;
    if (state !== 'QUEUED' && state !== 'RUNNING') this.release(execution);
    return state;
  }

  /** StopQueryExecution: cancels a running query; a finished one is left as it is, as in Athena. */
  stop(id: string): void {
    const execution = this.get(id);
    if (execution.outcome.state === 'RUNNING') {
      execution.abort.abort();
      execution.outcome = { state: 'CANCELLED' };
      execution.completed = new Date();
      execution.reported = 'CANCELLED';
    }
    this.release(execution);
  }

  /** Cancels whatever still runs (the endpoint is closing). */
  stopAll(): void {
    for (const execution of this.executions.values()) if (execution.outcome.state === 'RUNNING') execution.abort.abort();
  }
}
