// The heavy half of the extension: DuckDB, the event stores and the AWS SDK. The host
// requires this bundle (out/runtime.js) on the first run or lint, never at activation; the
// SDK and the sample-trail generator are required in turn when first needed.
// Plain TypeScript: it knows nothing of VS Code, only of runbooks, sources and stores.
import { EventStore } from '../engine/eventStore';
import { buildEvidence, describeSource, gitInfo, renderEvidence } from '../app/evidence';
import { lintRunbook } from '../app/lintRunbook';
import { runQuery, type CellValue } from '../engine/query';
import { KeptResults } from '../app/keptResults';
import { exportChunks, type RowsFormat } from '../app/rowsExport';
import { writeChunksAtomic } from '../app/writeAtomic';
import type { KeptHostMessage, KeptRequest } from '../protocol/keptResult';
import { sqlLiteral } from '../runbook/sqlLiteral';
import { cellsToRun, runRunbook, type CellRun } from '../app/runbookRunner';
import { checkSql, openSqlChecker } from '../engine/sqlCheck';
import type { TimeWindow } from '../engine/timeWindow';
import { parseRunbook } from '../runbook/parse';
import type { Runbook, RunbookCell, RunbookProblem } from '../runbook/types';
import { SourcePool, targetKey, type OpenedSource } from '../app/openSource';
import { CellCheckCache } from './cellCheckCache';
import { targetFor, type LookupTarget, type RunTarget, type RunTargets } from './runTarget';

export interface RuntimeRunRequest {
  readonly runbookText: string;
  readonly runbookPath: string;
  /** Empty: every cell. Otherwise these cells and the cells they take values from. */
  readonly cellIds: readonly string[];
  readonly targets: RunTargets;
  readonly params: Readonly<Record<string, string>>;
  readonly limit: number;
  readonly signal: AbortSignal;
  readonly mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Athena: asked before a query whose cost bound is above trailbook.athena.maxScanBytes. */
  readonly confirmScan?: (bound: { readonly bytes: number; readonly objects: number }, limitBytes: number) => Promise<boolean>;
  readonly onCellStart: (cell: RunbookCell, window: TimeWindow, target: RunTarget) => void;
  readonly onProgress: (cell: RunbookCell, message: string, elapsedMs: number) => void;
  readonly onRows: (cell: RunbookCell, rows: CellValue[][], columns: readonly string[]) => void;
  /** The rows given so far were provisional (LookupEvents still paging) and are replaced by what follows. */
  readonly onRowsReset: (cell: RunbookCell) => void;
  readonly onCell: (run: CellRun) => void;
  /**
   * A cell answered before its cache was written (CellRun.answeredFirst), once the cache is:
   * the stored events' scope, the whole scan's notes and problems, or its failure when nothing
   * in the logs could be read. `changed`: what it says differs from the answer.
   */
  readonly onCellAmended: (run: CellRun, changed: boolean) => void;
}

/** What the editor keeps of a finished run, for its evidence report. */
export interface RecordedRun {
  readonly runbookPath: string;
  /** The runbook's text as it ran (unsaved edits included). */
  readonly runbookText: string;
  readonly runs: readonly CellRun[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly params: Readonly<Record<string, string>>;
  readonly cellIds: readonly string[];
  readonly target: RunTarget;
}

export interface Runtime {
  run(request: RuntimeRunRequest): Promise<CellRun[]>;
  /**
   * The runbook's own problems and every cell's SQL checked against the schema. Cells whose
   * SQL was checked before are not checked again; once `signal` aborts, the lint stops at
   * its next unchecked cell and rejects. `runbook`: the text already parsed (the editor
   * has it; parsing 10,000 cells twice per pause in typing would be wasted).
   */
  lint(text: string, path: string, options?: { readonly signal?: AbortSignal; readonly runbook?: Runbook }): Promise<RunbookProblem[]>;
  /** Every column of one event a cell's query saw, by eventID; undefined when it is not there. */
  wholeEvent(run: CellRun, eventId: string): Promise<{ [column: string]: CellValue } | undefined>;
  /**
   * Keeps the whole result of a cell that had more rows than the row limit, for the results
   * view to ask for bins, marks and pages (src/protocol/keptResult.ts); undefined when its
   * source keeps no events here (Athena, Trino: the row limit then stands, and the view says so).
   */
  keepResult(runId: string, run: CellRun): Promise<KeptHostMessage | undefined>;
  /** The answer to the view's request about a kept result. */
  answerKept(request: KeptRequest): Promise<KeptHostMessage>;
  /**
   * Writes the whole result kept for `runId` to `path` (CSV, JSON or NDJSON), streamed from
   * DuckDB and renamed into place once complete; the rows written, undefined when none is kept.
   */
  exportKept(runId: string, format: RowsFormat, path: string): Promise<number | undefined>;
  /** How many rows the result kept for `runId` holds; undefined when none is kept (any more). */
  keptRowCount(runId: string): number | undefined;
  /** The evidence report of a run (docs/evidence.md), as Markdown or JSON text. */
  evidence(run: RecordedRun, format: 'json' | 'markdown'): Promise<string>;
  /** The account a LookupEvents target's credentials act in (STS GetCallerIdentity): for a response action's confirmation. */
  awsAccount(target: LookupTarget, mfaCodeProvider?: (mfaSerial: string) => Promise<string>): Promise<string>;
  /**
   * The generated sample trail (attacks injected), created on first use: its folder, its span,
   * and the sample organisation's answers to the environment parameters.
   */
  sampleTrail(
    onGenerate: () => void,
  ): Promise<{ readonly logsPath: string; readonly window: string; readonly params: Readonly<Record<string, string>> }>;
  dispose(): void;
}

class ExtensionRuntime implements Runtime {
  /** The stores and AWS sessions, kept for the life of the extension. */
  private readonly sources: SourcePool;
  /** Runs on one store take turns, so two cells never ingest the same files at once. */
  private readonly turns = new Map<string, Promise<unknown>>();
  private checker: Promise<Awaited<ReturnType<typeof openSqlChecker>>> | undefined;
  /** Lints share one DuckDB connection: they take turns (an aborted one gives its turn up at once). */
  private lintTurn: Promise<unknown> = Promise.resolve();
  private readonly cellChecks = new CellCheckCache(async (sql) => checkSql((await this.checker!).connection, sql));
  /** Which store each finished cell read, for a later look at one of its events. */
  private readonly storeOf = new WeakMap<CellRun, EventStore>();
  /**
   * A cell answered before its cache was written, to the same run once the cache is (or
   * undefined when it never was): its own scope held the cell's columns only, and is gone.
   */
  private readonly settled = new WeakMap<CellRun, Promise<CellRun | undefined>>();
  /** The folders a run is reading now, and whether it is writing their cache after an answer: a run that must wait says so. */
  private readonly busy = new Map<string, 'running' | 'writing the cache'>();
  /** Whole results of the latest large runs, for the results view. */
  private readonly kept = new KeptResults();

  constructor(private readonly cacheDir: string) {
    this.sources = new SourcePool(cacheDir);
  }

  async run(request: RuntimeRunRequest): Promise<CellRun[]> {
    const runbook = parseRunbook(request.runbookText, request.runbookPath);
    const cells = cellsToRun(runbook, request.cellIds);
    if (cells.length === 0) return [];
    // Resolve every cell's source before anything runs: a missing log folder is one
    // message, not a half-run runbook.
    const targets = new Map(cells.map((cell) => [cell.id, targetFor(request.targets, runbook, cell)]));
    const distinct = new Map([...targets.values()].map((t) => [targetKey(t), t]));
    const prepared = new Map<string, OpenedSource>();
    for (const [key, target] of distinct) {
      prepared.set(
        key,
        await this.sources.open(target, {
          // A cold scan's cell is answered from the logs, then the cache is written behind it
          // (the figures: docs/local-logs.md); looks at its events wait for the cache (wholeEvent).
          answerFirst: true,
          ...(request.mfaCodeProvider ? { mfaCodeProvider: request.mfaCodeProvider } : {}),
          ...(request.confirmScan ? { confirmScan: request.confirmScan } : {}),
        }),
      );
    }
    const folders = [...new Set([...prepared.values()].map((p) => p.folder ?? ''))];
    // Another run on the same logs goes first (often the cache write after an answer): say
    // what this one waits for rather than "Starting…".
    const before = folders.map((f) => this.busy.get(f)).filter((doing) => doing !== undefined);
    if (before.length > 0) {
      const waiting = before.includes('writing the cache')
        ? 'waiting for the run before to finish writing the cache of these logs'
        : 'waiting for the run before on these logs to finish';
      for (const cell of cells) request.onProgress(cell, waiting, 0);
    }
    const storeOf = (run: CellRun): EventStore => prepared.get(targetKey(targets.get(run.cell.id)!))!.store;
    const answered = new Map<string, (settled: CellRun | undefined) => void>();
    return this.inTurn(folders, () =>
      runRunbook(runbook, {
        store: prepared.values().next().value!.store,
        source: prepared.values().next().value!.source,
        sourceFor: (cell) => prepared.get(targetKey(targets.get(cell.id)!))!,
        params: request.params,
        cellIds: request.cellIds,
        ...(request.targets.defaultWindow ? { defaultWindow: request.targets.defaultWindow } : {}),
        ...(request.targets.investigationWindow ? { window: request.targets.investigationWindow } : {}),
        limit: request.limit,
        // The view pages through a result over the limit: the query runs once, into the kept table.
        keepBeyondLimit: true,
        signal: request.signal,
        onCellStart: (cell, window) => request.onCellStart(cell, window, targets.get(cell.id)!),
        onProgress: (cell, progress) => request.onProgress(cell, progress.message, progress.elapsedMs),
        onRows: request.onRows,
        onRowsReset: request.onRowsReset,
        onCell: (run) => {
          this.storeOf.set(run, storeOf(run));
          if (run.answeredFirst) {
            this.settled.set(run, new Promise((resolve) => answered.set(run.cell.id, resolve)));
            for (const folder of folders) this.busy.set(folder, 'writing the cache');
          }
          request.onCell(run);
        },
        onCellAmended: (run, changed) => {
          this.storeOf.set(run, storeOf(run));
          answered.get(run.cell.id)?.(run);
          answered.delete(run.cell.id);
          request.onCellAmended(run, changed);
        },
        // "Run all" stops at the first error, as a person reading top to bottom would.
        stopOnError: request.cellIds.length === 0,
      }).finally(() => {
        // Stopped or failed before the cache was written: those answers' events are gone.
        for (const settle of answered.values()) settle(undefined);
      }),
    );
  }

  private inTurn<T>(folders: readonly string[], work: () => Promise<T>): Promise<T> {
    const before = Promise.all(folders.map((f) => this.turns.get(f)?.catch(() => undefined)));
    const mine = before.then(() => {
      for (const folder of folders) this.busy.set(folder, 'running');
      return work();
    });
    for (const folder of folders) this.turns.set(folder, mine);
    void mine
      .catch(() => undefined)
      .then(() => {
        for (const folder of folders) if (this.turns.get(folder) === mine) this.busy.delete(folder);
      });
    return mine;
  }

  lint(text: string, path: string, options: { readonly signal?: AbortSignal; readonly runbook?: Runbook } = {}): Promise<RunbookProblem[]> {
    this.checker ??= openSqlChecker();
    const { signal } = options;
    const result = this.lintTurn.then(() => {
      signal?.throwIfAborted();
      return lintRunbook(options.runbook ?? parseRunbook(text, path), this.cellChecks.checker(signal));
    });
    this.lintTurn = result.catch(() => undefined);
    return result;
  }

  async wholeEvent(answer: CellRun, eventId: string): Promise<{ [column: string]: CellValue } | undefined> {
    // An answer that came before the cache was written is read once the cache is.
    const run = answer.answeredFirst ? await this.settled.get(answer) : answer;
    if (run === undefined)
      throw new Error(
        `the events of ${answer.cell.id} were read before their cache was written, and the run stopped before writing it: run the cell again to look at one`,
      );
    const store = this.storeOf.get(run);
    if (!store || !run.scope) return undefined;
    const result = await runQuery(store, run.scope, `SELECT * FROM cloudtrail_logs WHERE eventID = ${sqlLiteral(eventId)} LIMIT 1`);
    const row = result.rows[0];
    return row && Object.fromEntries(result.columns.map((column, i) => [column, row[i] ?? null]));
  }

  async keepResult(runId: string, run: CellRun): Promise<KeptHostMessage | undefined> {
    if (run.kept === undefined) return undefined;
    try {
      await run.kept.summarize();
    } catch (error) {
      run.kept.close();
      throw error;
    }
    return this.kept.keep(runId, run.kept);
  }

  answerKept(request: KeptRequest): Promise<KeptHostMessage> {
    return this.kept.answer(request);
  }

  keptRowCount(runId: string): number | undefined {
    return this.kept.get(runId)?.rowCount;
  }

  async exportKept(runId: string, format: RowsFormat, path: string): Promise<number | undefined> {
    const result = this.kept.get(runId);
    if (result === undefined) return undefined;
    await writeChunksAtomic(
      path,
      exportChunks(
        format,
        result.columns.map((column) => column.shown),
        result.chunks(),
      ),
    );
    return result.rowCount;
  }

  async evidence(run: RecordedRun, format: 'json' | 'markdown'): Promise<string> {
    const report = buildEvidence({
      runbookPath: run.runbookPath,
      runbookText: run.runbookText,
      runbook: parseRunbook(run.runbookText, run.runbookPath),
      runs: run.runs,
      source: describeSource(run.target.kind === 'local' ? { kind: 'local', logs: run.target.logsPath } : { ...run.target }),
      git: await gitInfo(run.runbookPath),
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      params: run.params,
      cellIds: run.cellIds,
      generator: 'trailbook (VS Code)',
    });
    return renderEvidence(report, format);
  }

  async awsAccount(target: LookupTarget, mfaCodeProvider?: (mfaSerial: string) => Promise<string>): Promise<string> {
    // Required here, not imported: a run on local logs never evaluates the AWS SDK (out/packages/awsSdk.js).
    const { resolveAccount } = require('../sources/aws/awsSession') as typeof import('../sources/aws/awsSession');
    const identity = await resolveAccount({
      ...(target.profile ? { profile: target.profile } : {}),
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.regions[0] ? { region: target.regions[0] } : {}),
      ...(mfaCodeProvider ? { mfaCodeProvider } : {}),
    });
    return identity.account;
  }

  async sampleTrail(onGenerate: () => void): Promise<{ logsPath: string; window: string; params: Record<string, string> }> {
    // Required here, not imported: the generator (src/testbed/loggen, ~60 modules) is for the
    // sample investigation only, and evaluating it cost every first run or lint.
    const { DEMO_WINDOW, ensureDemoTrail } = require('../testbed/loggen/demoTrail') as typeof import('../testbed/loggen/demoTrail');
    const { organisationParams } = require('../testbed/loggen/orgParams') as typeof import('../testbed/loggen/orgParams');
    return { logsPath: await ensureDemoTrail(this.cacheDir, onGenerate), window: DEMO_WINDOW, params: organisationParams() };
  }

  dispose(): void {
    this.kept.clear();
    void this.sources.close();
    void this.checker?.then(
      (c) => c.close(),
      () => undefined,
    );
  }
}

export function createRuntime(options: { cacheDir: string }): Runtime {
  return new ExtensionRuntime(options.cacheDir);
}
