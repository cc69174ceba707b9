// The results the host keeps for the results view (one per large run), and the answers to
// the view's requests about them. Only the latest few are kept: each holds a whole result
// in DuckDB's memory, and a run the view no longer shows needs none. A request about a
// result let go is answered with why, never left without an answer.
import type { KeptResult } from '../engine/keptResult';
import type { KeptHostMessage, KeptRequest } from '../protocol/keptResult';

/** Kept results beyond this many are let go, oldest first. */
export const KEPT_RUNS = 4;

export class KeptResults {
  private readonly results = new Map<string, KeptResult>();

  constructor(private readonly capacity = KEPT_RUNS) {}

  /** Keeps `result` (summarized) for `runId` and announces it; a result kept before for the same run is let go. */
  keep(runId: string, result: KeptResult): KeptHostMessage {
    this.results.get(runId)?.close();
    this.results.delete(runId);
    this.results.set(runId, result);
    for (const [oldest, kept] of this.results) {
      if (this.results.size <= this.capacity) break;
      kept.close();
      this.results.delete(oldest);
    }
    return { type: 'resultKept', runId, ...result.summary };
  }

  has(runId: string): boolean {
    return this.results.has(runId);
  }

  /** The result kept for `runId` (an export reads it whole). */
  get(runId: string): KeptResult | undefined {
    return this.results.get(runId);
  }

  async answer(request: KeptRequest): Promise<KeptHostMessage> {
    const { runId, requestId } = request;
    const result = this.results.get(runId);
    if (result === undefined) {
      return {
        type: 'keptError',
        runId,
        requestId,
        request: request.type,
        error: 'this result is no longer kept (only the latest runs are): run the cell again',
      };
    }
    try {
      switch (request.type) {
        case 'bins': {
          const bins = await result.bins(request.from, request.to, request.size, request.filter);
          return { type: 'bins', runId, requestId, ...bins };
        }
        case 'marks': {
          const events = await result.events(request.from, request.to, request.limit, request.filter);
          return { type: 'marks', runId, requestId, from: request.from, to: request.to, ...events };
        }
        case 'page': {
          const page = await result.listed(request.offset, request.count, request.listing);
          return { type: 'page', runId, requestId, offset: request.offset, ...page };
        }
        case 'position': {
          const { position, listed } = await result.position(request.row, request.listing);
          return { type: 'position', runId, requestId, row: request.row, position, listed };
        }
      }
    } catch (error) {
      return { type: 'keptError', runId, requestId, request: request.type, error: (error as Error).message };
    }
  }

  /** Lets every result go (the view was closed, or the extension stops). */
  clear(): void {
    for (const result of this.results.values()) result.close();
    this.results.clear();
  }
}
