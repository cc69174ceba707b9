// The runs the view knows, by runId, fed by the host's messages. Pure: no DOM.
// Memory stays bounded whatever the host sends: the last `maxRuns` runs, and at most
// `maxRowsPerRun` rows each (the rest are counted, not kept).
import type { KeptSummary } from '../protocol/keptResult';
import type { HostMessage, ResultValue, RunStatus } from '../protocol/results';

export type RunStarted = Extract<HostMessage, { type: 'runStarted' }>;
export type RunProgress = Extract<HostMessage, { type: 'progress' }>;
export type RowBatch = Extract<HostMessage, { type: 'rows' }>;
export type RunFinished = Extract<HostMessage, { type: 'runFinished' }>;

export interface Run {
  readonly runId: string;
  readonly started: RunStarted;
  status: RunStatus;
  columns: string[];
  /** Rows in the order the query gave them; never reordered (the table sorts indices). */
  readonly rows: (readonly ResultValue[])[];
  /** Every row received, including those beyond `maxRowsPerRun` that were not kept. */
  received: number;
  progress?: { readonly message: string; readonly elapsedMs: number } | undefined;
  finished?: RunFinished;
  /** The whole result is kept by the host (more rows than travel here): the views ask it for what they show. */
  kept?: KeptSummary;
  /** Bumped on every change, so views redraw only what changed. */
  version: number;
}

export interface RunStoreLimits {
  readonly maxRuns: number;
  readonly maxRowsPerRun: number;
}

/** The rows a run has: every row of the whole result when the host keeps it, else those received. */
export function rowCountOf(run: Pick<Run, 'kept' | 'received'>): number {
  return run.kept?.rowCount ?? run.received;
}

export const DEFAULT_LIMITS: RunStoreLimits = { maxRuns: 20, maxRowsPerRun: 100_000 };

export class RunStore {
  // A Map iterates in insertion order: oldest run first.
  private readonly byId = new Map<string, Run>();

  constructor(private readonly limits: RunStoreLimits = DEFAULT_LIMITS) {}

  /** Adds the run (a repeated runId starts over) and returns the ids of runs dropped to make room. */
  start(message: RunStarted): string[] {
    this.byId.delete(message.runId);
    this.byId.set(message.runId, {
      runId: message.runId,
      started: message,
      status: 'running',
      columns: [],
      rows: [],
      received: 0,
      version: 0,
    });
    const dropped: string[] = [];
    for (const runId of this.byId.keys()) {
      if (this.byId.size <= this.limits.maxRuns) break;
      this.byId.delete(runId);
      dropped.push(runId);
    }
    return dropped;
  }

  progress(message: RunProgress): Run | undefined {
    const run = this.byId.get(message.runId);
    if (run === undefined) return undefined;
    run.progress = { message: message.message, elapsedMs: message.elapsedMs };
    run.version += 1;
    return run;
  }

  appendRows(message: RowBatch): Run | undefined {
    const run = this.byId.get(message.runId);
    if (run === undefined) return undefined;
    const place = columnPlaces(run, message.columns);
    const room = Math.max(0, this.limits.maxRowsPerRun - run.rows.length);
    const kept = message.rows.length <= room ? message.rows : message.rows.slice(0, room);
    // Batches arrive structured-cloned, so rows are kept as they come, not copied.
    for (const row of kept) run.rows.push(place === undefined ? row : reorder(row, place, run.columns.length));
    run.received += message.rows.length;
    run.version += 1;
    return run;
  }

  /** Forgets the run's rows (they were provisional). A new Run object, so every view built on the old rows starts over. */
  resetRows(runId: string): Run | undefined {
    const run = this.byId.get(runId);
    if (run === undefined) return undefined;
    const fresh: Run = { ...run, columns: [], rows: [], received: 0, version: run.version + 1 };
    this.byId.set(runId, fresh);
    return fresh;
  }

  finish(message: RunFinished): Run | undefined {
    const run = this.byId.get(message.runId);
    if (run === undefined) return undefined;
    run.status = message.status;
    run.finished = message;
    run.progress = undefined;
    run.version += 1;
    return run;
  }

  /** The host keeps this run's whole result (src/protocol/keptResult.ts). */
  keep(message: Extract<HostMessage, { type: 'resultKept' }>): Run | undefined {
    const run = this.byId.get(message.runId);
    if (run === undefined) return undefined;
    const { type: _type, runId: _runId, ...summary } = message;
    run.kept = summary;
    run.version += 1;
    return run;
  }

  get(runId: string): Run | undefined {
    return this.byId.get(runId);
  }

  /** Oldest first. */
  list(): Run[] {
    return [...this.byId.values()];
  }

  newest(): Run | undefined {
    let last: Run | undefined;
    for (const run of this.byId.values()) last = run;
    return last;
  }

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }
}

/**
 * Where each column of a batch goes in the run's columns, or undefined when they are the
 * same (the usual case: every batch repeats the columns). A batch that names a new column
 * adds it, so rows of an earlier batch read null there.
 */
function columnPlaces(run: Run, columns: readonly string[]): number[] | undefined {
  if (run.columns.length === 0) run.columns = [...columns];
  if (columns.length === run.columns.length && columns.every((name, i) => name === run.columns[i])) return undefined;
  return columns.map((name) => {
    const at = run.columns.indexOf(name);
    if (at >= 0) return at;
    run.columns.push(name);
    return run.columns.length - 1;
  });
}

function reorder(row: readonly ResultValue[], place: readonly number[], width: number): ResultValue[] {
  const out: ResultValue[] = new Array<ResultValue>(width).fill(null);
  row.forEach((value, i) => {
    const at = place[i];
    if (at !== undefined) out[at] = value;
  });
  return out;
}
