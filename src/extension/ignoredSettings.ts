// Tells the person when a workspace's settings tried to choose what only they may choose
// (endpoint, profile, source, log folder; see settingsScope.ts), or named regions that are
// not region names. VS Code drops a workspace's value of a `machine` setting silently, so
// the settings files are read here; only their keys are looked at, nothing is run.
import * as vscode from 'vscode';
import { setByWorkspace, USER_ONLY_SETTINGS, userOnlySettingsIn, validRegions } from './settingsScope';

export class IgnoredSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private current: readonly string[] = [];
  /** The notification is shown once per distinct finding, not on every re-read. */
  private shown = '';
  private scans = 0;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const rescan = (): void => void this.scan();
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(rescan),
      watcher.onDidChange(rescan),
      watcher.onDidDelete(rescan),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('trailbook') && rescan()),
      vscode.workspace.onDidChangeWorkspaceFolders(rescan),
    ];
    rescan();
  }

  /** One line per ignored setting, for the status bar's tooltip. */
  get notes(): readonly string[] {
    return this.current;
  }

  private async scan(): Promise<void> {
    const scan = (this.scans += 1);
    const names = new Set<string>();
    for (const { uri, under } of settingsFiles()) {
      for (const name of userOnlySettingsIn(await readText(uri), under)) names.add(`trailbook.${name}`);
    }
    const config = vscode.workspace.getConfiguration('trailbook');
    for (const name of USER_ONLY_SETTINGS) if (setByWorkspace(config.inspect(name))) names.add(`trailbook.${name}`);
    const notes = [...names].sort().map((name) => `${name} from this workspace's settings (only your user settings choose it)`);
    const { rejected } = validRegions(config.get<unknown>('regions', []));
    if (rejected.length > 0) notes.push(`trailbook.regions ${rejected.map((r) => JSON.stringify(r)).join(', ')} (not AWS region names)`);
    // A later scan has started: its answer is the one that counts.
    if (scan !== this.scans || notes.join('\n') === this.current.join('\n')) return;
    this.current = notes;
    this.changed.fire();
    this.announce(names);
  }

  private announce(names: ReadonlySet<string>): void {
    const key = [...names].sort().join(',');
    if (names.size === 0 || key === this.shown) return;
    this.shown = key;
    const list = [...names].sort().join(', ');
    void vscode.window
      .showWarningMessage(
        `Trailbook ignores ${list} in this workspace's settings: where queries run, with which AWS credentials and on which log files is chosen only in your user settings (or in the status bar), never by a folder's .vscode/settings.json.`,
        'Open User Settings',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'trailbook');
      });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

/** Every folder's .vscode/settings.json and the .code-workspace file (its "settings"), where they exist. */
function settingsFiles(): { uri: vscode.Uri; under: readonly string[] }[] {
  const files = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
    under: [] as readonly string[],
  }));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push({ uri: workspaceFile, under: ['settings'] });
  return files;
}

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    // No settings file: nothing was set.
    return '';
  }
}
