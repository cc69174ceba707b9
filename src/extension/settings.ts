// The settings (`trailbook.*`) with the user's choices from the status bar laid over them.
// Choices are remembered per workspace (workspaceState), so choosing a log folder for one
// incident never edits a settings file that is checked in.
import * as vscode from 'vscode';
import type { SourceKind, TrailbookSettings } from './runTarget';

export type Choices = Partial<Pick<TrailbookSettings, 'source' | 'logsPath' | 'profile' | 'regions' | 'window'>>;

const CHOICES_KEY = 'trailbook.choices';

export class RunSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('trailbook')) this.changed.fire();
    });
  }

  get choices(): Choices {
    return this.state.get<Choices>(CHOICES_KEY) ?? {};
  }

  async choose(patch: Choices): Promise<void> {
    await this.state.update(CHOICES_KEY, { ...this.choices, ...patch });
    this.changed.fire();
  }

  current(): TrailbookSettings {
    const config = vscode.workspace.getConfiguration('trailbook');
    const choices = this.choices;
    const limit = config.get<number>('rowLimit', 10_000);
    return {
      source: choices.source ?? (config.get<string>('source', 'local') === 'lookup' ? 'lookup' : 'local') as SourceKind,
      logsPath: choices.logsPath ?? config.get<string>('logsPath', ''),
      profile: choices.profile ?? config.get<string>('profile', ''),
      regions: choices.regions ?? config.get<string[]>('regions', []),
      window: choices.window ?? config.get<string>('window', ''),
      endpoint: config.get<string>('endpoint', ''),
      rowLimit: Number.isInteger(limit) && limit > 0 ? limit : 10_000,
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
