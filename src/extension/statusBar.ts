// The status bar says where the next query runs; clicking it changes that. A warning sign
// marks settings of the workspace that were ignored (ignoredSettings.ts), named in the tooltip.
import * as vscode from 'vscode';
import type { IgnoredSettings } from './ignoredSettings';
import { runTargets } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';

export function registerStatusBar(settings: RunSettings, ignored: IgnoredSettings): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('trailbook.where', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Trailbook: where queries run';
  item.command = 'trailbook.configure';

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'markdown') return item.hide();
    const s = settings.current();
    const targets = runTargets(s, process.env, workspaceRoot());
    const window = s.window || 'default window';
    if (s.source === 'local') {
      const folder = targets.local ? targets.local.logsPath.replace(/[\\/]+$/, '').split(/[\\/]/).pop() : 'choose logs…';
      item.text = `$(database) ${folder} · ${window}`;
      item.tooltip = `Trailbook runs queries on local logs: ${targets.local?.logsPath ?? 'no folder chosen'}\nWindow: ${window}\nClick to change`;
    } else if (s.source === 'trino') {
      const trino = targets.trino;
      item.text = `$(server) ${trino ? `Trino · ${trino.table}` : 'Trino: set the server…'} · ${window}`;
      item.tooltip = trino
        ? `Trailbook runs queries on Trino\nServer: ${trino.server}\nTable: ${trino.table}\nUser: ${trino.user}\nWindow: ${window}\nClick to change`
        : `Trailbook runs queries on Trino, once configured: ${targets.trinoProblem?.message ?? 'set trailbook.trino.server and trailbook.trino.table'}\nClick to change`;
    } else {
      item.text = `$(cloud) ${targets.lookup.profile ?? 'default'} · ${targets.lookup.regions.join(',')} · ${window}`;
      item.tooltip = `Trailbook runs queries on LookupEvents\nProfile: ${targets.lookup.profile ?? 'default'}\nRegions: ${targets.lookup.regions.join(', ')}${targets.lookup.endpoint ? `\nEndpoint: ${targets.lookup.endpoint}` : ''}\nWindow: ${window}\nClick to change`;
    }
    if (ignored.notes.length > 0) {
      item.text = `$(warning) ${item.text}`;
      item.tooltip = `${item.tooltip as string}\n\nIgnored:\n${ignored.notes.map((note) => `• ${note}`).join('\n')}`;
    }
    item.show();
  };
  update();
  return vscode.Disposable.from(item, settings.onDidChange(update), ignored.onDidChange(update), vscode.window.onDidChangeActiveTextEditor(update));
}
