// The editor's lint checks each cell's SQL once: results are kept by the SQL text as
// checked (references already substituted), so an edit re-checks only the cells it
// changed, and a 10,000-cell runbook costs its full check once, not on every pause in
// typing. A check already done survives a lint that was aborted, so each newer lint
// starts where the older one stopped. Plain TypeScript: the check is a function given in.
import type { SqlProblem } from '../engine/sqlCheck';

export type CellCheck = (sql: string) => Promise<readonly SqlProblem[]>;

/** Far more than any runbook's cells; bounds memory across many documents and edits. */
const MAX_ENTRIES = 50_000;

export class CellCheckCache {
  /** Oldest first (a Map keeps insertion order): a hit moves to the end. */
  private readonly results = new Map<string, readonly SqlProblem[]>();

  constructor(
    private readonly check: CellCheck,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.results.size;
  }

  /** A check for one lint: cached results at once; otherwise it stops once `signal` aborts. */
  checker(signal?: AbortSignal): CellCheck {
    return async (sql) => {
      const hit = this.results.get(sql);
      if (hit) {
        this.results.delete(sql);
        this.results.set(sql, hit);
        return hit;
      }
      signal?.throwIfAborted();
      const problems = await this.check(sql);
      this.results.set(sql, problems);
      if (this.results.size > this.maxEntries) this.results.delete(this.results.keys().next().value!);
      return problems;
    };
  }
}
