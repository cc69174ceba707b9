// The investigation's commands: Start (from the runbook in the editor), Open (a record of
// the workspace's investigations/ folder), Add note, Record decision, Show the record,
// Stop recording; and what a star or tag from the results view asks (tag, note).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { INVESTIGATIONS_FOLDER, newRecordPath, refuseRecordPath } from '../app/investigation/investigationPath';
import { STARRED } from '../app/investigation/record';
import { createRecord, readRecord } from '../app/investigation/recordFile';
import type { ResultValue } from '../protocol/results';
import type { InvestigationRecorder } from './investigationRecorder';
import type { RunController } from './runController';
import { isRunbookDocument, runbookOf } from './runbookDocuments';
import { workspaceRoot } from './settings';

const TAGS = ['suspicious', 'malicious', 'benign', 'key evidence', 'follow up'];

export function registerInvestigationCommands(recorder: InvestigationRecorder, extensionUri: vscode.Uri): vscode.Disposable {
  const start = async (target?: vscode.Uri | string): Promise<string | undefined> => {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
    const document = uri && (await vscode.workspace.openTextDocument(uri));
    if (!document || !isRunbookDocument(document))
      return void vscode.window.showInformationMessage(
        'Open the runbook the investigation starts from (a Markdown file with cloudtrail blocks), then start it.',
      );
    const workspace = workspaceRoot();
    if (!workspace)
      return void vscode.window.showWarningMessage(
        'Open a folder first: the investigation record is kept in its investigations/ folder, for git and review.',
      );
    const openedAt = new Date();
    const title = runbookOf(document).title;
    const runbook = document.uri.scheme === 'file' ? vscode.workspace.asRelativePath(document.uri) : document.uri.toString();
    const refused = refuseRecordPath(
      newRecordPath(workspace, openedAt, title, () => false),
      document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
      [extensionUri.fsPath],
    );
    if (refused) return void vscode.window.showErrorMessage(`Cannot start the investigation: ${refused}`);
    try {
      const path = await createRecord(workspace, { title, runbook, openedAt: openedAt.toISOString() });
      await recorder.activate(path);
      void vscode.window.showInformationMessage(
        `Investigation started: every run, star, pivot and note now goes into ${vscode.workspace.asRelativePath(path)}`,
      );
      return path;
    } catch (error) {
      return void vscode.window.showErrorMessage(
        `Cannot start the investigation in ${join(workspace, INVESTIGATIONS_FOLDER)}: ${(error as Error).message}`,
      );
    }
  };

  const open = async (target?: vscode.Uri | string): Promise<void> => {
    let path = typeof target === 'string' ? vscode.Uri.parse(target).fsPath : target?.fsPath;
    if (path === undefined) {
      const workspace = workspaceRoot();
      const folder = workspace && join(workspace, INVESTIGATIONS_FOLDER);
      const names = folder
        ? (await readdir(folder).catch(() => [] as string[]))
            .filter((n) => n.endsWith('.md'))
            .sort()
            .reverse()
        : [];
      if (!folder || names.length === 0)
        return void vscode.window.showInformationMessage(
          'No investigation in this workspace yet: run "Trailbook: Start investigation" from a runbook.',
        );
      const picked = await vscode.window.showQuickPick(
        names.map((name) => ({ label: name, path: join(folder, name) })),
        { title: 'Open an investigation: its record becomes the one Trailbook appends to' },
      );
      if (!picked) return;
      path = picked.path;
    }
    const refused = refuseRecordPath(path, undefined, [extensionUri.fsPath]);
    if (refused) return void vscode.window.showErrorMessage(refused);
    try {
      await readRecord(path);
    } catch (error) {
      return void vscode.window.showErrorMessage((error as Error).message);
    }
    await recorder.activate(path);
    await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
  };

  /** The active record, or one started from the runbook of `runbookUri` once the person agrees. */
  const ensureActive = async (purpose: string, runbookUri?: string): Promise<boolean> => {
    if (recorder.active) return true;
    const choice = await vscode.window.showInformationMessage(
      `No investigation is active: start one to ${purpose}?`,
      'Start investigation',
    );
    return choice !== undefined && (await start(runbookUri)) !== undefined;
  };

  const addNote = async (kind: 'note' | 'decision', given?: string): Promise<void> => {
    if (!(await ensureActive(kind === 'note' ? 'keep notes' : 'record decisions'))) return;
    const text =
      given ??
      (await vscode.window.showInputBox({
        title: kind === 'note' ? 'Add a note to the investigation' : 'Record a decision',
        prompt:
          kind === 'note'
            ? 'What you found, suspect or ruled out'
            : 'What was decided, and why (e.g. "Deactivate the key: made without MFA from an unknown address")',
        ignoreFocusOut: true,
      }));
    if (text === undefined || text.trim() === '') return;
    await recorder.note(kind, text);
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('trailbook.startInvestigation', (target?: vscode.Uri | string) => start(target)),
    vscode.commands.registerCommand('trailbook.openInvestigation', (target?: vscode.Uri | string) => open(target)),
    vscode.commands.registerCommand('trailbook.addNote', (text?: string) => addNote('note', typeof text === 'string' ? text : undefined)),
    vscode.commands.registerCommand('trailbook.addDecision', (text?: string) =>
      addNote('decision', typeof text === 'string' ? text : undefined),
    ),
    vscode.commands.registerCommand('trailbook.showInvestigation', async () => {
      if (!recorder.active) return open();
      await vscode.window.showTextDocument(vscode.Uri.file(recorder.active), { preview: false });
    }),
    vscode.commands.registerCommand('trailbook.stopInvestigation', async () => {
      const was = recorder.active;
      await recorder.activate(undefined);
      if (was)
        void vscode.window.showInformationMessage(
          `Stopped recording into ${vscode.workspace.asRelativePath(was)}; "Trailbook: Open investigation" takes it up again.`,
        );
    }),
  );
}

/** A star or tag from the results view: the tag (for a tag), the note, then the entry. */
export async function markEventFromView(
  recorder: InvestigationRecorder,
  runs: RunController,
  message: {
    readonly runId: string;
    readonly eventId: string;
    readonly how: 'star' | 'tag';
    readonly row: { readonly [column: string]: ResultValue };
  },
): Promise<void> {
  const place = runs.findRun(message.runId);
  if (!recorder.active) {
    const choice = await vscode.window.showInformationMessage(
      'No investigation is active: start one from this runbook to keep starred events?',
      'Start investigation',
    );
    if (choice === undefined) return;
    await vscode.commands.executeCommand('trailbook.startInvestigation', place?.uri);
    if (!recorder.active) return;
  }
  let tag = STARRED;
  if (message.how === 'tag') {
    const other = '$(edit) Another tag…';
    const picked = await vscode.window.showQuickPick([...TAGS, other], { title: `Tag event ${message.eventId}` });
    if (picked === undefined) return;
    tag =
      picked === other
        ? ((await vscode.window.showInputBox({ title: 'Tag', prompt: 'A word or two: what this event is to the investigation' }))?.trim() ??
          '')
        : picked;
    if (tag === '') return;
  }
  const note = await vscode.window.showInputBox({
    title: `${tag === STARRED ? 'Star' : `Tag (${tag})`} event ${message.eventId}`,
    prompt: 'A note: why this event matters (Enter to leave it without one; Esc to cancel)',
    ignoreFocusOut: true,
  });
  if (note === undefined) return;
  await recorder.markEvent({ eventId: message.eventId, tag, note, ...(place ? { cellId: place.cellId } : {}), row: message.row });
}
