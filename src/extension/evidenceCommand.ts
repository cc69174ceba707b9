// "Trailbook: Save evidence of the last run": the runbook's last run as a report for audits
// and incident reviews (docs/evidence.md), the same report as `trailbook run --evidence`.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { writeFileAtomic } from '../app/writeAtomic';
import type { RunController } from './runController';
import type { RuntimeLoader } from './runtimeLoader';

export function registerEvidenceCommand(controller: RunController, runtime: RuntimeLoader): vscode.Disposable {
  return vscode.commands.registerCommand('trailbook.saveEvidence', async (target?: vscode.Uri | string) => {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target ?? vscode.window.activeTextEditor?.document.uri;
    const recorded = uri && controller.lastRecorded(uri);
    if (!uri || !recorded) return void vscode.window.showInformationMessage('Run the runbook first (▶ Run all, or a cell): the evidence records a run.');
    const stem = basename(uri.fsPath).replace(/\.md$/i, '');
    const stamp = recorded.finishedAt.toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen = await vscode.window.showSaveDialog({
      title: 'Save the evidence of this run',
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${stem}-evidence-${stamp}.md`) } : {}),
      filters: { Markdown: ['md'], JSON: ['json'] },
    });
    if (!chosen) return;
    const format = chosen.path.toLowerCase().endsWith('.json') ? 'json' : 'markdown';
    const text = await runtime.get().evidence(recorded, format);
    if (chosen.scheme === 'file') await writeFileAtomic(chosen.fsPath, text);
    else await vscode.workspace.fs.writeFile(chosen, new TextEncoder().encode(text));
    const open = await vscode.window.showInformationMessage(`Evidence of ${recorded.runs.length} cells saved to ${vscode.workspace.asRelativePath(chosen)}`, 'Open');
    if (open) await vscode.window.showTextDocument(chosen);
  });
}
