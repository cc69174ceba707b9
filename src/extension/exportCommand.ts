// Saves a run's rows where the user chooses, written whole or not at all. A result cut at the
// row limit whose whole result the host keeps (src/engine/keptResult.ts) is saved whole,
// streamed from DuckDB; one no longer kept is saved as the rows the run finished with, and
// says so: the file must not pass for the whole result.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../app/writeAtomic';
import type { ExportFormat } from '../protocol/results';
import { exportRows } from './exportRows';
import type { RunController } from './runController';
import type { RuntimeLoader } from './runtimeLoader';

export async function exportRun(controller: RunController, runtime: RuntimeLoader, runId: string, format: ExportFormat): Promise<void> {
  const run = controller.findRun(runId);
  if (!run?.finished) {
    return void vscode.window.showWarningMessage('Those rows are no longer kept: the cell ran again since. Export its latest run.');
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const cut = run.finished.cellRun?.truncated === true;
  // Kept by the host: the latest few cut results are (src/app/keptResults.ts).
  const kept = cut && runtime.loaded ? runtime.get().keptRowCount(runId) : undefined;
  const rows =
    kept !== undefined
      ? `${kept.toLocaleString('en-US')} rows (the whole result)`
      : `${cut ? 'first ' : ''}${run.finished.rowCount.toLocaleString('en-US')} rows`;
  const limit =
    cut && kept === undefined
      ? ' (the row limit: the whole result is no longer kept; run the cell again, raise trailbook.rowLimit, or run it with the CLI)'
      : '';
  const target = await vscode.window.showSaveDialog({
    title: `Save the ${rows} of ${run.cellId}${limit}`,
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${run.cellId}.${format}`) } : {}),
    filters: { [format.toUpperCase()]: [format] },
  });
  if (!target) return;
  if (kept !== undefined) {
    // A million rows take a minute or two: the notification says it is under way.
    const title = `Trailbook: saving ${rows} of ${run.cellId} as ${format.toUpperCase()}…`;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () =>
      exportKept(runtime, runId, format, target),
    );
  } else {
    const text = exportRows(format, run.finished.columns, run.finished.rows);
    if (target.scheme === 'file') await writeFileAtomic(target.fsPath, text);
    else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  }
  void vscode.window.showInformationMessage(`Saved the ${rows} to ${vscode.workspace.asRelativePath(target)}${limit}`);
}

/** Streams the kept result into the file; elsewhere than this machine's disk, through a temporary file copied over. */
async function exportKept(runtime: RuntimeLoader, runId: string, format: ExportFormat, target: vscode.Uri): Promise<void> {
  const local = target.scheme === 'file' ? target.fsPath : join(tmpdir(), `trailbook-export-${process.pid}-${Date.now()}.${format}`);
  try {
    const written = await runtime.get().exportKept(runId, format, local);
    if (written === undefined)
      throw new Error('the whole result is no longer kept (only the latest runs are): run the cell again, then export');
    if (target.scheme !== 'file') await vscode.workspace.fs.copy(vscode.Uri.file(local), target, { overwrite: true });
  } finally {
    if (target.scheme !== 'file') await rm(local, { force: true });
  }
}
