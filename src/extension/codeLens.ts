// The CodeLenses of a runbook: "▶ Run all" at the top, and on each block "▶ Run query"
// with where it will run, or, while it runs, its progress and "■ Cancel". Files and
// untitled drafts only, and the bundled runbooks (read-only, bundledRunbooks.ts): a git diff
// pane or a review view shows someone else's text, and offers no button to run it. In
// Restricted Mode the lenses stay (the runbook can be read as it will run) and a lens at the
// top says why nothing runs.
import * as vscode from 'vscode';
import { BUNDLED_SCHEME, COPY_TO_WORKSPACE_COMMAND, isBundled } from './bundledRunbooks';
import { lensSpots } from './lensModel';
import type { RunController } from './runController';
import { isRunbookDocument, outlineOf } from './runbookDocuments';
import { runTargets, sourceKindFor, TargetError, targetFor, targetLabel, windowLabelFor } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import { MANAGE_TRUST_COMMAND, type TrustGate } from './workspaceTrust';

export function registerCodeLens(controller: RunController, settings: RunSettings, trust: TrustGate): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      if (!isRunbookDocument(document)) return [];
      // The outline: the first lens must not wait for the shell parser the actions' check loads.
      const runbook = outlineOf(document);
      const targets = runTargets(settings.current(), process.env, workspaceRoot());
      const lenses: vscode.CodeLens[] = [];
      const at = (line: number) => new vscode.Range(line, 0, line, 0);
      const whereLens = (line: number, cell: (typeof runbook.cells)[number] | undefined): vscode.CodeLens => {
        const kind = sourceKindFor(targets, runbook, cell);
        try {
          const title = targetLabel(targetFor(targets, runbook, cell), windowLabelFor(targets, runbook, cell, kind));
          return new vscode.CodeLens(at(line), {
            title,
            command: 'trailbook.configure',
            tooltip: 'Where this runs: click to change the source, profile, regions, log folder or window',
          });
        } catch (error) {
          const message = (error as Error).message;
          const summary = error instanceof TargetError ? error.summary : message.split(':')[0];
          // The lens is the button to the fix: the log folder picker, or the setting to write.
          const fix: vscode.Command =
            kind === 'local'
              ? { title: '', command: 'trailbook.chooseLogs' }
              : kind === 'trino'
                ? {
                    title: '',
                    command: 'workbench.action.openSettings',
                    arguments: [error instanceof TargetError && error.setting ? error.setting : 'trailbook.trino'],
                  }
                : { title: '', command: 'trailbook.configure' };
          return new vscode.CodeLens(at(line), { ...fix, title: `⚠ ${summary}`, tooltip: message });
        }
      };
      for (const spot of lensSpots(runbook)) {
        switch (spot.kind) {
          case 'runAll':
            lenses.push(
              new vscode.CodeLens(at(spot.line), {
                title: '▶ Run all',
                command: 'trailbook.runAll',
                arguments: [document.uri],
                tooltip: 'Run every query of this runbook in order (response actions never run)',
              }),
            );
            lenses.push(whereLens(spot.line, undefined));
            if (isBundled(document.uri)) {
              lenses.push(
                new vscode.CodeLens(at(spot.line), {
                  title: '$(lock) Bundled, read-only: copy to workspace to edit',
                  command: COPY_TO_WORKSPACE_COMMAND,
                  arguments: [document.uri],
                  tooltip: 'An update of Trailbook replaces bundled runbooks: edits, pivots and response actions go in your copy',
                }),
              );
            }
            if (!trust.trusted) {
              lenses.push(
                new vscode.CodeLens(at(spot.line), {
                  title: '$(shield) Restricted Mode: trust this folder to run or check queries',
                  command: MANAGE_TRUST_COMMAND,
                  tooltip: "Nothing of this runbook runs, and its SQL is not checked, until you trust the folder's authors",
                }),
              );
            }
            if (controller.lastRecorded(document.uri)) {
              lenses.push(
                new vscode.CodeLens(at(spot.line), {
                  title: '$(file-text) Save evidence',
                  command: 'trailbook.saveEvidence',
                  arguments: [document.uri],
                  tooltip: 'The last run as a report: SQL as run, source, window, row counts, findings and a SHA-256 of each result',
                }),
              );
            }
            break;
          case 'cell': {
            const running = controller.running(document.uri, spot.cellId);
            if (running) {
              const since = new Date(running.startedAt).toISOString().slice(11, 19);
              lenses.push(
                new vscode.CodeLens(at(spot.line), {
                  title: `$(sync~spin) ${running.progress ?? 'running'} · since ${since} UTC`,
                  command: 'trailbook.showResults',
                }),
              );
              lenses.push(
                new vscode.CodeLens(at(spot.line), {
                  title: '■ Cancel',
                  command: 'trailbook.cancel',
                  arguments: [document.uri, spot.cellId],
                }),
              );
            } else {
              lenses.push(
                new vscode.CodeLens(at(spot.line), {
                  title: '▶ Run query',
                  command: 'trailbook.runCell',
                  arguments: [document.uri, spot.cellId],
                }),
              );
              lenses.push(
                whereLens(
                  spot.line,
                  runbook.cells.find((c) => c.id === spot.cellId),
                ),
              );
            }
            break;
          }
          case 'action':
            lenses.push(
              new vscode.CodeLens(at(spot.line), {
                title: '▶ Run in terminal',
                command: 'trailbook.runAction',
                arguments: [document.uri, spot.actionId],
                tooltip: 'Shows the final command and asks before sending it to a terminal',
              }),
            );
            break;
        }
      }
      return lenses;
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(
      [
        { language: 'markdown', scheme: 'file' },
        { language: 'markdown', scheme: 'untitled' },
        { language: 'markdown', scheme: BUNDLED_SCHEME },
      ],
      provider,
    ),
    controller.onDidChange(() => changed.fire()),
    settings.onDidChange(() => changed.fire()),
    trust.onDidGrant(() => changed.fire()),
    // VS Code (1.100) asks for lenses again only after a pause (250 ms or more) and drops the
    // pending ask when the editor loses focus; it asks again only once the editor is focused.
    // A run ending just as focus moves to the results view would leave "■ Cancel" and the last
    // progress drawn over the block. The active editor changes after the editor has lost
    // focus, so telling VS Code again then is never dropped.
    vscode.window.onDidChangeActiveTextEditor(() => changed.fire()),
  );
}
