// `trailbook.editorIsRunbook`: whether the active editor holds a runbook (a Markdown file with
// ```cloudtrail blocks), for menus such as Run all in the editor title, which plain Markdown
// files must not show.
import * as vscode from 'vscode';
import { isRunbookDocument } from './runbookDocuments';

const CONTEXT_KEY = 'trailbook.editorIsRunbook';

export function registerRunbookContext(): vscode.Disposable {
  let shown: boolean | undefined;
  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    const isRunbook = !!editor && isRunbookDocument(editor.document);
    if (isRunbook === shown) return;
    shown = isRunbook;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, isRunbook);
  };
  update();
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) update();
    }),
  );
}
