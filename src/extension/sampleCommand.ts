// "Trailbook: Open the sample investigation": a generated trail with attacks injected,
// chosen as the log folder, and a bundled runbook opened on it. No AWS account needed.
import * as vscode from 'vscode';
import type { RuntimeLoader } from './runtimeLoader';
import type { RunSettings } from './settings';

const SAMPLE_RUNBOOK = 'runbooks/cloudtrail-tampering.md';

export function registerSampleCommand(extensionUri: vscode.Uri, runtime: RuntimeLoader, settings: RunSettings): vscode.Disposable {
  return vscode.commands.registerCommand('trailbook.openSample', async () => {
    const sample = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Trailbook: preparing the sample trail' },
      async (progress) => runtime.get().sampleTrail(() => progress.report({ message: 'generating 20,000 events with attacks injected (once)…' })),
    );
    await settings.choose({ source: 'local', logsPath: sample.logsPath, window: sample.window });
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(extensionUri, SAMPLE_RUNBOOK));
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.showInformationMessage(
      `The sample trail is your log folder now (window ${sample.window}). Click "▶ Run query" above a block. Other runbooks are in the Runbooks view.`,
    );
  });
}
