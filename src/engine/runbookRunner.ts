// Runs the cells of a runbook in order against one source: windows chosen, references
// resolved from earlier cells' results, `expect=empty` judged, errors pinned to the line
// of the runbook they come from. Shared by the CLI and the extension.
import type { Runbook, RunbookCell } from '../runbook/types';
import { substitute } from '../runbook/substitute';
import type { EventSource, SourceProblem, SourceProgress } from './eventSource';
import type { EventStore } from './eventStore';
import { runQuery, type CellValue, QueryCancelled } from './query';
import { ALL_TIME, parseWindow, type TimeWindow } from './timeWindow';

export type CellStatus = 'ok' | 'finding' | 'error' | 'skipped';

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
  /** For `error` and `skipped`: what went wrong, and the 0-based runbook line it points at. */
  readonly error?: { readonly message: string; readonly line: number };
}

export interface RunbookRunOptions {
  readonly store: EventStore;
  readonly source: EventSource;
  readonly params?: Readonly<Record<string, string>>;
  /** Run only these cells, plus the earlier cells they reference. */
  readonly cellIds?: readonly string[];
  /** An explicit window for this run (CLI flag, or the user's choice) wins over the runbook's. */
  readonly window?: string;
  readonly limit?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (cell: RunbookCell, progress: SourceProgress) => void;
  readonly onCell?: (run: CellRun) => void;
  readonly now?: Date;
}

export class RunbookInputError extends Error {}

/** The cells to run: those asked for and, transitively, those they take values from. */
export function cellsToRun(runbook: Runbook, cellIds: readonly string[] | undefined): RunbookCell[] {
  if (!cellIds || cellIds.length === 0) return [...runbook.cells];
  const byId = new Map(runbook.cells.map((c) => [c.id, c]));
  const wanted = new Set<string>();
  const visit = (id: string): void => {
    const cell = byId.get(id);
    if (!cell) {
      throw new RunbookInputError(
        `no cell "${id}" in ${runbook.path}: its cells are ${runbook.cells.map((c) => c.id).join(', ') || '(none)'}`,
      );
    }
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const ref of cell.references) if (ref.kind === 'cell') visit(ref.cellId);
  };
  cellIds.forEach(visit);
  return runbook.cells.filter((c) => wanted.has(c.id));
}

/** Explicit choice, then the cell's, then the runbook's, then the source's default. */
export function chooseWindow(runbook: Runbook, cell: RunbookCell, source: EventSource, explicit: string | undefined, now: Date): TimeWindow {
  const spec = explicit ?? cell.window ?? runbook.window ?? source.defaultWindow;
  return spec === undefined ? ALL_TIME : parseWindow(spec, now);
}

/** Maps DuckDB's `LINE n:` (a line of the SQL as run) to the runbook line. */
export function sqlErrorLine(cell: RunbookCell, message: string): number {
  const line = /LINE (\d+):/.exec(message)?.[1];
  if (line === undefined) return cell.sqlStartLine;
  return Math.min(cell.sqlStartLine + Number(line) - 1, Math.max(cell.sqlStartLine, cell.endLine - 1));
}

function failed(cell: RunbookCell, status: 'error' | 'skipped', message: string, line: number, extra: Partial<CellRun> = {}): CellRun {
  return { cell, status, columns: [], rows: [], truncated: false, elapsedMs: 0, notes: [], problems: [], error: { message, line }, ...extra };
}

export async function runRunbook(runbook: Runbook, options: RunbookRunOptions): Promise<CellRun[]> {
  const now = options.now ?? new Date();
  const results = new Map<string, CellRun>();
  const runs: CellRun[] = [];
  const finish = (run: CellRun): void => {
    results.set(run.cell.id, run);
    runs.push(run);
    options.onCell?.(run);
  };

  for (const cell of cellsToRun(runbook, options.cellIds)) {
    const blocker = cell.references.find(
      (ref) => ref.kind === 'cell' && results.get(ref.cellId)?.status !== 'ok' && results.get(ref.cellId)?.status !== 'finding',
    );
    if (blocker && blocker.kind === 'cell') {
      finish(failed(cell, 'skipped', `not run: it uses {{${blocker.cellId}.${blocker.column}}} and cell "${blocker.cellId}" did not complete`, blocker.line));
      continue;
    }
    const started = Date.now();
    let window: TimeWindow;
    let sql: string;
    try {
      window = chooseWindow(runbook, cell, options.source, options.window, now);
      sql = substitute(cell, runbook, {
        params: options.params ?? {},
        cellResults: (id) => results.get(id),
      }).sql;
    } catch (error) {
      finish(failed(cell, 'error', (error as Error).message, (error as { line?: number }).line ?? cell.fenceLine));
      continue;
    }
    let prepared;
    try {
      prepared = await options.source.prepare(window, sql, {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (p) => options.onProgress?.(cell, p),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      finish(failed(cell, 'error', (error as Error).message, cell.fenceLine, { sql, window }));
      continue;
    }
    try {
      const result = await runQuery(options.store, prepared.scope, sql, {
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const finding = cell.expect === 'empty' && result.rows.length > 0;
      const unmet = cell.expect === 'rows' && result.rows.length === 0;
      finish({
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
      });
    } catch (error) {
      if (error instanceof QueryCancelled) throw error;
      const message = (error as Error).message;
      finish(failed(cell, 'error', `SQL error: ${message}`, sqlErrorLine(cell, message), {
        sql, window, notes: prepared.notes, problems: prepared.problems, elapsedMs: Date.now() - started,
      }));
    }
  }
  return runs;
}
