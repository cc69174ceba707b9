// The status bar says where the next query runs; clicking it changes that.
import * as vscode from 'vscode';
import { runTargets } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';

export function registerStatusBar(settings: RunSettings): vscode.Disposable {
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
    } else {
      item.text = `$(cloud) ${targets.lookup.profile ?? 'default'} · ${targets.lookup.regions.join(',')} · ${window}`;
      item.tooltip = `Trailbook runs queries on LookupEvents\nProfile: ${targets.lookup.profile ?? 'default'}\nRegions: ${targets.lookup.regions.join(', ')}${targets.lookup.endpoint ? `\nEndpoint: ${targets.lookup.endpoint}` : ''}\nWindow: ${window}\nClick to change`;
    }
    item.show();
  };
  update();
  return vscode.Disposable.from(item, settings.onDidChange(update), vscode.window.onDidChangeActiveTextEditor(update));
}
