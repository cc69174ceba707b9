// Runs cells of the runbook open in the editor: asks for parameters, hands the cells to
// the runtime, and keeps what the CodeLenses and summaries show. One for the extension.
import * as vscode from 'vscode';
import type { HostMessage } from '../protocol/results';
import { cellsToRun, paramsUsed, RunbookInputError } from '../runbook/cellsToRun';
import type { RunbookCell } from '../runbook/types';
import { askMfaCode, type ParamPrompt } from './paramPrompt';
import { outlineOf, runbookOf } from './runbookDocuments';
import { errorKindOf } from '../engine/errorKind';
import { showRunError } from './runErrors';
import { RunSession, outcomeOf, withoutKept, type FinishedCell, type RunningCell } from './runSession';
import type { RuntimeLoader } from './runtimeLoader';
import type { RecordedRun } from './runtime';
import { ranWindowCaption } from './investigationWindow';
import type { CellRun } from '../app/runbookRunner';
import { runTargets, targetFor, targetLabel, TargetError, withTrinoCredential, type RunTarget, type RunTargets } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import type { TrinoCredentials } from './trinoCredentials';
import { confirmAthenaScan } from './athenaSetup';
import { ATHENA_DEFAULT_PRICE_PER_TB } from '../sources/athena/defaults';
import type { TrustGate } from './workspaceTrust';

/** A file's path; a bundled runbook's `trailbook-bundled:/name.md`, never the install folder (evidence records it). */
function runbookPathOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export interface RunPorts {
  readonly settings: RunSettings;
  readonly runtime: RuntimeLoader;
  readonly params: ParamPrompt;
  readonly post: (message: HostMessage) => void;
  readonly trust: TrustGate;
  /** The Trino password or token, read only when a cell runs on Trino. */
  readonly trinoCredentials: Pick<TrinoCredentials, 'get'>;
  /** Each cell run as it finishes, for the active investigation's record. */
  readonly onCellRun?: (ran: RanCell) => void;
}

/** A finished cell run and where it ran, as the investigation record writes it. */
export interface RanCell {
  readonly run: CellRun;
  /** The runbook as the workspace names it. */
  readonly runbook: string;
  readonly runbookText: string;
  /** Where it ran and over which window, as the results view says it. */
  readonly source: string;
}

/** Progress notifications only for runs that take a while: a quick cell should not flash one. */
const NOTIFY_AFTER_MS = 1500;
const LENS_REFRESH_MS = 5000;

export class RunController implements vscode.Disposable {
  private readonly sessions = new Set<RunSession>();
  private readonly finished = new Map<string, Map<string, FinishedCell>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private nextRunId = 1;
  private lastRefresh = 0;
  /** Each runbook's last finished run, whole, for its evidence report. */
  private readonly recorded = new Map<string, RecordedRun>();
  /** Which cell of which runbook each run id belongs to, for the results view's buttons. */
  private readonly runCells = new Map<string, { uri: string; cellId: string; line: number }>();

  constructor(private readonly ports: RunPorts) {}

  running(uri: vscode.Uri, cellId: string): RunningCell | undefined {
    for (const session of this.sessions)
      if (session.uri === uri.toString() && session.running.has(cellId)) return session.running.get(cellId);
    return undefined;
  }

  lastRun(uri: string, cellId: string): FinishedCell | undefined {
    return this.finished.get(uri)?.get(cellId);
  }

  finishedCells(uri: vscode.Uri): ReadonlyMap<string, FinishedCell> {
    return this.finished.get(uri.toString()) ?? new Map();
  }

  /** The latest result of every cell run in this session, in every runbook. */
  allFinished(): { readonly cellId: string; readonly finished: FinishedCell }[] {
    return [...this.finished.values()].flatMap((cells) => [...cells].map(([cellId, finished]) => ({ cellId, finished })));
  }

  /** Forget a cell's result (its block changed, so its summary no longer describes it). */
  forget(uri: vscode.Uri, cellId: string): void {
    this.finished.get(uri.toString())?.delete(cellId);
  }

  cancel(uri: vscode.Uri, cellId?: string): void {
    for (const session of this.sessions) {
      if (session.uri === uri.toString() && (cellId === undefined || session.running.has(cellId))) session.controller.abort();
    }
  }

  cancelRun(runId: string): void {
    for (const session of this.sessions) {
      for (const state of session.running.values()) if (state.runId === runId) session.controller.abort();
    }
  }

  lastRecorded(uri: vscode.Uri): RecordedRun | undefined {
    return this.recorded.get(uri.toString());
  }

  /** The run's cell and, while it is that cell's latest run, its rows. */
  findRun(runId: string): { uri: string; cellId: string; finished?: FinishedCell } | undefined {
    const place = this.runCells.get(runId);
    if (!place) return undefined;
    const latest = this.lastRun(place.uri, place.cellId);
    return { uri: place.uri, cellId: place.cellId, ...(latest?.runId === runId ? { finished: latest } : {}) };
  }

  /** Puts the cursor on the fence of the cell a run belongs to. */
  async revealCell(runId: string): Promise<void> {
    const place = this.runCells.get(runId);
    if (!place) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(place.uri));
    const cell = outlineOf(document).cells.find((c) => c.id === place.cellId);
    const position = new vscode.Position(cell?.fenceLine ?? place.line, 0);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
  }

  /** Runs the cells (every cell when `cellIds` is empty); resolves when the run has ended. */
  async run(document: vscode.TextDocument, cellIds: readonly string[]): Promise<void> {
    // Every way to run (lens, command, pivot, another extension) comes through here.
    if (!this.ports.trust.trusted) return this.ports.trust.refuse('run queries');
    const runbook = runbookOf(document);
    const name = vscode.workspace.asRelativePath(document.uri);
    const errors = runbook.problems.filter((p) => p.severity === 'error');
    const [first] = errors;
    if (first !== undefined) {
      return showRunError(
        `${name} has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`} to fix before it runs (see Problems); line ${first.line + 1}: ${first.message}`,
        undefined,
      );
    }
    let cells: RunbookCell[];
    let targets: RunTargets;
    let onTrino: boolean;
    try {
      cells = cellsToRun(runbook, cellIds);
      targets = runTargets(this.ports.settings.current(), process.env, workspaceRoot());
      onTrino = cells.map((cell) => targetFor(targets, runbook, cell)).some((target) => target.kind === 'trino');
    } catch (error) {
      if (error instanceof RunbookInputError || error instanceof TargetError) return showRunError(error.message, errorKindOf(error));
      throw error;
    }
    if (cells.length === 0) return;
    const busy = cells.find((cell) => this.running(document.uri, cell.id));
    if (busy) return void vscode.window.showInformationMessage(`Cell ${busy.id} is already running: cancel it first, or wait for it.`);
    const params = await this.ports.params.ask(runbook, paramsUsed(runbook, cells));
    if (!params) return;
    let withSecret: RunTargets;
    try {
      withSecret = await this.credentialed(targets, onTrino);
    } catch (error) {
      return showRunError((error as Error).message, errorKindOf(error));
    }

    const session = new RunSession(
      document.uri.toString(),
      name,
      cells,
      () => String(this.nextRunId++),
      this.ports.post,
      (cell, finished) => {
        let perDocument = this.finished.get(session.uri);
        if (!perDocument) this.finished.set(session.uri, (perDocument = new Map()));
        perDocument.set(cell.id, finished);
        this.changed.fire(document.uri);
      },
    );
    this.sessions.add(session);
    for (const cell of cells)
      this.runCells.set(session.running.get(cell.id)!.runId, { uri: session.uri, cellId: cell.id, line: cell.fenceLine });
    // The results view keeps the last 20 runs; remembering a few hundred places is plenty.
    for (const runId of this.runCells.keys()) {
      if (this.runCells.size <= 500) break;
      this.runCells.delete(runId);
    }
    this.changed.fire(document.uri);
    // The recorded target (evidence, labels) is taken before the secret is laid on: only the runtime gets it.
    const target = targetFor(targets, runbook, cells[0]);
    const done = this.execute(document, session, {
      cellIds,
      targets: withSecret,
      target,
      params,
      limit: this.ports.settings.current().rowLimit,
    });
    const timer = setTimeout(() => this.notify(session, done), NOTIFY_AFTER_MS);
    try {
      await done;
    } finally {
      clearTimeout(timer);
      this.sessions.delete(session);
      this.changed.fire(document.uri);
    }
  }

  private async credentialed(targets: RunTargets, onTrino: boolean): Promise<RunTargets> {
    if (!onTrino || !targets.trino) return targets;
    return withTrinoCredential(targets, await this.ports.trinoCredentials.get(targets.trino.server));
  }

  private async execute(
    document: vscode.TextDocument,
    session: RunSession,
    request: { cellIds: readonly string[]; targets: RunTargets; target: RunTarget; params: Record<string, string>; limit: number },
  ): Promise<void> {
    const runbookText = document.getText();
    const startedAt = new Date();
    const { target, ...forRuntime } = request;
    const cellTargets = new Map<string, RunTarget>();
    const record = (run: CellRun): void => {
      const cellTarget = cellTargets.get(run.cell.id);
      this.ports.onCellRun?.({
        run,
        runbook: session.runbookName,
        runbookText,
        source: cellTarget ? targetLabel(cellTarget, ranWindowCaption(run.window)) : '(did not start)',
      });
    };
    try {
      const runs = await this.ports.runtime.get().run({
        runbookText,
        runbookPath: runbookPathOf(document.uri),
        ...forRuntime,
        signal: session.controller.signal,
        mfaCodeProvider: askMfaCode,
        confirmScan: (bound, limit) => confirmAthenaScan(bound, limit, request.targets.athena?.pricePerTb ?? ATHENA_DEFAULT_PRICE_PER_TB),
        onCellStart: (cell, window, target) => {
          cellTargets.set(cell.id, target);
          session.start(cell, target, window);
        },
        onProgress: (cell, message) => {
          session.progress(cell, message);
          this.refreshSoon(document.uri);
        },
        onRows: (cell, rows, columns) => session.rows(cell, rows, columns),
        onRowsReset: (cell) => session.rowsReset(cell),
        onCell: (run) => {
          const runId = session.running.get(run.cell.id)?.runId;
          session.finish(run.cell, outcomeOf(run));
          // More rows than the limit: the host keeps the whole result and the view asks it for what it shows.
          if (run.truncated && runId !== undefined) this.keepResult(runId, run);
          else run.kept?.close();
          if (run.status !== 'skipped') record(run);
        },
        // The answer came before the cache was written; now it is, the cell says what the whole scan found.
        onCellAmended: (run) => {
          const answered = session.amend(run.cell, outcomeOf(run));
          this.changed.fire(document.uri);
          // The record is appended to, never rewritten: an answer that fails once the whole scan is known is a second entry.
          if (answered !== undefined && answered !== run.status) record(run);
        },
      });
      this.recorded.set(session.uri, {
        runbookPath: runbookPathOf(document.uri),
        runbookText,
        runs,
        startedAt,
        finishedAt: new Date(),
        params: request.params,
        cellIds: request.cellIds,
        target,
      });
      this.changed.fire(document.uri);
      const failed = runs.find((r) => r.status === 'error');
      if (failed) showRunError(`cell ${failed.cell.id} (line ${failed.error!.line + 1}): ${failed.error!.message}`, failed.error!.kind);
    } catch (error) {
      const cancelled = session.controller.signal.aborted;
      session.cacheNotWritten(cancelled ? 'the run was cancelled' : (error as Error).message);
      session.abandon(cancelled ? { cancelled } : { cancelled, message: (error as Error).message });
      if (!cancelled) showRunError((error as Error).message, errorKindOf(error));
    }
  }

  private keepResult(runId: string, run: CellRun): void {
    this.ports.runtime
      .get()
      .keepResult(runId, run)
      .then(
        (kept) => kept && this.ports.post(kept),
        (error: Error) => {
          // The summary counted the whole result as kept: it says the first rows again.
          this.notKept(runId);
          showRunError(
            `The whole result of ${run.cell.id} could not be kept for the results view (it shows the first rows only): ${error.message}`,
            undefined,
          );
        },
      );
  }

  private notKept(runId: string): void {
    const place = this.runCells.get(runId);
    const finished = place && this.finished.get(place.uri);
    const latest = place && finished?.get(place.cellId);
    if (!place || !finished || latest?.runId !== runId) return;
    finished.set(place.cellId, withoutKept(latest));
    this.changed.fire(vscode.Uri.parse(place.uri));
  }

  private notify(session: RunSession, done: Promise<void>): void {
    if (session.running.size === 0) return;
    const [onlyCell, ...moreCells] = session.cells;
    const title =
      onlyCell !== undefined && moreCells.length === 0
        ? `Trailbook: running ${onlyCell.id}`
        : `Trailbook: running ${session.cells.length} cells`;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => session.controller.abort());
      const tick = setInterval(() => {
        const [id, state] = session.running.entries().next().value ?? [];
        const writing = session.writingProgress();
        if (id && state) progress.report({ message: `${id}: ${state.progress ?? 'running'}` });
        else if (writing !== undefined) progress.report({ message: `answered (see the results view); ${writing}` });
      }, 500);
      return done.finally(() => clearInterval(tick));
    });
  }

  /**
   * CodeLenses refresh at most every few seconds while progress streams in: a lens clicked
   * while VS Code replaces the lenses runs nothing ("actual command not found"), so "■ Cancel"
   * must stay put. The progress notification and the results view carry the live figures.
   */
  private refreshSoon(uri: vscode.Uri): void {
    const now = Date.now();
    if (now - this.lastRefresh < LENS_REFRESH_MS) return;
    this.lastRefresh = now;
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const session of this.sessions) session.controller.abort();
    this.changed.dispose();
  }
}
