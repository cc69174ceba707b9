// A stand-in for the `vscode` module, for bench/activation.ts only: just what activating
// the extension touches, so that out/extension.js can be evaluated and activated in a plain
// Node process many times. It is not a test double: it checks nothing and answers nothing
// beyond "registered". The workspace it pretends is the one that activates the extension:
// a folder with one runbook open in the editor (activation event onLanguage:markdown).
// A name activation reaches that is missing here fails the bench, naming it. The module has
// every top-level name of the real API (from @types/vscode), placeholders for the ones not
// used, because what a bundle pays for `import * as vscode` grows with the number of names
// (esbuild copies them into a namespace object, once per importing module unless built not to).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Listener = (value: unknown) => unknown;

/** The names `require('vscode')` has in VS Code: the classes, enums, namespaces and functions @types/vscode declares. */
function apiNames(): string[] {
  const declarations = readFileSync(join(dirname(require.resolve('@types/vscode/package.json')), 'index.d.ts'), 'utf8');
  return [...declarations.matchAll(/^\texport (?:declare )?(?:abstract )?(?:class|enum|namespace|function|const|let) (\w+)/gm)].map(
    ([, name = '']) => name,
  );
}

class Disposable {
  static from(...parts: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => parts.forEach((part) => part.dispose()));
  }
  constructor(private readonly onDispose: () => unknown) {}
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter {
  private readonly listeners = new Set<Listener>();
  readonly event = (listener: Listener): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value?: unknown): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** An event that never fires here: nothing changes while the bench activates. */
const quiet = (): Disposable => new Disposable(() => undefined);

class Uri {
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/').replace(/\/+/g, '/'));
  }
  static from(parts: { scheme: string; path?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '');
  }
  static parse(text: string): Uri {
    const at = text.indexOf(':');
    return new Uri(text.slice(0, at), text.slice(at + 1).replace(/^\/\//, ''));
  }
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** Plain values with the members named: what VS Code's value classes are to activation. */
class Valued {
  constructor(...args: unknown[]) {
    Object.assign(this, { args });
  }
}

class MarkdownString extends Valued {
  isTrusted: unknown = false;
}

/** An open runbook, as VS Code hands it to the extension. */
function textDocument(uri: Uri, text: string): object {
  const lines = text.split(/\r\n|\r|\n/);
  return {
    uri,
    languageId: 'markdown',
    version: 1,
    isClosed: false,
    lineCount: lines.length,
    getText: () => text,
  };
}

/** A namespace that throws on a member it lacks, naming it, instead of handing out undefined. */
function strict<T extends object>(name: string, members: T): T {
  return new Proxy(members, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target) return Reflect.get(target, key, receiver);
      throw new Error(`the bench's vscode stand-in lacks ${name}.${key}: add it to bench/vscodeStandIn.ts`);
    },
  });
}

export interface StandIn {
  /** The module `require('vscode')` returns. */
  readonly module: object;
  /** What the extension wrote to its output channels. */
  readonly output: string[];
  /** The ExtensionContext activate() receives; dispose its subscriptions when done. */
  context(extensionPath: string, storagePath: string): { subscriptions: { dispose(): unknown }[] } & object;
}

/** A fresh stand-in, with `runbookText` open in the active editor at `runbookPath`. */
export function vscodeStandIn(runbookPath: string, runbookText: string): StandIn {
  const output: string[] = [];
  const document = textDocument(Uri.file(runbookPath), runbookText);
  const editor = { document, selection: { active: { line: 0, character: 0 } } };
  const memento = () => {
    const values = new Map<string, unknown>();
    return strict('Memento', {
      get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
      update: async (key: string, value: unknown) => void values.set(key, value),
      keys: () => [...values.keys()],
    });
  };
  const watcher = () =>
    strict('FileSystemWatcher', { onDidCreate: quiet, onDidChange: quiet, onDidDelete: quiet, dispose: () => undefined });
  const disposable = () => new Disposable(() => undefined);

  const module = {
    Disposable,
    EventEmitter,
    Uri,
    MarkdownString,
    ThemeColor: Valued,
    ThemeIcon: Valued,
    Range: Valued,
    Position: Valued,
    CodeLens: Valued,
    TreeItem: Valued,
    StatusBarAlignment: { Left: 1, Right: 2 },
    DecorationRangeBehavior: { OpenOpen: 0, ClosedClosed: 1, OpenClosed: 2, ClosedOpen: 3 },
    CompletionItemKind: { Module: 8, Class: 6, Function: 2, Variable: 5, Field: 4, Reference: 17 },
    CodeActionKind: { QuickFix: { value: 'quickfix' } },
    DiagnosticSeverity: { Error: 0, Warning: 1 },
    FileType: { File: 1, Directory: 2 },
    FilePermission: { Readonly: 1 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    commands: strict('commands', {
      registerCommand: disposable,
      executeCommand: async () => undefined,
    }),
    window: strict('window', {
      activeTextEditor: editor,
      visibleTextEditors: [editor],
      createOutputChannel: () =>
        strict('OutputChannel', {
          appendLine: (line: string) => void output.push(line),
          append: (text: string) => void output.push(text),
          dispose: () => undefined,
        }),
      createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      createTextEditorDecorationType: disposable,
      createTreeView: () => ({ dispose: () => undefined }),
      registerWebviewPanelSerializer: disposable,
      onDidChangeActiveTextEditor: quiet,
      onDidChangeVisibleTextEditors: quiet,
      onDidChangeTextEditorSelection: quiet,
    }),
    workspace: strict('workspace', {
      isTrusted: true,
      textDocuments: [document],
      workspaceFolders: [{ uri: Uri.file(runbookPath.replace(/\/[^/]*$/, '')), name: 'workspace', index: 0 }],
      workspaceFile: undefined,
      getConfiguration: () =>
        strict('WorkspaceConfiguration', { get: (_key: string, fallback?: unknown) => fallback, inspect: () => undefined }),
      createFileSystemWatcher: watcher,
      registerFileSystemProvider: disposable,
      onDidChangeConfiguration: quiet,
      onDidChangeWorkspaceFolders: quiet,
      onDidGrantWorkspaceTrust: quiet,
      onDidOpenTextDocument: quiet,
      onDidChangeTextDocument: quiet,
      onDidCloseTextDocument: quiet,
      onDidSaveTextDocument: quiet,
      // Read by the ignored-settings scan, which runs after activation has returned.
      fs: strict('fs', { readFile: async () => new Uint8Array(), stat: async () => ({ type: 1, ctime: 0, mtime: 0, size: 0 }) }),
    }),
    languages: strict('languages', {
      registerCodeLensProvider: disposable,
      registerCodeActionsProvider: disposable,
      registerCompletionItemProvider: disposable,
      registerHoverProvider: disposable,
      createDiagnosticCollection: () =>
        strict('DiagnosticCollection', { set: () => undefined, delete: () => undefined, dispose: () => undefined }),
    }),
  };

  for (const name of apiNames()) if (!(name in module)) (module as Record<string, unknown>)[name] = {};

  return {
    module,
    output,
    context: (extensionPath, storagePath) => ({
      subscriptions: [],
      extensionUri: Uri.file(extensionPath),
      extensionPath,
      globalStorageUri: Uri.file(storagePath),
      workspaceState: memento(),
      globalState: memento(),
      secrets: strict('SecretStorage', {
        get: async () => undefined,
        store: async () => undefined,
        delete: async () => undefined,
        onDidChange: quiet,
      }),
    }),
  };
}
