// Parsed runbooks, one per open document version: CodeLens, diagnostics and runs all ask
// for the same parse, and parsing on every keystroke would be wasted work. What only shows
// the runbook (the CodeLenses, the status bar, the cursor's block) takes its outline, which
// does not load the shell parser the response actions' check needs; running anything takes
// the whole parse, its actions checked (runbookOf).
import type * as vscode from 'vscode';
import { parseRunbook, parseRunbookOutline } from '../runbook/parse';
import type { Runbook, RunbookOutline } from '../runbook/types';

const parsed = new WeakMap<vscode.TextDocument, { version: number; runbook: Runbook }>();
const outlined = new WeakMap<vscode.TextDocument, { version: number; outline: RunbookOutline }>();

/** The whole runbook, its response actions checked: what runs, lints and diagnostics take. */
export function runbookOf(document: vscode.TextDocument): Runbook {
  const hit = parsed.get(document);
  if (hit && hit.version === document.version) return hit.runbook;
  const runbook = parseRunbook(document.getText(), document.uri.fsPath);
  parsed.set(document, { version: document.version, runbook });
  return runbook;
}

/** The runbook's blocks and front matter, without the actions' shell check: the whole parse when there is one already. */
export function outlineOf(document: vscode.TextDocument): RunbookOutline {
  const whole = parsed.get(document);
  if (whole && whole.version === document.version) return whole.runbook;
  const hit = outlined.get(document);
  if (hit && hit.version === document.version) return hit.outline;
  const outline = parseRunbookOutline(document.getText(), document.uri.fsPath);
  outlined.set(document, { version: document.version, outline });
  return outline;
}

/** A Markdown text is a runbook when it has at least one cloudtrail block. */
export function isRunbookText(text: string): boolean {
  return /^\s*(```|~~~)\s*cloudtrail\b/m.test(text);
}

export function isRunbookDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && isRunbookText(document.getText());
}
