// What every e2e file starts from: a scratch folder, a fresh VS Code profile with the
// packaged VSIX installed and quiet user settings, the workspace's files, code-server on a
// free loopback port, and Chromium on the workbench; and how it all ends (the browser,
// then code-server, then the logs kept and the scratch folder removed). Each file adds
// only what it is about (its settings, its endpoints, its checks).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  codeServerBin,
  installExtension,
  makeProfile,
  startCodeServer,
  writeUserSettings,
  type Profile,
  type RunningServer,
} from '../codeServer';
import { packageVsix } from '../vsix';
import { openWorkbench, type Workbench } from '../workbench';

export const REPO = resolve(__dirname, '../../..');
export const E2E_RESULTS = join(REPO, 'test-results/e2e');
export const EXTENSION_ID = 'trailbook.trailbook';

/** No tips, no welcome page, no recommendations; nothing reaching telemetry or the gallery (offline machines). */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
};

export interface EditorSessionOptions {
  /** Names the scratch folder (`trailbook-e2e-<label>-…`). */
  readonly label: string;
  /** Screenshots, the browser's console and code-server's log; emptied first (see `keepSubfolders`). */
  readonly resultsDir: string;
  /** Keep this folder's subfolders (other e2e files' results) when emptying it; only files and vscode-logs go. */
  readonly keepSubfolders?: boolean;
  /** The user's settings, over QUIET_SETTINGS; a function is read after `prepare` (settings naming what it started). */
  readonly settings: Readonly<Record<string, unknown>> | (() => Readonly<Record<string, unknown>>);
  /**
   * Runs once the scratch folder and profile exist, before code-server starts: writes what
   * the file needs (workspace files, an AWS config folder, endpoints) and returns the
   * environment code-server gets.
   */
  readonly prepare?: (root: string, profile: Profile) => Promise<NodeJS.ProcessEnv | void> | NodeJS.ProcessEnv | void;
}

export interface EditorSession {
  readonly root: string;
  readonly profile: Profile;
  readonly bench: Workbench;
  /** Always call (after()): closes what started, keeps the editor's logs, removes the scratch folder. */
  close(): Promise<void>;
}

/** Empties the results folder of the files of an earlier run (screenshots, logs). */
export function clearResults(dir: string, keepSubfolders: boolean): void {
  if (!keepSubfolders) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() || entry.name === 'vscode-logs') rmSync(join(dir, entry.name), { recursive: true, force: true });
  }
}

/** A scratch folder removed when the process exits, even when it is killed before after() (a runner's timeout). */
export function scratchFolder(label: string): string {
  const root = mkdtempSync(join(tmpdir(), `trailbook-e2e-${label}-`));
  console.log(`e2e: profile and workspace in ${root}`);
  if (!process.env.TRAILBOOK_E2E_KEEP) process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return root;
}

/**
 * Starts the editor for one e2e file. `root` and `profile` may be made beforehand (with
 * scratchFolder and makeProfile) when the file needs them before the VSIX is installed.
 */
export async function startEditorSession(
  options: EditorSessionOptions,
  made?: { readonly root: string; readonly profile: Profile },
): Promise<EditorSession> {
  clearResults(options.resultsDir, options.keepSubfolders ?? false);
  const bin = codeServerBin();
  const vsix = packageVsix(REPO);
  const root = made?.root ?? scratchFolder(options.label);
  const profile = made?.profile ?? makeProfile(root);
  let server: RunningServer | undefined;
  let bench: Workbench | undefined;
  const close = async (): Promise<void> => {
    // Always: the browser, then code-server by its process group, then the profile.
    await bench?.browser.close().catch(() => undefined);
    await server?.stop();
    if (existsSync(join(root, 'data/logs'))) cpSync(join(root, 'data/logs'), join(options.resultsDir, 'vscode-logs'), { recursive: true });
    if (!process.env.TRAILBOOK_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  };
  try {
    const env = (await options.prepare?.(root, profile)) ?? {};
    installExtension(bin, profile, vsix, root, EXTENSION_ID);
    const settings = typeof options.settings === 'function' ? options.settings() : options.settings;
    writeUserSettings(profile, { ...QUIET_SETTINGS, ...settings });
    server = await startCodeServer(bin, profile, root, join(options.resultsDir, 'code-server.log'), env);
    bench = await openWorkbench(server.url, profile.workspace, options.resultsDir);
  } catch (error) {
    await close();
    throw error;
  }
  return { root, profile, bench, close };
}
