// The Trino password or access token: kept by VS Code's SecretStorage (the OS keychain),
// never in a setting a repository could write or a file could leak, and read only when a
// cell runs on Trino. Never logged, never shown back, never part of a run's evidence.
import * as vscode from 'vscode';
import { runTargets, type TrinoCredential } from './runTarget';
import { askTrinoSettings } from './trinoSetup';
import { decodeTrinoSecret, encodeTrinoSecret, trinoSecretKey, type TrinoCredentialKind } from './trinoSecret';
import { workspaceRoot, type RunSettings } from './settings';

export const SET_TRINO_CREDENTIAL_COMMAND = 'trailbook.setTrinoCredential';

export class TrinoCredentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The secret stored for this server, if any. */
  async get(server: string): Promise<TrinoCredential | undefined> {
    let stored: string | undefined;
    try {
      stored = await this.secrets.get(trinoSecretKey(server));
    } catch (error) {
      throw new Error(
        `could not read the Trino password or token from the OS keychain (${(error as Error).message}): unlock the keychain, or set it again with "Trailbook: Set the Trino password or token"`,
        { cause: error },
      );
    }
    return decodeTrinoSecret(stored);
  }

  async set(server: string, kind: TrinoCredentialKind, value: string): Promise<void> {
    await this.secrets.store(trinoSecretKey(server), encodeTrinoSecret(kind, value));
  }

  async clear(server: string): Promise<void> {
    await this.secrets.delete(trinoSecretKey(server));
  }
}

const KINDS = [
  {
    label: 'Password',
    description: 'basic authentication as trailbook.trino.user (Trino accepts it over https only)',
    secret: 'password' as const,
  },
  { label: 'Access token', description: 'a JWT or OAuth2 token, sent as a bearer token', secret: 'accessToken' as const },
];

export function registerTrinoCredentialCommand(credentials: TrinoCredentials, settings: RunSettings): vscode.Disposable {
  return vscode.commands.registerCommand(SET_TRINO_CREDENTIAL_COMMAND, async () => {
    let targets = runTargets(settings.current(), process.env, workspaceRoot());
    // The secret is bound to a server: there must be one, and a valid one, to bind it to.
    if (!targets.trino && !targets.trinoProblem && (await askTrinoSettings(settings)))
      targets = runTargets(settings.current(), process.env, workspaceRoot());
    if (!targets.trino) {
      const why = targets.trinoProblem?.message ?? 'set trailbook.trino.server and trailbook.trino.table first';
      const choice = await vscode.window.showErrorMessage(`The Trino password or token belongs to a server: ${why}`, 'Open Trino Settings');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'trailbook.trino');
      return;
    }
    const { server, user } = targets.trino;
    const stored = await credentials.get(server).catch(() => undefined);
    const held = stored ? ('password' in stored ? 'a password' : 'an access token') : 'nothing';
    const picked = await vscode.window.showQuickPick(KINDS, {
      title: `How does ${new URL(server).host} authenticate you? (stored now: ${held})`,
    });
    if (!picked) return;
    const value = await vscode.window.showInputBox({
      title: `Trino ${picked.label.toLowerCase()} for ${new URL(server).origin}${picked.secret === 'password' ? ` (user ${user})` : ''}`,
      prompt: 'Kept in the OS keychain by VS Code and sent only to this server. Leave empty to forget the stored one.',
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    if (value === '') {
      await credentials.clear(server);
      void vscode.window.showInformationMessage(
        `Trailbook forgot the Trino password or token for ${new URL(server).origin}: queries go without one.`,
      );
      return;
    }
    // One entry per server: storing a token replaces a password, and the other way round.
    await credentials.set(server, picked.secret, value);
    void vscode.window.showInformationMessage(
      `Trailbook keeps the Trino ${picked.label.toLowerCase()} for ${new URL(server).origin} in the OS keychain.`,
    );
  });
}
