// A pivot from a selected event: the next question is written into the runbook as a new
// cloudtrail block (heading, id, SQL with every value quoted by the engine's literal code)
// below the cell it came from, then run. The investigation becomes a runbook to keep: a
// bundled runbook is copied into the workspace first, and the pivot goes into the copy.
import * as vscode from 'vscode';
import type { PivotKind } from '../protocol/pivotValues';
import type { ResultValue } from '../protocol/results';
import { buildPivot, pivotInsertLine } from '../runbook/pivot';
import { ownRunbook } from './bundledRunbooks';
import type { RunController } from './runController';
import { runbookOf } from './runbookDocuments';

/** What a pivot added, for the investigation record. */
export interface PivotTaken {
  readonly kind: PivotKind;
  readonly fromCell: string;
  readonly newCell: string;
  readonly value: string;
  /** The runbook the cell went into, as the workspace names it. */
  readonly runbook: string;
}

export async function pivotFromRun(
  controller: RunController,
  runId: string,
  kind: PivotKind,
  row: { readonly [column: string]: ResultValue },
  onPivot?: (pivot: PivotTaken) => void,
): Promise<void> {
  const place = controller.findRun(runId);
  if (!place) return void vscode.window.showWarningMessage('That run is no longer known: run the cell again, then pivot.');
  const own = await ownRunbook(vscode.Uri.parse(place.uri), 'pivot in it (the pivot is written into the runbook as a new query)');
  if (!own) return;
  const document = await vscode.workspace.openTextDocument(own);
  const runbook = runbookOf(document);
  const line = pivotInsertLine(runbook, place.cellId);
  if (line === undefined)
    return void vscode.window.showWarningMessage(`Cell ${place.cellId} is no longer in ${vscode.workspace.asRelativePath(document.uri)}.`);
  const pivot = buildPivot(runbook, place.cellId, row, kind);
  if ('error' in pivot) return void vscode.window.showWarningMessage(pivot.error);

  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const nextIsBlank = line + 1 >= document.lineCount || document.lineAt(line + 1).isEmptyOrWhitespace;
  const block = pivot.markdown.replace(/\n$/, '').split('\n').join(eol);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.lineAt(line).range.end, `${eol}${eol}${block}${nextIsBlank ? '' : eol}`);
  if (!(await vscode.workspace.applyEdit(edit)))
    return void vscode.window.showErrorMessage(
      `Could not insert the pivot into ${vscode.workspace.asRelativePath(document.uri)}: is it read-only?`,
    );

  onPivot?.({
    kind,
    fromCell: place.cellId,
    newCell: pivot.id,
    value: pivot.value,
    runbook: vscode.workspace.asRelativePath(document.uri),
  });
  const heading = new vscode.Position(line + 2, 0);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  editor.revealRange(new vscode.Range(heading, heading), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await controller.run(document, [pivot.id]);
}
