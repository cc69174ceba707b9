// "Change to eventName": the quick fix for a misspelt column, field or function that DuckDB
// found a candidate for. Lint knows the candidate; the diagnostics it made are kept here by
// document, because the ones VS Code hands back to a code action provider are copies.
import * as vscode from 'vscode';

interface Fix {
  readonly diagnostic: vscode.Diagnostic;
  readonly replacement: string;
}

interface HeldFix extends Fix {
  /** The misspelt name as it was when lint ran: an edit since then makes the range stale. */
  readonly name: string;
}

export class SqlQuickFixes implements vscode.CodeActionProvider {
  private readonly byDocument = new Map<string, readonly HeldFix[]>();

  set(document: vscode.TextDocument, fixes: readonly Fix[]): void {
    if (fixes.length === 0) this.byDocument.delete(document.uri.toString());
    else
      this.byDocument.set(
        document.uri.toString(),
        fixes.map((fix) => ({ ...fix, name: document.getText(fix.diagnostic.range) })),
      );
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const fixes = this.byDocument.get(document.uri.toString()) ?? [];
    return fixes
      .filter(
        (fix) =>
          !fix.diagnostic.range.isEmpty &&
          fix.diagnostic.range.intersection(range) !== undefined &&
          document.getText(fix.diagnostic.range) === fix.name,
      )
      .map((fix) => {
        const action = new vscode.CodeAction(`Change to ${fix.replacement}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [fix.diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, fix.diagnostic.range, fix.replacement);
        return action;
      });
  }
}
