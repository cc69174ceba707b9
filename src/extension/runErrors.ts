// A failed run is one message with the fix, and a button where the fix is a command. The
// button follows the error's kind (src/engine/errorKind.ts), set where the error is raised,
// never the English of the message: rewording a message cannot lose its button.
import * as vscode from 'vscode';
import type { ErrorKind } from '../engine/errorKind';
import { shellQuote } from '../runbook/shellQuote';

export function showRunError(message: string, kind: ErrorKind | undefined): void {
  switch (kind?.kind) {
    case 'credentialsExpired': {
      const { profile } = kind;
      void vscode.window.showErrorMessage(message, 'Run aws sso login').then((choice) => {
        if (!choice) return;
        const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
        terminal.show();
        terminal.sendText(`aws sso login --profile ${shellQuote(profile)}`);
      });
      return;
    }
    case 'noLogs':
      void vscode.window.showErrorMessage(message, 'Choose log folder…').then((choice) => {
        if (choice) void vscode.commands.executeCommand('trailbook.chooseLogs');
      });
      return;
    case 'trinoTarget':
      void vscode.window.showErrorMessage(message, 'Open Trino Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'trailbook.trino');
      });
      return;
    case undefined:
      void vscode.window.showErrorMessage(message);
  }
}
