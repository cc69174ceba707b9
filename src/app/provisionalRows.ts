// While a source is still fetching (LookupEvents pages, two a second), the cell's query runs
// on what has arrived so far and its rows are shown as provisional: the timeline fills while
// paging goes on. Each new partial scope replaces the rows before it; the complete result
// replaces them once more. Only the latest scope is queried: older ones are skipped.
import type { EventStore } from '../engine/eventStore';
import { runQuery, type CellValue, type QueryScope } from '../engine/query';

export interface ProvisionalRowsOptions {
  readonly limit?: number;
  readonly signal?: AbortSignal;
  /** The rows shown so far are to be dropped. */
  readonly onReset: () => void;
  readonly onRows: (rows: CellValue[][], columns: readonly string[]) => void;
}

export class ProvisionalRows {
  private pending: QueryScope | undefined;
  private running: Promise<void> | undefined;
  private shown = false;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly sql: string,
    private readonly options: ProvisionalRowsOptions,
  ) {}

  /** More events are stored: query them when the query before has finished. */
  offer(scope: QueryScope): void {
    if (this.closed) return;
    this.pending = scope;
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.closed) {
      const scope = this.pending;
      this.pending = undefined;
      try {
        const result = await runQuery(this.store, scope, this.sql, {
          ...(this.options.limit !== undefined ? { limit: this.options.limit } : {}),
          ...(this.options.signal ? { signal: this.options.signal } : {}),
        });
        if (this.closed) break;
        this.options.onReset();
        this.shown = true;
        if (result.rows.length > 0) this.options.onRows(result.rows, result.columns);
      } catch {
        // The complete query reports errors (and cancels) with the cell; a provisional one
        // that fails only means nothing provisional is shown.
      }
    }
    this.running = undefined;
  }

  /** Stops offering and waits for a query in flight; true when provisional rows were shown. */
  async settle(): Promise<boolean> {
    this.closed = true;
    await this.running;
    return this.shown;
  }
}
