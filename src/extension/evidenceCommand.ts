// "Trailbook: Save evidence": for audits and incident reviews (docs/evidence.md). While an
// investigation is active, the evidence covers all of it (every cell run it recorded, the
// events marked, pivots, notes, the record's own hash: docs/investigations.md); otherwise
// the runbook's last run, the same report as `trailbook run --evidence`.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import { investigationEvidence, renderInvestigationEvidence } from '../app/investigation/investigationEvidence';
import { writeFileAtomic } from '../app/writeAtomic';
import { plural } from '../protocol/plural';
import type { InvestigationRecorder } from './investigationRecorder';
import type { RunController } from './runController';
import type { RuntimeLoader } from './runtimeLoader';

const stampOf = (at: Date): string => at.toISOString().slice(0, 19).replace(/[:T]/g, '-');

async function chooseFile(title: string, name: string): Promise<{ uri: vscode.Uri; format: 'json' | 'markdown' } | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const chosen = await vscode.window.showSaveDialog({
    title,
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: { Markdown: ['md'], JSON: ['json'] },
  });
  return chosen && { uri: chosen, format: chosen.path.toLowerCase().endsWith('.json') ? 'json' : 'markdown' };
}

async function save(uri: vscode.Uri, text: string, what: string): Promise<void> {
  if (uri.scheme === 'file') await writeFileAtomic(uri.fsPath, text);
  else await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const open = await vscode.window.showInformationMessage(`Evidence of ${what} saved to ${vscode.workspace.asRelativePath(uri)}`, 'Open');
  if (open) await vscode.window.showTextDocument(uri);
}

export function registerEvidenceCommand(
  controller: RunController,
  runtime: RuntimeLoader,
  investigation: InvestigationRecorder,
): vscode.Disposable {
  return vscode.commands.registerCommand('trailbook.saveEvidence', async (target?: vscode.Uri | string) => {
    const record = investigation.active;
    if (record !== undefined) {
      // The record as it is on disk: unsaved edits are not what a reviewer will see in git.
      const editor = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === record);
      if (editor?.isDirty) await editor.save();
      const report = await investigationEvidence(record, await readFile(record, 'utf8'), 'trailbook (VS Code)');
      const chosen = await chooseFile(
        'Save the evidence of the whole investigation',
        `${basename(record).replace(/\.md$/i, '')}-evidence-${stampOf(new Date())}.md`,
      );
      if (!chosen) return;
      return save(
        chosen.uri,
        renderInvestigationEvidence(report, chosen.format),
        `the investigation (${plural(report.summary.runs, 'cell run')}, ${plural(report.summary.marked, 'event')} marked, ${plural(report.summary.notes, 'note')}, ${plural(report.summary.decisions, 'decision')})`,
      );
    }
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
    const recorded = uri && controller.lastRecorded(uri);
    if (!uri || !recorded)
      return void vscode.window.showInformationMessage(
        'Run the runbook first (▶ Run all, or a cell): the evidence records a run. To cover several runs, start an investigation first.',
      );
    const stem = basename(uri.fsPath).replace(/\.md$/i, '');
    const chosen = await chooseFile('Save the evidence of this run', `${stem}-evidence-${stampOf(recorded.finishedAt)}.md`);
    if (!chosen) return;
    await save(chosen.uri, await runtime.get().evidence(recorded, chosen.format), `${recorded.runs.length} cells`);
  });
}
