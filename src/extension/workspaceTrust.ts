// Restricted Mode (package.json: untrustedWorkspaces "limited"). A runbook in a folder the
// person has not trusted (a pull request, a fresh clone) is parsed and shown, but nothing of
// it runs: no query, no DuckDB check of its SQL, no response action, no request to AWS.
// Trust granted later takes effect at once, without a reload.
import * as vscode from 'vscode';

export interface TrustGate {
  readonly trusted: boolean;
  /** Tells the person why `what` did not happen, with a button to manage trust. */
  refuse(what: string): void;
  readonly onDidGrant: vscode.Event<void>;
}

export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
const MANAGE = 'Manage Workspace Trust';

export function workspaceTrustGate(): TrustGate {
  return {
    get trusted() {
      return vscode.workspace.isTrusted;
    },
    refuse(what) {
      void vscode.window
        .showWarningMessage(
          `Restricted Mode: Trailbook does not ${what} until you trust this folder. Its runbooks may come from a pull request or a cloned repository, and must not choose what runs on your AWS account or your machine. Trust the folder if you trust its authors.`,
          MANAGE,
        )
        .then((choice) => {
          if (choice === MANAGE) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
        });
    },
    onDidGrant: (listener, thisArgs, disposables) => vscode.workspace.onDidGrantWorkspaceTrust(listener, thisArgs, disposables),
  };
}
