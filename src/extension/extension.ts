// Activation only wires features together; each returns one Disposable. Nothing here loads
// DuckDB or the AWS SDK: they come with the first run or the first lint of a runbook.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WebviewMessage } from '../protocol/results';
import { registerActionCommand } from './actionCommand';
import { activationLine, bundleEvaluation, startSpan } from './activationFigure';
import { registerBundledRunbooks } from './bundledRunbooks';
import { registerCodeLens } from './codeLens';
import { registerDiagnostics } from './diagnostics';
import { registerEvidenceCommand } from './evidenceCommand';
import { exportRun } from './exportCommand';
import { IgnoredSettings } from './ignoredSettings';
import { registerInvestigationCommands, markEventFromView } from './investigationCommands';
import { InvestigationRecorder } from './investigationRecorder';
import { eventAnchors } from './investigationWindow';
import { ParamPrompt } from './paramPrompt';
import { pivotFromRun } from './pivotCommand';
import { ResultsPanel } from './resultsPanel';
import { RunController } from './runController';
import { RuntimeLoader } from './runtimeLoader';
import { RunSettings } from './settings';
import { registerStatusBar } from './statusBar';
import { registerRunbookTree } from './runbookTree';
import { registerSampleCommand } from './sampleCommand';
import { registerSqlHelp } from './sqlHelp';
import { registerRunbookContext } from './runbookContext';
import { registerSummaries } from './summaries';
import { registerTrinoCredentialCommand, TrinoCredentials } from './trinoCredentials';
import { registerWhereCommands } from './whereCommands';
import { workspaceTrustGate } from './workspaceTrust';

/** What other extensions (and the integration tests) can ask. */
export interface TrailbookApi {
  /** The last finished run of a cell in this session. */
  lastRun(uri: string, cellId: string): { status: string; rowCount: number; summary: string } | undefined;
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): TrailbookApi {
  const activating = startSpan();
  const load = bundleEvaluation();
  const settings = new RunSettings(context.workspaceState);
  const ignored = new IgnoredSettings();
  const trust = workspaceTrustGate();
  // Its own cache, apart from the CLI's: the editor keeps its stores open, and a shared
  // folder would leave every CLI run without its cache while the editor is open.
  const runtime = new RuntimeLoader(join(context.globalStorageUri.fsPath, 'cache'));
  const params = new ParamPrompt();
  const panel = new ResultsPanel(context.extensionUri, (message: WebviewMessage) => onWebviewMessage(message));
  const trinoCredentials = new TrinoCredentials(context.secrets);
  const investigation = new InvestigationRecorder(context.workspaceState, (message) => panel.post(message));
  const runs = new RunController({
    settings,
    runtime,
    params,
    trust,
    trinoCredentials,
    post: (message) => panel.post(message),
    onCellRun: (ran) => investigation.recordRun(ran),
  });

  function onWebviewMessage(message: WebviewMessage): void {
    switch (message.type) {
      case 'cancel':
        runs.cancelRun(message.runId);
        break;
      case 'revealCell':
        void runs.revealCell(message.runId);
        break;
      case 'export':
        void exportRun(runs, runtime, message.runId, message.format).catch((error: Error) =>
          vscode.window.showErrorMessage(`Export failed: ${error.message}`),
        );
        break;
      case 'wholeEvent':
        void sendWholeEvent(message.runId, message.eventId);
        break;
      case 'pivot':
        void pivotFromRun(runs, message.runId, message.kind, message.row, (pivot) => investigation.recordPivot(pivot)).catch(
          (error: Error) => vscode.window.showErrorMessage(`Pivot failed: ${error.message}`),
        );
        break;
      case 'markEvent':
        void markEventFromView(investigation, runs, message).catch((error: Error) =>
          vscode.window.showErrorMessage(`Could not mark the event: ${error.message}`),
        );
        break;
      case 'bins':
      case 'marks':
      case 'page':
      case 'position':
        void runtime
          .get()
          .answerKept(message)
          .then((answer) => panel.post(answer));
        break;
      case 'ready':
      case 'copy':
        break;
    }
  }

  async function sendWholeEvent(runId: string, eventId: string): Promise<void> {
    const cellRun = runs.findRun(runId)?.finished?.cellRun;
    const reply = { type: 'wholeEvent', runId, eventId } as const;
    if (!cellRun)
      return panel.post({ ...reply, error: 'this run is no longer kept (the cell ran again since): select the row in its latest run' });
    try {
      const event = await runtime.get().wholeEvent(cellRun, eventId);
      panel.post(event ? { ...reply, event } : { ...reply, error: `no event ${eventId} among the events this cell read` });
    } catch (error) {
      panel.post({ ...reply, error: (error as Error).message });
    }
  }

  const withDocument = async (
    target: vscode.Uri | string | undefined,
    act: (document: vscode.TextDocument) => Promise<void>,
  ): Promise<void> => {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
    if (!uri) return void vscode.window.showInformationMessage('Open a runbook (a Markdown file with cloudtrail blocks) first.');
    await act(await vscode.workspace.openTextDocument(uri));
  };

  // Each registration timed, so that the activation line says where the time went.
  const spent: [string, number][] = [];
  const timed = <T>(name: string, register: () => T): T => {
    const from = performance.now();
    const made = register();
    spent.push([name, performance.now() - from]);
    return made;
  };
  context.subscriptions.push(
    settings,
    ignored,
    runtime,
    panel,
    runs,
    investigation,
    registerInvestigationCommands(investigation, context.extensionUri),
    timed('code lenses', () => registerCodeLens(runs, settings, trust)),
    timed('summaries', () => registerSummaries(runs)),
    timed('diagnostics', () => registerDiagnostics(runtime, trust)),
    timed('status bar', () => registerStatusBar(settings, ignored)),
    registerWhereCommands(settings, () =>
      eventAnchors(runs.allFinished().map(({ cellId, finished }) => ({ cellId, columns: finished.columns, rows: finished.rows }))),
    ),
    registerTrinoCredentialCommand(trinoCredentials, settings),
    registerActionCommand(runs, settings, params, trust, runtime),
    timed('bundled runbooks', () => registerBundledRunbooks(context.extensionUri)),
    registerSampleCommand(runtime, settings, params),
    timed('runbook tree', () => registerRunbookTree(context.extensionUri)),
    registerEvidenceCommand(runs, runtime, investigation),
    timed('SQL help', () => registerSqlHelp(runs)),
    timed('runbook context', () => registerRunbookContext()),
    vscode.commands.registerCommand('trailbook.runCell', (uri?: vscode.Uri | string, cellId?: string) =>
      withDocument(uri, (document) => runs.run(document, cellId ? [cellId] : [])),
    ),
    vscode.commands.registerCommand('trailbook.runAll', (uri?: vscode.Uri | string) =>
      withDocument(uri, (document) => runs.run(document, [])),
    ),
    vscode.commands.registerCommand('trailbook.cancel', (uri?: vscode.Uri | string, cellId?: string) =>
      withDocument(uri, async (document) => runs.cancel(document.uri, cellId)),
    ),
    vscode.commands.registerCommand('trailbook.showResults', () => panel.show()),
  );

  const activated = activating();
  const activationMs = load.ms + activated.ms;
  const log = vscode.window.createOutputChannel('Trailbook');
  context.subscriptions.push(log);
  log.appendLine(activationLine(load, activated, spent));
  return {
    lastRun: (uri, cellId) => {
      const run = runs.lastRun(uri, cellId);
      return run && { status: run.status, rowCount: run.rowCount, summary: run.summary };
    },
    activationMs,
  };
}

export function deactivate(): void {}
