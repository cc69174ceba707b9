// "▶ Run in terminal" for a response action: values from earlier cells and parameters are
// substituted shell-quoted, the exact final command is shown in a modal dialog, and only a
// confirmed command is sent to a terminal (a POSIX shell, with the same AWS profile).
import * as vscode from 'vscode';
import { isCancelled } from '../protocol/cancelled';
import { substituteAction } from '../runbook/substituteAction';
import type { RunbookAction } from '../runbook/types';
import type { ParamPrompt } from './paramPrompt';
import type { RunController } from './runController';
import { runbookOf } from './runbookDocuments';
import { runTargets } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import type { TrustGate } from './workspaceTrust';

const RUN = 'Run in terminal';

export function registerActionCommand(controller: RunController, settings: RunSettings, params: ParamPrompt, trust: TrustGate): vscode.Disposable {
  return vscode.commands.registerCommand('trailbook.runAction', async (target: vscode.Uri | string, actionId: string) => {
    if (!trust.trusted) return trust.refuse('send response actions to a terminal');
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
    const document = await vscode.workspace.openTextDocument(uri);
    const runbook = runbookOf(document);
    const action = runbook.actions.find((a) => a.id === actionId);
    if (!action) return void vscode.window.showErrorMessage(`No response action "${actionId}" in ${vscode.workspace.asRelativePath(uri)}: it may have been renamed.`);

    const missing = firstUnrunCell(action, (id) => controller.lastRun(uri.toString(), id) !== undefined);
    if (missing) {
      const choice = await vscode.window.showWarningMessage(`Action ${action.id} acts on what cell ${missing} found: run that cell first.`, `Run ${missing}`);
      if (choice) await vscode.commands.executeCommand('trailbook.runCell', uri, missing);
      return;
    }
    const names = runbook.params.map((p) => p.name).filter((name) => action.references.some((r) => r.kind === 'param' && r.name === name));
    const values = await params.ask(runbook, names);
    if (!values) return;

    let command: string;
    try {
      command = (
        await substituteAction(action, runbook, {
          params: values,
          cellResults: (id) => controller.lastRun(uri.toString(), id),
          choose: async (reference, options) =>
            (await vscode.window.showQuickPick([...options], { title: `${reference.text} has ${options.length} values: which one should ${action.id} act on?` })) ?? undefined,
        })
      ).command;
    } catch (error) {
      if (isCancelled(error)) return;
      return void vscode.window.showErrorMessage((error as Error).message);
    }
    if (process.platform === 'win32') {
      return void vscode.window.showErrorMessage(`Response actions are written for a POSIX shell (sh, bash, zsh). Copy the command into one: ${command}`);
    }
    const profile = runTargets(settings.current(), process.env, workspaceRoot()).lookup.profile;
    const choice = await vscode.window.showWarningMessage(
      `Run response action ${action.id} in a terminal?`,
      { modal: true, detail: `${command}\n\nAWS profile: ${profile ?? 'default'}. Check the command: it changes your AWS account.` },
      RUN,
    );
    if (choice !== RUN) return;
    const terminal = vscode.window.createTerminal({
      name: `Trailbook: ${action.id}`,
      // The quoting is POSIX sh's; a user's fish or PowerShell would read it differently.
      shellPath: '/bin/sh',
      env: profile ? { AWS_PROFILE: profile } : {},
    });
    terminal.show();
    terminal.sendText(command);
  });
}

/** The first cell the action takes values from that has not run in this session. */
function firstUnrunCell(action: RunbookAction, hasRun: (cellId: string) => boolean): string | undefined {
  for (const ref of action.references) if (ref.kind === 'cell' && !hasRun(ref.cellId)) return ref.cellId;
  return undefined;
}
