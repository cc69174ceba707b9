// What a backend gives the engine before a query runs: the scope of `cloudtrail_logs`
// (which stored events, which window) and an honest account of how it got them.
import type { CellValue, QueryScope } from './query';
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
  /** The AWS account the events came from, for backends that read one (LookupEvents); several, comma-separated. */
  readonly account?: string;
  /**
   * Set when some of what the run was asked to read could not be read (one account of several):
   * the rows stand for the rest only. One line saying what is missing; the problems say why.
   */
  readonly partial?: string;
  /**
   * Set when no event could be read at all because every file or record was refused: why,
   * in words. The cell then fails (it judged nothing) instead of passing with 0 rows.
   */
  readonly nothingRead?: string;
  /**
   * Set when the scope answers this cell only (a cold scan answered from the JSON as it was
   * parsed, with the cell's columns): stores the events for good, and gives the scope later
   * cells and later looks at an event read. Called once the answer is out.
   */
  readonly writeCache?: () => Promise<PreparedScope>;
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
      /**
       * No later cell of the run reads this source. A cold local scan may then answer from
       * the JSON before it stores the events; a cell after it would wait for a second parse.
       */
      lastOnSource?: boolean;
    },
  ): Promise<PreparedScope>;
}

/** What a query cost on an engine that bills by the bytes it reads (Athena). */
export interface EngineScan {
  readonly engine: string;
  /** The engine's id of the query (Athena's QueryExecutionId): where to look it up. */
  readonly queryId: string;
  readonly scannedBytes: number;
  /** The upper bound computed before the query started, when there was one. */
  readonly boundBytes?: number;
  readonly pricePerTb?: number;
  readonly costUsd?: number;
}

/** What a remote engine (Trino, Athena) gives back for one cell: the rows, and how it got them. */
export interface RemoteResult {
  readonly columns: string[];
  readonly rows: CellValue[][];
  readonly truncated: boolean;
  /** The SQL the engine ran: the cell's, with the window written in by the source. */
  readonly sqlAsRun: string;
  readonly notes: readonly string[];
  readonly scan?: EngineScan;
}

/** Which cell a remote query is for: its identity (Athena's idempotency token) and its `{{…}}` references. */
export interface RemoteCellContext {
  readonly runbook: string;
  readonly cell: string;
  /** The cell's SQL as written, with the references' offsets into it. */
  readonly template: string;
  readonly references: readonly { readonly text: string; readonly start: number; readonly end: number }[];
}

/**
 * A backend that runs the cell's SQL itself, over its own copy of the trail (Trino, Athena):
 * nothing is stored locally, and the window becomes predicates the source writes into the
 * SQL (shown as "SQL as run").
 */
export interface RemoteSource {
  readonly label: string;
  readonly defaultWindow: string | undefined;
  execute(
    window: TimeWindow,
    sql: string,
    options: {
      signal?: AbortSignal;
      limit?: number;
      onProgress?: (progress: SourceProgress) => void;
      onRows?: (rows: CellValue[][], columns: readonly string[]) => void;
      cell?: RemoteCellContext;
    },
  ): Promise<RemoteResult>;
}

/** Every source a cell can run on. */
export type CellSource = EventSource | RemoteSource;

export const isRemoteSource = (source: CellSource): source is RemoteSource => 'execute' in source;
