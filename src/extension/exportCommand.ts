// Saves a run's rows where the user chooses, written whole or not at all.
import * as vscode from 'vscode';
import { writeFileAtomic } from '../app/writeAtomic';
import type { ExportFormat } from '../protocol/results';
import { exportRows } from './exportRows';
import type { RunController } from './runController';

export async function exportRun(controller: RunController, runId: string, format: ExportFormat): Promise<void> {
  const run = controller.findRun(runId);
  if (!run?.finished) {
    return void vscode.window.showWarningMessage('Those rows are no longer kept: the cell ran again since. Export its latest run.');
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  // A result cut at the row limit (the view may show all of it, kept by the host) is saved as
  // the rows the run finished with, and says so: the file must not pass for the whole result.
  const cut = run.finished.cellRun?.truncated === true;
  const rows = `${cut ? 'first ' : ''}${run.finished.rowCount.toLocaleString('en-US')} rows`;
  const limit = cut ? ' (the row limit: raise trailbook.rowLimit, or run it with the CLI, for every row)' : '';
  const target = await vscode.window.showSaveDialog({
    title: `Save the ${rows} of ${run.cellId}${limit}`,
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${run.cellId}.${format}`) } : {}),
    filters: { [format.toUpperCase()]: [format] },
  });
  if (!target) return;
  const text = exportRows(format, run.finished.columns, run.finished.rows);
  if (target.scheme === 'file') await writeFileAtomic(target.fsPath, text);
  else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  void vscode.window.showInformationMessage(`Saved the ${rows} to ${vscode.workspace.asRelativePath(target)}${limit}`);
}
