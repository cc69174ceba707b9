// One press of "Run query" or "Run all": the cells it runs, their run ids, and the
// messages the results view gets for each (started, rows, finished), each exactly once.
import { CANCELLED_MESSAGE } from '../protocol/cancelled';
import type { HostMessage, ResultValue, RunStatus } from '../protocol/results';
import type { CellRun } from '../app/runbookRunner';
import type { TimeWindow } from '../engine/timeWindow';
import type { RunbookCell } from '../runbook/types';
import { ranWindowCaption } from './investigationWindow';
import { runSummary, type SummaryInput } from './runSummary';
import { targetLabel, type RunTarget } from './runTarget';

export type FinishedStatus = Exclude<RunStatus, 'running'>;

/** What the CodeLens shows while a cell runs. */
export interface RunningCell {
  readonly runId: string;
  readonly startedAt: number;
  progress?: string;
}

/** What stays after a cell ran: the summary, and the values later cells and actions use. */
export interface FinishedCell {
  readonly runId: string;
  readonly status: FinishedStatus;
  readonly rowCount: number;
  readonly summary: string;
  /** What the summary says, for saying it again (withoutKept). */
  readonly outcome: SummaryInput;
  /** The block's text when it ran: the summary goes away once the block changes. */
  readonly cellText: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** The engine's record of the run, when it ran: where its events are, for a look at one. */
  readonly cellRun?: CellRun;
  /** Answered before the cache of its logs was written, which is being written now. */
  readonly writingCache?: true;
}

export interface CellOutcome {
  readonly status: FinishedStatus;
  readonly truncated: boolean;
  /** Every row of a result past the row limit that the host keeps whole (CellRun.kept). */
  readonly keptRowCount?: number;
  readonly elapsedMs: number;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly notes: readonly string[];
  readonly problems: readonly { readonly where: string; readonly message: string }[];
  readonly sql?: string;
  readonly error?: string;
  readonly account?: string;
  readonly cellRun?: CellRun;
}

/** The text that identifies a block's content: its info string and its SQL. */
export const cellText = (cell: RunbookCell): string => `${cell.info}\n${cell.sql}`;

export function outcomeOf(run: CellRun): CellOutcome {
  return {
    status: run.status,
    truncated: run.truncated,
    // Past the row limit the host keeps the whole result (RunController.keepResult): its count is the run's.
    ...(run.truncated && run.kept !== undefined ? { keptRowCount: run.kept.rowCount } : {}),
    elapsedMs: run.elapsedMs,
    columns: run.columns,
    rows: run.rows,
    notes: run.notes,
    problems: run.problems,
    ...(run.sql ? { sql: run.sql } : {}),
    ...(run.error ? { error: run.error.message } : {}),
    ...(run.account ? { account: run.account } : {}),
    cellRun: run,
  };
}

/** The same run, said as cut at the row limit: its whole result could not be kept after all. */
export function withoutKept(finished: FinishedCell): FinishedCell {
  if (finished.outcome.keptRowCount === undefined) return finished;
  const { keptRowCount: _kept, ...outcome } = finished.outcome;
  return { ...finished, outcome, summary: runSummary(outcome) };
}

type RunFinished = Extract<HostMessage, { type: 'runFinished' }>;

/** A cell answered before its cache was written: what it said, until the cache is written. */
interface AnsweredCell {
  readonly runId: string;
  readonly startedAt: number;
  readonly finishedAt: Date;
  readonly message: RunFinished;
  readonly finished: FinishedCell;
  /** The cache write's latest progress. */
  progress?: string;
}

export class RunSession {
  readonly controller = new AbortController();
  readonly running = new Map<string, RunningCell>();
  private readonly started = new Set<string>();
  private readonly answered = new Map<string, AnsweredCell>();

  constructor(
    readonly uri: string,
    readonly runbookName: string,
    readonly cells: readonly RunbookCell[],
    nextRunId: () => string,
    private readonly post: (message: HostMessage) => void,
    private readonly onFinished: (cell: RunbookCell, finished: FinishedCell) => void,
  ) {
    const now = Date.now();
    for (const cell of cells) this.running.set(cell.id, { runId: nextRunId(), startedAt: now });
  }

  start(cell: RunbookCell, target?: RunTarget, window?: TimeWindow): void {
    const state = this.running.get(cell.id);
    if (!state || this.started.has(cell.id)) return;
    this.started.add(cell.id);
    // The local default "all time" is not a window worth drawing.
    const bounded = window && window.end.getUTCFullYear() < 9999;
    this.post({
      type: 'runStarted',
      runId: state.runId,
      runbook: this.runbookName,
      cellId: cell.id,
      ...(cell.heading ? { heading: cell.heading } : {}),
      line: cell.fenceLine + 1,
      ...(cell.expect ? { expect: cell.expect } : {}),
      context: {
        source: target ? targetLabel(target, ranWindowCaption(window)) : '(did not start)',
        ...(bounded
          ? { window: { start: window.start.toISOString(), end: window.end.toISOString(), label: ranWindowCaption(window) } }
          : {}),
      },
      startedAt: state.startedAt,
    });
  }

  progress(cell: RunbookCell, message: string): void {
    const running = this.running.get(cell.id);
    if (running) {
      running.progress = message;
      this.post({ type: 'progress', runId: running.runId, message, elapsedMs: Date.now() - running.startedAt });
      return;
    }
    // The cache written behind an answer: the view shows the figures under the result, the
    // summary says it once (VS Code redraws decorations on every change).
    const answered = this.answered.get(cell.id);
    if (!answered) return;
    this.post({ type: 'progress', runId: answered.runId, message, elapsedMs: Date.now() - answered.startedAt });
    if (answered.progress === undefined) this.onFinished(cell, { ...answered.finished, writingCache: true });
    answered.progress = message;
  }

  /** What the cache write behind an answer has done, while one is being written. */
  writingProgress(): string | undefined {
    for (const answered of this.answered.values()) if (answered.progress !== undefined) return answered.progress;
    return undefined;
  }

  rows(cell: RunbookCell, rows: readonly ResultValue[][], columns: readonly string[]): void {
    const state = this.running.get(cell.id);
    if (state) this.post({ type: 'rows', runId: state.runId, columns, rows });
  }

  rowsReset(cell: RunbookCell): void {
    const state = this.running.get(cell.id);
    if (state) this.post({ type: 'rowsReset', runId: state.runId });
  }

  finish(cell: RunbookCell, outcome: CellOutcome): void {
    const state = this.running.get(cell.id);
    if (!state) return;
    this.start(cell);
    this.running.delete(cell.id);
    const finishedAt = new Date();
    const { message, finished } = this.say(cell, state.runId, outcome, finishedAt);
    if (outcome.cellRun?.answeredFirst)
      this.answered.set(cell.id, { runId: state.runId, startedAt: state.startedAt, finishedAt, message, finished });
  }

  /**
   * A cell answered before its cache was written, now that it is: what the whole scan found
   * (its notes, its problems, a failure when nothing could be read), said in place of the
   * answer's. The status the answer had; undefined when the cell was not waiting for a cache.
   */
  amend(cell: RunbookCell, outcome: CellOutcome): FinishedStatus | undefined {
    const answered = this.answered.get(cell.id);
    if (!answered) return undefined;
    this.answered.delete(cell.id);
    this.say(cell, answered.runId, outcome, answered.finishedAt);
    return answered.message.status;
  }

  /** The run ended before the caches behind its answers were written: each answer says so, and stays. */
  cacheNotWritten(reason: string): void {
    for (const [cellId, answered] of this.answered) {
      const cell = this.cells.find((c) => c.id === cellId);
      if (!cell) continue;
      this.post({
        ...answered.message,
        notes: [
          ...answered.message.notes,
          `the cache of these logs was not written in full (${reason}): the next run reads the rest again, and this result's whole events cannot be shown`,
        ],
      });
      this.onFinished(cell, answered.finished);
    }
    this.answered.clear();
  }

  private say(
    cell: RunbookCell,
    runId: string,
    outcome: CellOutcome,
    finishedAt: Date,
  ): { readonly message: RunFinished; readonly finished: FinishedCell } {
    const said: SummaryInput = {
      status: outcome.status,
      rowCount: outcome.rows.length,
      truncated: outcome.truncated,
      ...(outcome.keptRowCount !== undefined ? { keptRowCount: outcome.keptRowCount } : {}),
      elapsedMs: outcome.elapsedMs,
      ...(cell.expect ? { expect: cell.expect } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.cellRun?.partial ? { partial: outcome.cellRun.partial } : {}),
      finishedAt,
    };
    const summary = runSummary(said);
    const message: RunFinished = {
      type: 'runFinished',
      runId,
      status: outcome.status,
      rowCount: outcome.rows.length,
      truncated: outcome.truncated,
      elapsedMs: outcome.elapsedMs,
      ...(outcome.sql ? { sql: outcome.sql } : {}),
      notes: outcome.notes,
      problems: outcome.problems,
      ...(outcome.error ? { error: outcome.error } : {}),
      summary,
      ...(outcome.account ? { account: outcome.account } : {}),
    };
    this.post(message);
    const finished: FinishedCell = {
      runId,
      status: outcome.status,
      rowCount: outcome.rows.length,
      summary,
      outcome: said,
      cellText: cellText(cell),
      columns: outcome.columns,
      rows: outcome.rows,
      ...(outcome.cellRun ? { cellRun: outcome.cellRun } : {}),
    };
    this.onFinished(cell, finished);
    return { message, finished };
  }

  /** Every cell that has not finished ends as cancelled (or failed, with the reason). */
  abandon(reason: { cancelled: true } | { cancelled: false; message: string }): void {
    for (const cell of this.cells) {
      const state = this.running.get(cell.id);
      if (!state) continue;
      this.finish(cell, {
        status: reason.cancelled ? 'cancelled' : 'error',
        truncated: false,
        elapsedMs: Date.now() - state.startedAt,
        columns: [],
        rows: [],
        notes: [],
        problems: [],
        error: reason.cancelled ? CANCELLED_MESSAGE : reason.message,
      });
    }
  }
}
