// Problems of runbooks as diagnostics, on open and on edit (after a pause in typing): the
// format's own problems at once from the parser, then the SQL checked by DuckDB, the same
// lint the CLI runs. DuckDB loads with the first runbook that has a cell, not at
// activation, and only for files of a trusted workspace (lintPolicy.ts); one lint per
// document at a time, the latest text winning (lintScheduler.ts).
import * as vscode from 'vscode';
import type { RunbookProblem } from '../runbook/types';
import { lintDepth } from './lintPolicy';
import { LintScheduler } from './lintScheduler';
import { SqlQuickFixes } from './sqlQuickFixes';
import { isRunbookDocument, runbookOf } from './runbookDocuments';
import type { RuntimeLoader } from './runtimeLoader';
import type { TrustGate } from './workspaceTrust';

const DEBOUNCE_MS = 400;

export function toDiagnostic(document: vscode.TextDocument, problem: RunbookProblem): vscode.Diagnostic {
  const line = Math.min(Math.max(problem.line, 0), Math.max(document.lineCount - 1, 0));
  const text = document.lineAt(line);
  const end =
    problem.column !== undefined && problem.length !== undefined
      ? Math.min(problem.column + problem.length, text.range.end.character)
      : text.range.end.character;
  const range =
    problem.column !== undefined
      ? new vscode.Range(line, problem.column, line, end)
      : new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, end);
  const diagnostic = new vscode.Diagnostic(
    range,
    problem.message,
    problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'trailbook';
  diagnostic.code = problem.code;
  return diagnostic;
}

export function registerDiagnostics(runtime: RuntimeLoader, trust: TrustGate): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('trailbook');
  /** The diagnostics shown that carry DuckDB's candidate, by document: what the quick fix offers. */
  const fixes = new SqlQuickFixes();
  /** The Markdown documents open now, by URI: what a scheduled lint reads when its turn comes. */
  const documents = new Map<string, vscode.TextDocument>();

  const lint = async (key: string, signal: AbortSignal): Promise<void> => {
    const document = documents.get(key);
    if (!document || document.isClosed) return;
    const depth = lintDepth({ scheme: document.uri.scheme, isRunbook: isRunbookDocument(document) }, trust.trusted);
    if (depth === 'none') {
      fixes.set(document, []);
      return void collection.delete(document.uri);
    }
    const version = document.version;
    const runbook = runbookOf(document);
    const formatProblems = runbook.problems.map((p) => toDiagnostic(document, p));
    collection.set(document.uri, formatProblems);
    fixes.set(document, []);
    if (depth === 'format' || runbook.cells.length === 0) return;
    // A lint aborted by a newer edit, or finished after one, describes text that is gone.
    const stale = (): boolean => signal.aborted || document.isClosed || document.version !== version;
    try {
      const problems = await runtime.get().lint(document.getText(), document.uri.fsPath, { signal, runbook });
      if (stale()) return;
      const placed = problems.map((problem) => ({ problem, diagnostic: toDiagnostic(document, problem) }));
      collection.set(
        document.uri,
        placed.map((p) => p.diagnostic),
      );
      fixes.set(
        document,
        placed.flatMap(({ problem, diagnostic }) =>
          problem.replacement !== undefined ? [{ diagnostic, replacement: problem.replacement }] : [],
        ),
      );
    } catch (error) {
      if (stale()) return;
      collection.set(document.uri, [
        ...formatProblems,
        toDiagnostic(document, {
          line: 0,
          severity: 'warning',
          code: 'lint-unavailable',
          message: `SQL was not checked: ${(error as Error).message}`,
        }),
      ]);
    }
  };
  const scheduler = new LintScheduler(lint, DEBOUNCE_MS);
  const track = (document: vscode.TextDocument): void => {
    if (document.languageId !== 'markdown') return;
    const key = document.uri.toString();
    documents.set(key, document);
    scheduler.schedule(key);
  };

  for (const document of vscode.workspace.textDocuments) track(document);
  return vscode.Disposable.from(
    collection,
    vscode.languages.registerCodeActionsProvider({ language: 'markdown' }, fixes, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.workspace.onDidOpenTextDocument(track),
    vscode.workspace.onDidChangeTextDocument((e) => track(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      scheduler.forget(key);
      documents.delete(key);
      collection.delete(document.uri);
      fixes.set(document, []);
    }),
    // Trust granted: the open runbooks get their SQL checked now, without a reload.
    trust.onDidGrant(() => {
      for (const key of documents.keys()) scheduler.schedule(key);
    }),
    { dispose: () => scheduler.dispose() },
  );
}
