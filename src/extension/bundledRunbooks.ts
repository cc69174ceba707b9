// The runbooks that ship with the extension open read-only, under their own scheme
// (trailbook-bundled:/name.md), never from the install folder: an edit or a pivot written
// there would be lost at the next update, and evidence would record the install path. To
// edit one, pivot in it or run its response actions, the person copies it into the
// workspace's runbooks folder first (runbookFolder.ts); every such path offers the copy.
import * as vscode from 'vscode';
import { freeFileName, workspaceRunbooksFolder } from './runbookFolder';
import { workspaceRoot } from './settings';

export const BUNDLED_SCHEME = 'trailbook-bundled';
export const COPY_TO_WORKSPACE_COMMAND = 'trailbook.copyToWorkspace';
const COPY = 'Copy to workspace';

export function isBundled(uri: vscode.Uri): boolean {
  return uri.scheme === BUNDLED_SCHEME;
}

/** `trailbook-bundled:/cloudtrail-tampering.md` for `runbooks/cloudtrail-tampering.md` of the extension. */
export function bundledUri(fileName: string): vscode.Uri {
  return vscode.Uri.from({ scheme: BUNDLED_SCHEME, path: `/${fileName}` });
}

/** Reads the extension's runbooks folder; refuses every write, with a way out in the message. */
class BundledRunbooks implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly folder: vscode.Uri) {}

  private real(uri: vscode.Uri): vscode.Uri {
    // One level, plain names only: a crafted URI cannot read outside the runbooks folder.
    const name = uri.path.replace(/^\/+/, '');
    if (name !== '' && !/^[\w.-]+$/.test(name)) throw vscode.FileSystemError.FileNotFound(uri);
    return name === '' ? this.folder : vscode.Uri.joinPath(this.folder, name);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): Thenable<vscode.FileStat> {
    return vscode.workspace.fs.stat(this.real(uri)).then((stat) => ({ ...stat, permissions: vscode.FilePermission.Readonly }));
  }
  readDirectory(uri: vscode.Uri): Thenable<[string, vscode.FileType][]> {
    return vscode.workspace.fs.readDirectory(this.real(uri));
  }
  readFile(uri: vscode.Uri): Thenable<Uint8Array> {
    return vscode.workspace.fs.readFile(this.real(uri));
  }
  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The folder copies go to: the workspace's runbooks folder, else one the person chooses. */
async function copyFolder(): Promise<vscode.Uri | undefined> {
  const root = workspaceRoot();
  if (root) return vscode.Uri.file(workspaceRunbooksFolder(root));
  const picked = await vscode.window.showOpenDialog({
    title: 'Where should your copy of the runbook go?',
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Copy here',
  });
  return picked?.[0];
}

/**
 * Copies a bundled runbook into the person's folder and returns the copy. A copy made
 * before is kept as it is (it may hold their edits and pivots) and opened instead.
 */
export async function copyToWorkspace(source: vscode.Uri, options: { readonly reuse?: boolean } = {}): Promise<vscode.Uri | undefined> {
  const folder = await copyFolder();
  if (!folder) return undefined;
  const fileName = source.path.split('/').pop()!;
  const text = await vscode.workspace.fs.readFile(source);
  const existing = vscode.Uri.joinPath(folder, fileName);
  const exists = (uri: vscode.Uri): Promise<boolean> =>
    Promise.resolve(
      vscode.workspace.fs.stat(uri).then(
        () => true,
        () => false,
      ),
    );
  if (options.reuse !== false && (await exists(existing))) return existing;
  const target = vscode.Uri.joinPath(folder, await freeFileName(fileName, (name) => exists(vscode.Uri.joinPath(folder, name))));
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(target, text);
  return target;
}

/**
 * Before something that writes into a runbook or acts from it: a bundled runbook is offered
 * as a copy in the workspace, and the copy (opened) is what the action goes on with.
 * Undefined when the person declines. A runbook of their own is returned as it is.
 */
export async function ownRunbook(uri: vscode.Uri, purpose: string): Promise<vscode.Uri | undefined> {
  if (!isBundled(uri)) return uri;
  const name = uri.path.split('/').pop();
  const choice = await vscode.window.showInformationMessage(
    `${name} is a bundled runbook: it is read-only, and an update of Trailbook replaces it.`,
    {
      modal: true,
      detail: `Copy it to your workspace's runbooks folder to ${purpose}. The copy is yours: edit it, pivot in it, commit it.`,
    },
    COPY,
  );
  if (choice !== COPY) return undefined;
  const copy = await copyToWorkspace(uri);
  if (copy) await replaceEditors(uri, copy);
  return copy;
}

/** Opens the copy where the bundled runbook was, and closes the read-only one: two tabs of one name would be a trap. */
async function replaceEditors(bundled: vscode.Uri, copy: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(copy, { preview: false });
  const stale = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === bundled.toString());
  if (stale.length > 0) await vscode.window.tabGroups.close(stale, true);
}

export function registerBundledRunbooks(extensionUri: vscode.Uri): vscode.Disposable {
  const provider = new BundledRunbooks(vscode.Uri.joinPath(extensionUri, 'runbooks'));
  const readonlyMessage = new vscode.MarkdownString(
    `A bundled runbook is read-only (an update of Trailbook replaces it). [Copy it to your workspace](command:${COPY_TO_WORKSPACE_COMMAND}) to edit it.`,
  );
  readonlyMessage.isTrusted = { enabledCommands: [COPY_TO_WORKSPACE_COMMAND] };
  return vscode.Disposable.from(
    provider,
    vscode.workspace.registerFileSystemProvider(BUNDLED_SCHEME, provider, { isCaseSensitive: true, isReadonly: readonlyMessage }),
    vscode.commands.registerCommand(COPY_TO_WORKSPACE_COMMAND, async (target?: vscode.Uri | string) => {
      const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
      if (!uri || !isBundled(uri))
        return void vscode.window.showInformationMessage('Open a bundled runbook (from the Runbooks view) to copy it.');
      const copy = await copyToWorkspace(uri);
      if (copy) await replaceEditors(uri, copy);
    }),
  );
}
