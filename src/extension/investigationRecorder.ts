// The active investigation (docs/investigations.md): which record the editor appends to,
// what it appends (each cell run, each marked event, each pivot, each note), the status bar
// item that names it, and what the results view is told (the marked events and the notes,
// drawn on the timeline). The record's format and its file are src/app/investigation's;
// this is only the editor's glue. The active record survives a reload (workspace state).
import * as vscode from 'vscode';
import { sha256Hex } from '../app/evidence';
import { cellRunEntry, eventMarkEntry } from '../app/investigation/entries';
import { appendEntry, type RecordEntry } from '../app/investigation/record';
import { appendToRecord } from '../app/investigation/recordFile';
import { markedEvents, parseRecord, type ParsedRecord } from '../app/investigation/recordParse';
import type { InvestigationMessage } from '../protocol/results';
import type { RanCell } from './runController';

const ACTIVE_KEY = 'trailbook.investigation.active';

export class InvestigationRecorder implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('trailbook.investigation', vscode.StatusBarAlignment.Left, 50);
  private activePath: string | undefined;
  private parsed: ParsedRecord | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly listeners: vscode.Disposable[] = [];
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: vscode.Memento,
    private readonly post: (message: InvestigationMessage) => void,
  ) {
    this.item.name = 'Trailbook: the active investigation';
    this.item.command = 'trailbook.showInvestigation';
    this.activePath = state.get<string>(ACTIVE_KEY);
    // A person editing the record by hand (a note of their own, a fixed typo) is read again on save.
    this.listeners.push(
      vscode.workspace.onDidSaveTextDocument((document) => document.uri.fsPath === this.activePath && void this.reload()),
    );
    void this.reload();
  }

  /** The record's path, while an investigation is active. */
  get active(): string | undefined {
    return this.activePath;
  }

  get title(): string | undefined {
    return this.parsed?.header?.title;
  }

  async activate(path: string | undefined): Promise<void> {
    this.activePath = path;
    await this.state.update(ACTIVE_KEY, path);
    await this.reload();
  }

  /** A cell run, appended to the active record (nothing when none is active). */
  recordRun(ran: RanCell): void {
    if (this.activePath === undefined) return;
    const entry = cellRunEntry(
      { run: ran.run, runbook: ran.runbook, runbookSha256: sha256Hex(ran.runbookText), source: ran.source },
      new Date(),
    );
    void this.append([entry]);
  }

  recordPivot(pivot: {
    readonly kind: string;
    readonly fromCell: string;
    readonly newCell: string;
    readonly value: string;
    readonly runbook: string;
  }): void {
    if (this.activePath === undefined) return;
    void this.append([
      {
        kind: 'pivot',
        at: new Date().toISOString(),
        pivot: pivot.kind,
        fromCell: pivot.fromCell,
        newCell: pivot.newCell,
        value: pivot.value,
        runbook: pivot.runbook,
      },
    ]);
  }

  markEvent(mark: Parameters<typeof eventMarkEntry>[0]): Promise<boolean> {
    return this.append([eventMarkEntry(mark, new Date())]);
  }

  note(kind: 'note' | 'decision', text: string): Promise<boolean> {
    return this.append([{ kind, at: new Date().toISOString(), text }]);
  }

  /**
   * Appends to the record: on disk through writeAtomic, or, when the record is open with
   * unsaved edits, at the end of the editor's text (writing the file under them would
   * make the person choose between their edits and the entry).
   */
  private append(entries: readonly RecordEntry[]): Promise<boolean> {
    // One at a time, in the order asked (a pivot, then its cell's run): an edit of the open
    // record is computed from its text, which the previous append may still be changing.
    const mine = this.appending.then(() => this.appendNow(entries));
    this.appending = mine.catch(() => undefined);
    return mine;
  }

  private async appendNow(entries: readonly RecordEntry[]): Promise<boolean> {
    const path = this.activePath;
    if (path === undefined) return false;
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
      if (open?.isDirty) {
        const text = open.getText();
        const next = entries.reduce((out, entry) => appendEntry(out, entry), text);
        const keep = text.replace(/(\r?\n)*$/, '').length;
        const edit = new vscode.WorkspaceEdit();
        edit.replace(open.uri, new vscode.Range(open.positionAt(keep), open.positionAt(text.length)), next.slice(keep));
        if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the editor refused the edit');
        this.parsed = parseRecord(open.getText());
        this.publish();
      } else {
        await appendToRecord(path, entries);
        await this.reload();
      }
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Could not add to the investigation record ${vscode.workspace.asRelativePath(path)}: ${(error as Error).message}`,
      );
      // Moved, deleted or no longer a record: reading it again says so and stops appending to it.
      await this.reload();
      return false;
    }
  }

  private async reload(): Promise<void> {
    const path = this.activePath;
    if (path === undefined) {
      this.parsed = undefined;
      return this.publish();
    }
    try {
      this.parsed = parseRecord(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path))));
      if (this.parsed.header === undefined) throw new Error(this.parsed.problems[0]?.message ?? 'no header');
    } catch (error) {
      // Moved, deleted or rewritten: stop appending to it rather than write somewhere unexpected.
      void vscode.window.showWarningMessage(
        `The investigation record ${vscode.workspace.asRelativePath(path)} cannot be read (${(error as Error).message}): it is no longer the active investigation.`,
      );
      this.activePath = undefined;
      this.parsed = undefined;
      await this.state.update(ACTIVE_KEY, undefined);
    }
    this.publish();
  }

  /** The status bar and the results view show the record as it now is. */
  private publish(): void {
    const parsed = this.parsed;
    const path = this.activePath;
    if (path === undefined || parsed?.header === undefined) {
      this.item.hide();
      this.post({ type: 'investigation', marks: [], notes: [] });
    } else {
      const marks = markedEvents(parsed.entries);
      const runs = parsed.entries.filter((e) => e.kind === 'run').length;
      const notes = parsed.entries.flatMap((e) =>
        e.kind === 'note' || e.kind === 'decision' ? [{ at: e.at, kind: e.kind, text: e.text }] : [],
      );
      const where = vscode.workspace.asRelativePath(path);
      this.item.text = `$(notebook) ${parsed.header.title} · ★ ${marks.length}`;
      this.item.tooltip = `Investigation: ${parsed.header.title}\nRecord: ${where}\n${runs} cell runs, ${marks.length} events marked, ${notes.length} notes and decisions\nEvery run, star, pivot and note is appended to the record.\nClick to open the record`;
      this.item.show();
      this.post({
        type: 'investigation',
        title: parsed.header.title,
        record: where,
        marks: marks.map((m) => ({ eventId: m.eventId, tag: m.tag, ...(m.note ? { note: m.note } : {}) })),
        notes,
      });
    }
    this.changed.fire();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const listener of this.listeners) listener.dispose();
  }
}
