// The "Runbooks" view in the explorer: the workspace's runbooks and the bundled ones,
// grouped by ATT&CK tactic (runbookLibrary.ts), each runbook once, with a filter, a quick
// search and "New runbook". Bundled runbooks open read-only (bundledRunbooks.ts).
import * as vscode from 'vscode';
import { parseRunbook } from '../runbook/parse';
import { runbookSlug, runbookTemplate } from '../runbook/template';
import { isRunbookText } from './runbookDocuments';
import { bundledUri } from './bundledRunbooks';
import {
  groupByTactic,
  libraryEntry,
  withoutCopiedBundled,
  matchesQuery,
  primaryTactic,
  techniqueNames,
  type LibraryEntry,
  type TacticGroup,
} from './runbookLibrary';
import { freeFileName, workspaceRunbooksFolder } from './runbookFolder';
import { workspaceRoot } from './settings';

type Node = { readonly kind: 'tactic'; readonly group: TacticGroup } | { readonly kind: 'runbook'; readonly entry: LibraryEntry };

/** Where a runbook opens: a bundled one read-only, under its own scheme; the workspace's as a file. */
function openUri(entry: LibraryEntry): vscode.Uri {
  return entry.origin === 'bundled' ? bundledUri(entry.path.split(/[\\/]/).pop()!) : vscode.Uri.file(entry.path);
}

const MAX_FILES = 2000;

class RunbookTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries: Promise<LibraryEntry[]> | undefined;
  query = '';

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The emitter holds the view's listeners: without this they outlive the extension. */
  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.entries = undefined;
    this.changed.fire();
  }

  filter(query: string): void {
    this.query = query;
    this.changed.fire();
  }

  all(): Promise<LibraryEntry[]> {
    this.entries ??= this.load();
    return this.entries;
  }

  private async load(): Promise<LibraryEntry[]> {
    const read = async (uri: vscode.Uri, origin: LibraryEntry['origin']): Promise<LibraryEntry | undefined> => {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        if (!isRunbookText(text)) return undefined;
        return libraryEntry(parseRunbook(text, uri.fsPath), origin);
      } catch {
        return undefined; // deleted between listing and reading: gone from the view too
      }
    };
    const workspace = await vscode.workspace.findFiles('**/*.md', '{**/node_modules/**,**/.git/**,**/out/**}', MAX_FILES);
    const bundledDir = vscode.Uri.joinPath(this.extensionUri, 'runbooks');
    const bundled = (await vscode.workspace.fs.readDirectory(bundledDir).then(undefined, () => []))
      .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md'))
      .map(([name]) => vscode.Uri.joinPath(bundledDir, name));
    // The extension's own runbooks are "bundled" even when its folder is the workspace (development).
    const bundledPaths = new Set(bundled.map((u) => u.fsPath));
    const found = await Promise.all([
      ...workspace.filter((u) => !bundledPaths.has(u.fsPath)).map((u) => read(u, 'workspace')),
      ...bundled.map((u) => read(u, 'bundled')),
    ]);
    return found.filter((e): e is LibraryEntry => e !== undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'runbook') return [];
    if (node?.kind === 'tactic') return node.group.entries.map((entry) => ({ kind: 'runbook', entry }));
    const shown = (await this.all()).filter((e) => matchesQuery(e, this.query));
    return groupByTactic(shown).map((group) => ({ kind: 'tactic', group }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'tactic') {
      const item = new vscode.TreeItem(node.group.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `tactic:${node.group.key}`;
      item.description = `${node.group.entries.length}`;
      item.iconPath = new vscode.ThemeIcon('shield');
      return item;
    }
    const { entry } = node;
    const techniques = techniqueNames(entry);
    const item = new vscode.TreeItem(entry.title, vscode.TreeItemCollapsibleState.None);
    item.id = `runbook:${entry.origin}:${entry.path}`;
    item.description = entry.origin === 'bundled' ? 'bundled' : vscode.workspace.asRelativePath(entry.path);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**').appendText(entry.title).appendMarkdown('**\n\n');
    if (entry.description) tooltip.appendText(entry.description).appendMarkdown('\n\n');
    tooltip.appendText(`${primaryTactic(entry).name}${techniques.length > 0 ? ` · ${techniques.join(', ')}` : ''}`).appendMarkdown('\n\n');
    const otherTags = entry.tags.filter((tag) => !techniques.some((t) => t.endsWith(`(${tag.toUpperCase()})`)));
    tooltip.appendText(
      `${entry.cells} queries · tags: ${otherTags.join(', ') || 'none'} · ${entry.reviewed ? `reviewed ${entry.reviewed}` : 'never reviewed'}`,
    );
    if (entry.origin === 'bundled')
      tooltip.appendMarkdown('\n\n').appendText('Bundled with Trailbook: opens read-only; copy it to your workspace to edit it.');
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(entry.origin === 'bundled' ? 'book' : 'notebook');
    const uri = openUri(entry);
    item.resourceUri = uri;
    item.command = { command: 'vscode.open', title: 'Open runbook', arguments: [uri] };
    return item;
  }
}

export function registerRunbookTree(extensionUri: vscode.Uri): vscode.Disposable {
  const provider = new RunbookTreeProvider(extensionUri);
  const view = vscode.window.createTreeView('trailbook.runbooks', { treeDataProvider: provider, showCollapseAll: true });
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.md');
  const refresh = (): void => provider.refresh();

  const filter = async (): Promise<void> => {
    const query = await vscode.window.showInputBox({
      title: 'Filter runbooks',
      prompt: 'words that must appear in the title, a tag, the description or the path (empty: show all)',
      value: provider.query,
    });
    if (query === undefined) return;
    provider.filter(query.trim());
    // '' shows no description, as undefined does; vscode.d.ts types it as a string that may be absent, not undefined.
    view.description = query.trim() ? `filter: ${query.trim()}` : '';
  };

  const find = async (): Promise<void> => {
    const entries = withoutCopiedBundled(await provider.all());
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({
        label: entry.title,
        description: [primaryTactic(entry).name, ...techniqueNames(entry)].join(' · '),
        detail: `${entry.origin === 'bundled' ? 'bundled' : vscode.workspace.asRelativePath(entry.path)}${entry.description ? ` — ${entry.description}` : ''}`,
        entry,
      })),
      { title: 'Open a runbook', matchOnDescription: true, matchOnDetail: true, placeHolder: 'search titles, tags and descriptions' },
    );
    if (picked) await vscode.window.showTextDocument(openUri(picked.entry));
  };

  const create = async (): Promise<void> => {
    const title = await vscode.window.showInputBox({
      title: 'New runbook',
      prompt: 'What does it investigate?',
      placeHolder: 'Access keys used from a new country',
      validateInput: (t) => (t.trim() ? undefined : 'give the runbook a title'),
    });
    if (!title) return;
    const text = runbookTemplate(title, new Date());
    const root = workspaceRoot();
    if (!root) {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
      return void vscode.window.showTextDocument(document);
    }
    const base = vscode.Uri.file(workspaceRunbooksFolder(root));
    const target = vscode.Uri.joinPath(base, await freeFileName(runbookSlug(title), (name) => exists(vscode.Uri.joinPath(base, name))));
    await vscode.workspace.fs.createDirectory(base);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(target);
    refresh();
  };

  return vscode.Disposable.from(
    view,
    provider,
    watcher,
    watcher.onDidCreate(refresh),
    watcher.onDidDelete(refresh),
    watcher.onDidChange(refresh),
    vscode.commands.registerCommand('trailbook.refreshRunbooks', refresh),
    vscode.commands.registerCommand('trailbook.filterRunbooks', filter),
    vscode.commands.registerCommand('trailbook.findRunbook', find),
    vscode.commands.registerCommand('trailbook.newRunbook', create),
  );
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}
