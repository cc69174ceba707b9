// What a backend gives the engine before a query runs: the scope of `cloudtrail_logs`
// (which stored events, which window) and an honest account of how it got them.
import type { QueryScope } from './query';
import type { TimeWindow } from './timeWindow';

export interface SourceProgress {
  readonly message: string;
  readonly elapsedMs: number;
}

export interface SourceProblem {
  /** The file or request the problem is about. */
  readonly where: string;
  readonly message: string;
}

export interface PreparedScope {
  readonly scope: QueryScope;
  /** Plain sentences for the result's explanation: what was read, cached, skipped, filtered where. */
  readonly notes: readonly string[];
  readonly problems: readonly SourceProblem[];
  /** The AWS account the events came from, for backends that read one (LookupEvents). */
  readonly account?: string;
}

export interface EventSource {
  /** e.g. `local logs ./incident-42` */
  readonly label: string;
  /** The window used when neither the user, the runbook nor the cell chooses one. */
  readonly defaultWindow: string | undefined;
  prepare(
    window: TimeWindow,
    sql: string,
    options: {
      signal?: AbortSignal;
      onProgress?: (progress: SourceProgress) => void;
      /** Called as events are stored, with the scope so far, by sources that fetch for a while. */
      onPartial?: (scope: QueryScope) => void;
    },
  ): Promise<PreparedScope>;
}
