// Runs the cells of a runbook in order against one source: windows chosen, references
// resolved from earlier cells' results, `expect=empty` judged, errors pinned to the line
// of the runbook they come from. Shared by the CLI and the extension.
import type { Runbook, RunbookCell } from '../runbook/types';
import { notConfiguredText, substitute, unsetParams } from '../runbook/substitute';
import { cellsToRun } from '../runbook/cellsToRun';
import {
  isRemoteSource,
  type CellSource,
  type EngineScan,
  type RemoteSource,
  type SourceProblem,
  type SourceProgress,
} from '../engine/eventSource';
import type { EventStore } from '../engine/eventStore';
import { ProvisionalRows } from './provisionalRows';
import { runQuery, type CellValue, type QueryResult, type QueryScope } from '../engine/query';
import { KeptResult } from '../engine/keptResult';
import { runOnceCacheWritten } from './cacheWrittenRun';
import { Cancelled, isCancelled } from '../protocol/cancelled';
import { errorKindOf, type ErrorKind } from '../engine/errorKind';
import { ALL_TIME, parseWindow, type TimeWindow } from '../engine/timeWindow';
import { chooseWindowSpec } from './windowChoice';
import { readableEngineMessage } from '../engine/sqlErrorPlace';

/**
 * `unconfigured`: the cell uses a parameter that describes the reader's environment (one with
 * no default: their address ranges, buckets, office hours) and none was given, or it takes
 * values from a cell that is so. Not a finding, not a pass, not a failure: nothing was judged.
 */
export type CellStatus = 'ok' | 'finding' | 'error' | 'skipped' | 'unconfigured';

export interface CellRun {
  readonly cell: RunbookCell;
  readonly status: CellStatus;
  /** The SQL as run, after substitution. */
  readonly sql?: string;
  readonly window?: TimeWindow;
  readonly columns: string[];
  readonly rows: CellValue[][];
  readonly truncated: boolean;
  readonly elapsedMs: number;
  readonly notes: readonly string[];
  readonly problems: readonly SourceProblem[];
  /** The AWS account the cell's events came from (LookupEvents), when the source knows it; several, comma-separated. */
  readonly account?: string;
  /** The source read only some of what it was asked (an account of several failed): what is missing, in one line. */
  readonly partial?: string;
  /**
   * For `error`, `skipped` and `unconfigured`: what went wrong (or which parameters to set), the 0-based runbook line it points at, and
   * the kind of failure when one known step fixes it (a face offers that step).
   */
  readonly error?: { readonly message: string; readonly line: number; readonly kind?: ErrorKind };
  /** The events the cell's query saw: what a later look at one whole event reads. */
  readonly scope?: QueryScope;
  /**
   * Given to onCell before the cache was written (a cold scan answered first): its scope is
   * the narrow read's, with the cell's columns only, and is gone once the cache is written.
   * onCellAmended gives the run again with the stored events' scope (or the run rejects).
   */
  readonly answeredFirst?: true;
  /** The source read no event at all (every file or record refused): the cell failed, judging nothing. */
  readonly nothingRead?: true;
  /** What the query read and cost on an engine that bills by bytes scanned (Athena), with its query id. */
  readonly scan?: EngineScan;
  /**
   * The whole result, kept in DuckDB, when the rows passed the limit and the run asked for it
   * (`keepBeyondLimit`): whoever receives the run in onCell owns it and closes it.
   */
  readonly kept?: KeptResult;
}

export interface RunbookRunOptions {
  readonly store: EventStore;
  readonly source: CellSource;
  readonly params?: Readonly<Record<string, string>>;
  /** Run only these cells, plus the earlier cells they reference. */
  readonly cellIds?: readonly string[] | undefined;
  /**
   * The run's explicit window (a CLI flag, the editor's investigation window): wins over the
   * runbook's and a cell's relative window; a cell anchored to instants (a pivot) keeps its own.
   */
  readonly window?: string;
  /** The user's default (an editor setting): used when neither the cell nor the runbook names one. */
  readonly defaultWindow?: string;
  /** Where a cell runs, when cells of one runbook may name different sources (`source=`); else `source`/`store`. */
  readonly sourceFor?: (cell: RunbookCell) => { readonly source: CellSource; readonly store: EventStore };
  readonly limit?: number;
  /**
   * With `limit`: a cell on the store runs once into a table of its whole result, the first
   * `limit` rows are its answer, and the table stays (CellRun.kept) when there were more
   * (the editor's results view pages through it). Remote engines keep the limit alone.
   */
  readonly keepBeyondLimit?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (cell: RunbookCell, progress: SourceProgress) => void;
  readonly onCell?: (run: CellRun) => void;
  /**
   * A cell given to onCell before the cache was written (answered first), given again once it
   * is: the stored events' scope (later looks at its events read it), the notes and problems
   * of the whole scan, or a failure when nothing could be read. `changed`: what it says
   * differs from what onCell was given.
   */
  readonly onCellAmended?: (run: CellRun, changed: boolean) => void;
  /** A cell's window is chosen and its source is about to prepare. */
  readonly onCellStart?: (cell: RunbookCell, window: TimeWindow) => void;
  /** Rows as DuckDB produces them, before the cell finishes (the editor shows them as they come). */
  readonly onRows?: (cell: RunbookCell, rows: CellValue[][], columns: readonly string[]) => void;
  /**
   * With onRows: the rows given so far were provisional (the query over the events a source
   * had fetched so far) and are replaced by the rows that follow.
   */
  readonly onRowsReset?: (cell: RunbookCell) => void;
  readonly now?: Date;
  /** After a cell fails, the rest are skipped (the editor's "Run all"); otherwise only the cells that use it. */
  readonly stopOnError?: boolean;
}

export { RunbookInputError, cellsToRun } from '../runbook/cellsToRun';

/**
 * A run's verdict as an exit status, the same for `trailbook run` and `trailbook test`:
 * 2 a cell could not run (error, or skipped because of one) or read only some of its accounts, 1 a finding, 3 nothing found
 * but a cell was not configured (its parameters are unset: neither a finding nor a pass),
 * 0 every expectation holds. A finding outranks "not configured": it is what needs a person.
 */
export function runExitCode(runs: readonly CellRun[]): 0 | 1 | 2 | 3 {
  // A cell that read some accounts but not all judged only those: not a pass, whatever its rows.
  if (runs.some((r) => r.status === 'error' || r.status === 'skipped' || r.partial !== undefined)) return 2;
  if (runs.some((r) => r.status === 'finding')) return 1;
  if (runs.some((r) => r.status === 'unconfigured')) return 3;
  return 0;
}

/** The window a cell runs over: the table in src/app/windowChoice.ts (the run's explicit window, the cell's, the runbook's, the user's default, the source's). */
export function chooseWindow(
  runbook: Runbook,
  cell: RunbookCell,
  source: CellSource,
  explicit: string | undefined,
  now: Date,
  userDefault?: string,
): TimeWindow {
  const { spec, origin } = chooseWindowSpec({
    explicit,
    cell: cell.window,
    runbook: runbook.window,
    userDefault,
    sourceDefault: source.defaultWindow,
  });
  // ALL_TIME itself, not a copy: local logs know it by identity (no window to apply).
  return spec === undefined ? ALL_TIME : { ...parseWindow(spec, now), origin };
}

/** Maps DuckDB's `LINE n:` (a line of the SQL as run) to the runbook line. */
export function sqlErrorLine(cell: RunbookCell, message: string): number {
  const line = /LINE (\d+):/.exec(message)?.[1];
  if (line === undefined) return cell.sqlStartLine;
  return Math.min(cell.sqlStartLine + Number(line) - 1, Math.max(cell.sqlStartLine, cell.endLine - 1));
}

function failed(
  cell: RunbookCell,
  status: 'error' | 'skipped' | 'unconfigured',
  message: string,
  line: number,
  extra: Partial<CellRun> = {},
  kind?: ErrorKind,
): CellRun {
  return {
    cell,
    status,
    columns: [],
    rows: [],
    truncated: false,
    elapsedMs: 0,
    notes: [],
    problems: [],
    ...extra,
    error: { message, line, ...(kind ? { kind } : {}) },
  };
}

export async function runRunbook(runbook: Runbook, options: RunbookRunOptions): Promise<CellRun[]> {
  const now = options.now ?? new Date();
  const results = new Map<string, CellRun>();
  const runs: CellRun[] = [];
  /** Returns the run's index in `runs`. */
  const finish = (run: CellRun): number => {
    if (run.status === 'error') failedCell ??= run.cell;
    results.set(run.cell.id, run);
    runs.push(run);
    options.onCell?.(run);
    return runs.length - 1;
  };

  let failedCell: RunbookCell | undefined;
  const toRun = cellsToRun(runbook, options.cellIds);
  for (const [index, cell] of toRun.entries()) {
    if (failedCell && options.stopOnError) {
      finish(
        failed(
          cell,
          'skipped',
          `not run: cell "${failedCell.id}" above failed, and a run of all cells stops at the first error`,
          cell.fenceLine,
        ),
      );
      continue;
    }
    // Its own parameters and those of the cells it takes values from: a pivot of a detection
    // that is not configured is not configured either (not "skipped", which is a failure).
    const unset = [...new Set(cellsToRun(runbook, [cell.id]).flatMap((c) => unsetParams(c, runbook, options.params ?? {})))];
    if (unset.length > 0) {
      const own = cell.references.find((ref) => ref.kind === 'param' && unset.includes(ref.name));
      const via = cell.references.find((ref) => ref.kind === 'cell');
      finish(failed(cell, 'unconfigured', notConfiguredText(unset), (own ?? via)?.line ?? cell.fenceLine));
      continue;
    }
    const blocker = cell.references.find(
      (ref) => ref.kind === 'cell' && results.get(ref.cellId)?.status !== 'ok' && results.get(ref.cellId)?.status !== 'finding',
    );
    if (blocker && blocker.kind === 'cell') {
      finish(
        failed(
          cell,
          'skipped',
          `not run: it uses {{${blocker.cellId}.${blocker.column}}} and cell "${blocker.cellId}" did not complete`,
          blocker.line,
        ),
      );
      continue;
    }
    const started = Date.now();
    const { source, store } = options.sourceFor?.(cell) ?? options;
    let window: TimeWindow;
    let sql: string;
    try {
      window = chooseWindow(runbook, cell, source, options.window, now, options.defaultWindow);
      sql = substitute(cell, runbook, {
        params: options.params ?? {},
        cellResults: (id) => results.get(id),
      }).sql;
    } catch (error) {
      finish(failed(cell, 'error', (error as Error).message, (error as { line?: number }).line ?? cell.fenceLine));
      continue;
    }
    options.onCellStart?.(cell, window);
    if (isRemoteSource(source)) {
      finish(await runRemotely(runbook, cell, source, window, sql, started, options));
      continue;
    }
    const { onRows, onRowsReset } = options;
    const provisional =
      onRows && onRowsReset
        ? new ProvisionalRows(store, sql, {
            ...(options.limit !== undefined ? { limit: options.limit } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            onReset: () => onRowsReset(cell),
            onRows: (rows, columns) => onRows(cell, rows, columns),
          })
        : undefined;
    let prepared;
    try {
      prepared = await source.prepare(window, sql, {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (p) => options.onProgress?.(cell, p),
        ...(provisional ? { onPartial: (scope: QueryScope) => provisional.offer(scope) } : {}),
        lastOnSource: !toRun.slice(index + 1).some((later) => (options.sourceFor?.(later) ?? options).source === source),
      });
    } catch (error) {
      if ((await provisional?.settle()) === true) onRowsReset!(cell);
      if (options.signal?.aborted) throw error;
      finish(failed(cell, 'error', (error as Error).message, cell.fenceLine, { sql, window }, errorKindOf(error)));
      continue;
    }
    if ((await provisional?.settle()) === true) onRowsReset!(cell);
    if (prepared.nothingRead !== undefined) {
      // "0 rows" over logs none of which could be read would pass a detection: it fails instead.
      finish(
        failed(
          cell,
          'error',
          prepared.nothingRead,
          cell.fenceLine,
          {
            sql,
            window,
            notes: prepared.notes,
            problems: prepared.problems,
            elapsedMs: Date.now() - started,
            nothingRead: true,
          },
          { kind: 'noLogs' },
        ),
      );
      continue;
    }
    let answeredAt: number | undefined;
    try {
      const queryOptions = {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onRows ? { onRows: (rows: CellValue[][], columns: readonly string[]) => options.onRows!(cell, rows, columns) } : {}),
      };
      let result: QueryResult;
      let kept: KeptResult | undefined;
      if (options.keepBeyondLimit === true && options.limit !== undefined) {
        ({ result, kept } = await KeptResult.run(store, prepared.scope, sql, { ...queryOptions, limit: options.limit }));
      } else {
        result = await runQuery(store, prepared.scope, sql, {
          ...queryOptions,
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
        });
      }
      const finding = cell.expect === 'empty' && result.rows.length > 0;
      const unmet = cell.expect === 'rows' && result.rows.length === 0;
      answeredAt = finish({
        cell,
        status: finding || unmet ? 'finding' : 'ok',
        sql,
        window,
        columns: result.columns,
        rows: result.rows,
        truncated: result.truncated,
        elapsedMs: Date.now() - started,
        notes: prepared.notes,
        problems: prepared.problems,
        ...(prepared.account !== undefined ? { account: prepared.account } : {}),
        ...(prepared.partial !== undefined ? { partial: prepared.partial } : {}),
        scope: prepared.scope,
        ...(prepared.writeCache ? { answeredFirst: true as const } : {}),
        ...(kept !== undefined ? { kept } : {}),
      });
    } catch (error) {
      if (isCancelled(error)) throw error;
      const message = (error as Error).message;
      answeredAt = finish(
        failed(cell, 'error', `SQL error: ${readableEngineMessage(message)}`, sqlErrorLine(cell, message), {
          sql,
          window,
          notes: prepared.notes,
          problems: prepared.problems,
          elapsedMs: Date.now() - started,
          ...(prepared.account !== undefined ? { account: prepared.account } : {}),
        }),
      );
    }
    // Answered before the cache was written (a cold scan): the answer is out, so the cache
    // is written now (a failure to write it ends the run, said), and the run keeps the scope
    // of the stored events for later looks at them, with what the whole scan found.
    if (prepared.writeCache) {
      const stored = await prepared.writeCache();
      const answeredRun = answeredAt === undefined ? undefined : runs[answeredAt];
      if (answeredAt !== undefined && answeredRun !== undefined) {
        const { run, changed } = runOnceCacheWritten(answeredRun, stored);
        runs[answeredAt] = run;
        results.set(cell.id, run);
        if (run.status === 'error') failedCell ??= cell;
        options.onCellAmended?.(run, changed);
      }
    }
  }
  return runs;
}

/** A cell on an engine that runs the SQL itself (Trino, Athena): no store, the rows as they come. */
async function runRemotely(
  runbook: Runbook,
  cell: RunbookCell,
  source: RemoteSource,
  window: TimeWindow,
  sql: string,
  started: number,
  options: RunbookRunOptions,
): Promise<CellRun> {
  try {
    const result = await source.execute(window, sql, {
      cell: { runbook: runbook.path, cell: cell.id, template: cell.sql, references: cell.references },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      onProgress: (p) => options.onProgress?.(cell, p),
      ...(options.onRows ? { onRows: (rows: CellValue[][], columns: readonly string[]) => options.onRows!(cell, rows, columns) } : {}),
    });
    const finding = (cell.expect === 'empty' && result.rows.length > 0) || (cell.expect === 'rows' && result.rows.length === 0);
    return {
      cell,
      status: finding ? 'finding' : 'ok',
      sql: result.sqlAsRun,
      window,
      columns: result.columns,
      rows: result.rows,
      truncated: result.truncated,
      elapsedMs: Date.now() - started,
      notes: result.notes,
      problems: [],
      ...(result.scan ? { scan: result.scan } : {}),
    };
  } catch (error) {
    if (options.signal?.aborted) throw isCancelled(error) ? error : new Cancelled({ cause: error });
    const message = (error as Error).message;
    return failed(
      cell,
      'error',
      message,
      sqlErrorLine(cell, message),
      { sql, window, elapsedMs: Date.now() - started },
      errorKindOf(error),
    );
  }
}
