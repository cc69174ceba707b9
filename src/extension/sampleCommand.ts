// "Trailbook: Open the sample investigation": a generated trail with attacks injected,
// chosen as the log folder, and a bundled runbook copied into the person's own folder (the
// workspace's runbooks folder, or one they choose), so pivots and evidence live there and
// never in the extension's install folder. The investigation window is set to the trail's
// span: it wins over the runbook's `window: 7d`, so the first "Run query" shows the attacks.
import * as vscode from 'vscode';
import { bundledUri, copyToWorkspace } from './bundledRunbooks';
import type { ParamPrompt } from './paramPrompt';
import type { RuntimeLoader } from './runtimeLoader';
import type { RunSettings } from './settings';

const SAMPLE_RUNBOOK = 'cloudtrail-tampering.md';

export function registerSampleCommand(runtime: RuntimeLoader, settings: RunSettings, params: ParamPrompt): vscode.Disposable {
  return vscode.commands.registerCommand('trailbook.openSample', async () => {
    const sample = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Trailbook: preparing the sample trail' },
      async (progress) =>
        runtime.get().sampleTrail(() => progress.report({ message: 'generating 20,000 events with attacks injected (once)…' })),
    );
    // The runbooks invent no address ranges, buckets or hours; on the sample trail the prompt offers the sample organisation's.
    params.suggest(sample.params);
    const copy = await copyToWorkspace(bundledUri(SAMPLE_RUNBOOK));
    if (!copy) return;
    await settings.choose({
      source: 'local',
      logsPath: sample.logsPath,
      investigationWindow: sample.window,
      investigationAbout: "the sample trail's span",
    });
    const document = await vscode.workspace.openTextDocument(copy);
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.showInformationMessage(
      `The sample trail is your log folder now, and its span your investigation window. Click "▶ Run query" above a block. The runbook is your copy (${vscode.workspace.asRelativePath(copy)}); other runbooks are in the Runbooks view.`,
    );
  });
}
