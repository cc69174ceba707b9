// What a freshly loaded results page needs to show the last runs as they are now. The
// panel does not keep a hidden page alive (that costs memory for every run ever shown), so
// it replays this bounded log when the page says 'ready'. Plain TypeScript, tested in node.
import type { HostMessage } from '../protocol/results';

type RunStarted = Extract<HostMessage, { type: 'runStarted' }>;
type RowBatch = Extract<HostMessage, { type: 'rows' }>;
type Progress = Extract<HostMessage, { type: 'progress' }>;
type RunFinished = Extract<HostMessage, { type: 'runFinished' }>;

/** The same bounds as the webview's run store (src/webview/runStore.ts). */
const MAX_RUNS = 20;
const MAX_ROWS_PER_RUN = 100_000;
/** Across all runs: older runs go first when the log holds more. */
const MAX_ROWS = 250_000;

interface LoggedRun {
  readonly started: RunStarted;
  progress?: Progress;
  readonly batches: RowBatch[];
  rows: number;
  finished?: RunFinished;
  /** The host keeps the run's whole result: a fresh page asks it for bins and pages again. */
  kept?: Extract<HostMessage, { type: 'resultKept' }>;
}

/** What a fresh page needs to show the last runs as they are now: one run's messages in order. */
export class ReplayLog {
  // Insertion order is start order: oldest first.
  private readonly runs = new Map<string, LoggedRun>();
  private revealed: string | undefined;
  /** Only the latest state of the investigation means anything to a page that loads now. */
  private investigation: Extract<HostMessage, { type: 'investigation' }> | undefined;
  private rows = 0;

  record(message: HostMessage): void {
    switch (message.type) {
      case 'runStarted':
        this.drop(message.runId);
        this.runs.set(message.runId, { started: message, batches: [], rows: 0 });
        while (this.runs.size > MAX_RUNS) this.drop(this.runs.keys().next().value!);
        break;
      case 'progress': {
        // Only the latest progress means anything to a page that loads now.
        const run = this.runs.get(message.runId);
        if (run !== undefined) run.progress = message;
        break;
      }
      case 'rows': {
        const run = this.runs.get(message.runId);
        if (run === undefined) break;
        const room = MAX_ROWS_PER_RUN - run.rows;
        if (room <= 0) break;
        const batch = message.rows.length <= room ? message : { ...message, rows: message.rows.slice(0, room) };
        run.batches.push(batch);
        run.rows += batch.rows.length;
        this.rows += batch.rows.length;
        while (this.rows > MAX_ROWS && this.runs.size > 1) this.drop(this.runs.keys().next().value!);
        break;
      }
      case 'rowsReset': {
        // The provisional rows are replaced: a late page needs only what follows.
        const run = this.runs.get(message.runId);
        if (run === undefined) break;
        this.rows -= run.rows;
        run.batches.length = 0;
        run.rows = 0;
        break;
      }
      case 'runFinished': {
        const run = this.runs.get(message.runId);
        if (run === undefined) break;
        run.finished = message;
        // Progress after this is the cache written behind an answer, shown under it.
        delete run.progress;
        break;
      }
      case 'resultKept': {
        const run = this.runs.get(message.runId);
        if (run !== undefined) run.kept = message;
        break;
      }
      case 'reveal':
        this.revealed = message.runId;
        break;
      case 'investigation':
        this.investigation = message;
        break;
      case 'clear':
        this.runs.clear();
        this.rows = 0;
        this.revealed = undefined;
        break;
    }
  }

  *messages(): Generator<HostMessage> {
    if (this.investigation !== undefined) yield this.investigation;
    for (const run of this.runs.values()) {
      yield run.started;
      if (run.progress !== undefined && run.finished === undefined) yield run.progress;
      yield* run.batches;
      if (run.finished !== undefined) yield run.finished;
      if (run.progress !== undefined && run.finished !== undefined) yield run.progress;
      if (run.kept !== undefined) yield run.kept;
    }
    // A replayed runStarted selects its run, so the run the user asked for comes last.
    if (this.revealed !== undefined && this.runs.has(this.revealed)) yield { type: 'reveal', runId: this.revealed };
  }

  private drop(runId: string): void {
    const run = this.runs.get(runId);
    if (run === undefined) return;
    this.rows -= run.rows;
    this.runs.delete(runId);
  }
}
