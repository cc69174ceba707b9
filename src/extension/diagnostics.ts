// Problems of runbooks as diagnostics, on open and on edit (debounced): the format's own
// problems at once from the parser, then the SQL checked by DuckDB, the same lint the
// CLI runs. DuckDB loads with the first runbook that has a cell, not at activation.
import * as vscode from 'vscode';
import type { RunbookProblem } from '../runbook/types';
import { isRunbookDocument, runbookOf } from './runbookDocuments';
import type { RuntimeLoader } from './runtimeLoader';

const DEBOUNCE_MS = 400;

export function toDiagnostic(document: vscode.TextDocument, problem: RunbookProblem): vscode.Diagnostic {
  const line = Math.min(Math.max(problem.line, 0), Math.max(document.lineCount - 1, 0));
  const text = document.lineAt(line);
  const range = problem.column !== undefined
    ? new vscode.Range(line, problem.column, line, text.range.end.character)
    : new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.range.end.character);
  const diagnostic = new vscode.Diagnostic(range, problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'trailbook';
  diagnostic.code = problem.code;
  return diagnostic;
}

export function registerDiagnostics(runtime: RuntimeLoader): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('trailbook');
  const timers = new Map<string, NodeJS.Timeout>();

  const lint = async (document: vscode.TextDocument): Promise<void> => {
    if (!isRunbookDocument(document)) return collection.delete(document.uri);
    const version = document.version;
    const runbook = runbookOf(document);
    collection.set(document.uri, runbook.problems.map((p) => toDiagnostic(document, p)));
    if (runbook.cells.length === 0) return;
    try {
      const problems = await runtime.get().lint(document.getText(), document.uri.fsPath);
      // A lint that finished after another edit describes text that is gone.
      if (document.version !== version || document.isClosed) return;
      collection.set(document.uri, problems.map((p) => toDiagnostic(document, p)));
    } catch (error) {
      if (document.version !== version) return;
      collection.set(document.uri, [
        ...runbook.problems.map((p) => toDiagnostic(document, p)),
        toDiagnostic(document, { line: 0, severity: 'warning', code: 'lint-unavailable', message: `SQL was not checked: ${(error as Error).message}` }),
      ]);
    }
  };
  const schedule = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void lint(document);
    }, DEBOUNCE_MS));
  };

  for (const document of vscode.workspace.textDocuments) schedule(document);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      clearTimeout(timers.get(document.uri.toString()));
      collection.delete(document.uri);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
