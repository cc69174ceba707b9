// A failed run is one message with the fix, and a button where the fix is a command.
import * as vscode from 'vscode';
import { shellQuote } from '../runbook/shellQuote';

/** `aws sso login --profile audit` in the errors the credential code writes. */
const SSO_LOGIN = /aws sso login --profile ([^\s`'"]+)/;

export function showRunError(message: string): void {
  const sso = SSO_LOGIN.exec(message);
  if (sso) {
    void vscode.window.showErrorMessage(message, 'Run aws sso login').then((choice) => {
      if (!choice) return;
      const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
      terminal.show();
      terminal.sendText(`aws sso login --profile ${shellQuote(sso[1]!)}`);
    });
    return;
  }
  if (/no log folder chosen|trailbook\.logsPath|no CloudTrail log files/.test(message)) {
    void vscode.window.showErrorMessage(message, 'Choose log folder…').then((choice) => {
      if (choice) void vscode.commands.executeCommand('trailbook.chooseLogs');
    });
    return;
  }
  if (/trailbook\.trino\./.test(message)) {
    void vscode.window.showErrorMessage(message, 'Open Trino Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'trailbook.trino');
    });
    return;
  }
  void vscode.window.showErrorMessage(message);
}
