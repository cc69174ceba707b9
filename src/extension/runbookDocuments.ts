// Parsed runbooks, one per open document version: CodeLens, diagnostics and runs all ask
// for the same parse, and parsing on every keystroke would be wasted work.
import type * as vscode from 'vscode';
import { parseRunbook } from '../runbook/parse';
import type { Runbook } from '../runbook/types';

const parsed = new WeakMap<vscode.TextDocument, { version: number; runbook: Runbook }>();

export function runbookOf(document: vscode.TextDocument): Runbook {
  const hit = parsed.get(document);
  if (hit && hit.version === document.version) return hit.runbook;
  const runbook = parseRunbook(document.getText(), document.uri.fsPath);
  parsed.set(document, { version: document.version, runbook });
  return runbook;
}

/** A Markdown text is a runbook when it has at least one cloudtrail block. */
export function isRunbookText(text: string): boolean {
  return /^\s*(```|~~~)\s*cloudtrail\b/m.test(text);
}

export function isRunbookDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && isRunbookText(document.getText());
}
