// Completion and hovers inside cloudtrail blocks (sqlAssist.ts decides what), and "run the
// cell at the cursor" with its key binding: the context key trailbook.cursorInCell is true
// while the cursor is in a cloudtrail block, so Ctrl/Cmd+Enter runs the cell there and
// keeps its usual meaning elsewhere.
import * as vscode from 'vscode';
import { BUNDLED_SCHEME } from './bundledRunbooks';
import type { RunController } from './runController';
import { isRunbookDocument, outlineOf } from './runbookDocuments';
import {
  blockAtLine,
  cellAtLine,
  hoverText,
  suggestionsAt,
  wordAt,
  type AssistContext,
  type PortableFunction,
  type SuggestionKind,
} from './sqlAssist';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'markdown', scheme: 'file' },
  { language: 'markdown', scheme: 'untitled' },
  { language: 'markdown', scheme: BUNDLED_SCHEME },
];

let functions: readonly PortableFunction[] | undefined;
/**
 * The functions completion offers, listed on the first completion or hover. The module that
 * defines them builds its SQL macro tables when it is evaluated (a few ms), so it is required
 * then, not at activation (a require() esbuild evaluates on first call).
 */
function portableFunctions(): readonly PortableFunction[] {
  if (functions) return functions;
  const { NATIVE_TRINO_FUNCTIONS, TRINO_FUNCTIONS } = require('../engine/trinoFunctions') as typeof import('../engine/trinoFunctions');
  functions = [
    ...TRINO_FUNCTIONS.map((f) => ({ name: f.name, signature: f.signature, note: f.note })),
    ...NATIVE_TRINO_FUNCTIONS.map((f) => ({ name: f.name, ...(f.note ? { note: f.note } : {}) })),
  ].filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i);
  return functions;
}

const KINDS: Record<SuggestionKind, vscode.CompletionItemKind> = {
  column: vscode.CompletionItemKind.Field,
  field: vscode.CompletionItemKind.Field,
  function: vscode.CompletionItemKind.Function,
  table: vscode.CompletionItemKind.Class,
  param: vscode.CompletionItemKind.Variable,
  cellColumn: vscode.CompletionItemKind.Reference,
  cell: vscode.CompletionItemKind.Module,
};

const CONTEXT_KEY = 'trailbook.cursorInCell';

export function registerSqlHelp(controller: RunController): vscode.Disposable {
  const context = (uri: vscode.Uri): AssistContext => ({
    functions: portableFunctions(),
    columnsOf: (cellId) => controller.lastRun(uri.toString(), cellId)?.columns,
    valuesOf: (cellId, column) => {
      const run = controller.lastRun(uri.toString(), cellId);
      const at = run?.columns.findIndex((c) => c.toLowerCase() === column.toLowerCase()) ?? -1;
      return run && at >= 0 ? run.rows.map((row) => row[at]) : undefined;
    },
  });

  const completion: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position) {
      if (!isRunbookDocument(document)) return undefined;
      const runbook = outlineOf(document);
      const cell = cellAtLine(runbook, position.line);
      if (!cell) return undefined;
      const before = document.lineAt(position.line).text.slice(0, position.character);
      return suggestionsAt(before, runbook, cell, context(document.uri)).map((s) => {
        const item = new vscode.CompletionItem(s.label, KINDS[s.kind]);
        if (s.detail) item.detail = s.detail;
        if (s.documentation) item.documentation = new vscode.MarkdownString(s.documentation);
        if (s.kind === 'function') item.insertText = new vscode.SnippetString(`${s.label}($0)`);
        return item;
      });
    },
  };

  const hover: vscode.HoverProvider = {
    provideHover(document, position) {
      if (!isRunbookDocument(document)) return undefined;
      const runbook = outlineOf(document);
      if (!cellAtLine(runbook, position.line)) return undefined;
      const word = wordAt(document.lineAt(position.line).text, position.character);
      const text = word && hoverText(word.text, runbook, context(document.uri));
      if (!word || !text) return undefined;
      const markdown = new vscode.MarkdownString();
      // Values come from logs: shown as text, never as links or commands.
      markdown.isTrusted = false;
      markdown.appendMarkdown(text);
      return new vscode.Hover(markdown, new vscode.Range(position.line, word.start, position.line, word.end));
    },
  };

  const updateContext = (editor: vscode.TextEditor | undefined): void => {
    const inCell =
      !!editor && isRunbookDocument(editor.document) && blockAtLine(outlineOf(editor.document), editor.selection.active.line) !== undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, inCell);
  };

  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(SELECTOR, completion, '.', '{'),
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.window.onDidChangeTextEditorSelection((e) => updateContext(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    vscode.commands.registerCommand('trailbook.runCellAtCursor', async () => {
      const editor = vscode.window.activeTextEditor;
      const cell =
        editor && isRunbookDocument(editor.document) ? blockAtLine(outlineOf(editor.document), editor.selection.active.line) : undefined;
      if (!editor || !cell) return void vscode.window.showInformationMessage('Put the cursor in a cloudtrail block to run it.');
      await vscode.commands.executeCommand('trailbook.runCell', editor.document.uri, cell.id);
    }),
  );
}
