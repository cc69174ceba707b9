// After a cell ran, its summary stays after the block (`✓ 12 rows · 1.4 s · 14:02 UTC`)
// until the block's text changes. Results themselves never go into the file.
import * as vscode from 'vscode';
import type { RunController } from './runController';
import { isRunbookDocument, outlineOf } from './runbookDocuments';
import { cellText, type FinishedStatus } from './runSession';

const COLOURS: Record<FinishedStatus, string> = {
  ok: 'descriptionForeground',
  finding: 'editorWarning.foreground',
  error: 'errorForeground',
  skipped: 'descriptionForeground',
  unconfigured: 'descriptionForeground',
  cancelled: 'descriptionForeground',
};

export function registerSummaries(controller: RunController): vscode.Disposable {
  // Made with the first summary, not at activation: until a cell has finished there is
  // nothing to show, nor anything shown to clear.
  let made: Map<FinishedStatus, vscode.TextEditorDecorationType> | undefined;
  const decorationTypes = (): Map<FinishedStatus, vscode.TextEditorDecorationType> => {
    made ??= new Map(
      (Object.keys(COLOURS) as FinishedStatus[]).map((status) => [
        status,
        vscode.window.createTextEditorDecorationType({
          after: { color: new vscode.ThemeColor(COLOURS[status]), margin: '0 0 0 2em', fontStyle: 'italic' },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      ]),
    );
    return made;
  };

  const decorate = (editor: vscode.TextEditor): void => {
    const document = editor.document;
    if (!made && controller.finishedCells(document.uri).size === 0) return;
    const types = decorationTypes();
    const byStatus = new Map<FinishedStatus, vscode.DecorationOptions[]>([...types.keys()].map((s) => [s, []]));
    if (isRunbookDocument(document)) {
      const runbook = outlineOf(document);
      for (const [cellId, finished] of controller.finishedCells(document.uri)) {
        const cell = runbook.cells.find((c) => c.id === cellId);
        if (!cell || cellText(cell) !== finished.cellText) {
          controller.forget(document.uri, cellId);
          continue;
        }
        const line = Math.min(cell.endLine, document.lineCount - 1);
        const end = document.lineAt(line).range.end;
        byStatus.get(finished.status)!.push({
          range: new vscode.Range(end, end),
          renderOptions: { after: { contentText: finished.writingCache ? `${finished.summary} · writing the cache…` : finished.summary } },
          hoverMessage: 'Trailbook: the last run of this cell. Results are in the results view, never in the file.',
        });
      }
    }
    for (const [status, type] of types) editor.setDecorations(type, byStatus.get(status)!);
  };
  const refresh = (uri?: vscode.Uri): void => {
    for (const editor of vscode.window.visibleTextEditors) if (!uri || editor.document.uri.toString() === uri.toString()) decorate(editor);
  };

  return vscode.Disposable.from(
    { dispose: () => made?.forEach((type) => type.dispose()) },
    controller.onDidChange(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document.uri)),
    vscode.window.onDidChangeVisibleTextEditors(() => refresh()),
  );
}
