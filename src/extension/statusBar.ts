// The status bar says where the next query runs; clicking it changes that. A warning sign
// marks settings of the workspace that were ignored (ignoredSettings.ts), named in the tooltip.
import * as vscode from 'vscode';
import type { IgnoredSettings } from './ignoredSettings';
import { windowCaption } from './investigationWindow';
import { isRunbookDocument, outlineOf } from './runbookDocuments';
import { runTargets, sourceKindFor, windowChoiceFor, type RunTargets, type SourceKind } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import { accountsLabel } from '../app/accountTarget';

export function registerStatusBar(settings: RunSettings, ignored: IgnoredSettings): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('trailbook.where', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Trailbook: where queries run';
  item.command = 'trailbook.configure';

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'markdown') return item.hide();
    const s = settings.current();
    const targets = runTargets(s, process.env, workspaceRoot());
    const window = statusWindow(targets, editor.document, s.source);
    if (s.source === 'local') {
      const folder = targets.local
        ? targets.local.logsPath
            .replace(/[\\/]+$/, '')
            .split(/[\\/]/)
            .pop()
        : 'choose logs…';
      item.text = `$(database) ${folder} · ${window}`;
      item.tooltip = `Trailbook runs queries on local logs: ${targets.local?.logsPath ?? 'no folder chosen'}\nWindow: ${window}\nClick to change`;
    } else if (s.source === 'trino') {
      const trino = targets.trino;
      item.text = `$(server) ${trino ? `Trino · ${trino.table}` : 'Trino: set the server…'} · ${window}`;
      item.tooltip = trino
        ? `Trailbook runs queries on Trino\nServer: ${trino.server}\nTable: ${trino.table}\nUser: ${trino.user}\nWindow: ${window}\nClick to change`
        : `Trailbook runs queries on Trino, once configured: ${targets.trinoProblem?.message ?? 'set trailbook.trino.server and trailbook.trino.table'}\nClick to change`;
    } else if (s.source === 'athena') {
      const athena = targets.athena;
      item.text = `$(server) ${athena ? `Athena · ${athena.database}.${athena.table}` : 'Athena: fix the settings…'} · ${window}`;
      item.tooltip = athena
        ? `Trailbook runs queries on Athena\nWorkgroup: ${athena.workgroup}\nTable: ${athena.catalog}.${athena.database}.${athena.table}\nRegion: ${athena.region}\nProfile: ${athena.profile ?? 'default'}${athena.endpoint ? `\nEndpoint: ${athena.endpoint}` : ''}\nScan limit: ${(athena.maxScanBytes / 1024 ** 3).toFixed(1)} GB\nWindow: ${window}\nClick to change`
        : `Trailbook runs queries on Athena, once configured: ${targets.athenaProblem?.message ?? ''}\nClick to change`;
    } else {
      // Several accounts: how many in the bar, which in the tooltip (each run's notes say how many were read).
      const many = targets.lookup.ssoSession !== undefined || (targets.lookup.profiles?.length ?? 0) > 1;
      const who =
        targets.lookup.ssoSession !== undefined
          ? `sso-session ${targets.lookup.ssoSession}`
          : many
            ? `${targets.lookup.profiles!.length} accounts`
            : (targets.lookup.profile ?? 'default');
      item.text = `$(cloud) ${who} · ${targets.lookup.regions.join(',')} · ${window}`;
      item.tooltip = `Trailbook runs queries on LookupEvents\n${many ? `Accounts: ${accountsLabel(targets.lookup)}` : `Profile: ${targets.lookup.profile ?? 'default'}`}\nRegions: ${targets.lookup.regions.join(', ')}${targets.lookup.endpoint ? `\nEndpoint: ${targets.lookup.endpoint}` : ''}\nWindow: ${window}\nClick to change`;
    }
    const about = settings.choices.investigationAbout;
    if (targets.investigationWindow) {
      item.tooltip = `${item.tooltip as string}\n\nThe investigation window${about ? ` (${about})` : ''} wins over each runbook's window; a cell pinned to an event keeps its own.`;
    }
    if (ignored.notes.length > 0) {
      item.text = `$(warning) ${item.text}`;
      item.tooltip = `${item.tooltip as string}\n\nIgnored:\n${ignored.notes.map((note) => `• ${note}`).join('\n')}`;
    }
    item.show();
  };
  // Not during activation: the first update parses the active runbook (the Markdown parser's
  // first load) and reads the settings' folders, which activation must not wait for.
  const first = setTimeout(update, 0);
  return vscode.Disposable.from(
    { dispose: () => clearTimeout(first) },
    item,
    settings.onDidChange(update),
    ignored.onDidChange(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    // The runbook's own window shows when no investigation window is set: follow its edits.
    vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && update()),
  );
}

/** The window a run of the active runbook will use (the table of src/app/windowChoice.ts), as the lenses say it. */
function statusWindow(targets: RunTargets, document: vscode.TextDocument, source: SourceKind): string {
  if (!isRunbookDocument(document)) {
    return windowCaption({
      spec: targets.investigationWindow ?? targets.defaultWindow,
      origin: targets.investigationWindow ? 'explicit' : 'default',
    });
  }
  const runbook = outlineOf(document);
  return windowCaption(windowChoiceFor(targets, runbook, undefined, sourceKindFor(targets, runbook, undefined) ?? source));
}
