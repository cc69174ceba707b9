// Asks for the Trino server and table when the person picks Trino without them, and writes
// them to the user's settings (never the workspace's: a repository must not choose where
// queries go, see settingsScope.ts). The checks are the CLI's (app/trinoTarget.ts).
import * as vscode from 'vscode';
import { checkTrinoServer, checkTrinoTable } from '../app/trinoTarget';
import { TRINO_SETTINGS } from './runTarget';
import { writeTrinoSettings, type RunSettings } from './settings';

/** The error of a check, or undefined when the value passes: what an input box shows as typed. */
function problem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** True when both were given and written. */
export async function askTrinoSettings(settings: RunSettings): Promise<boolean> {
  const current = settings.current();
  const server = await vscode.window.showInputBox({
    title: 'Trino server (1/2): written to your user settings as trailbook.trino.server',
    prompt: 'https://trino.example.com[:port], or http://127.0.0.1:PORT for a server on this machine',
    value: current.trinoServer,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim() ? problem(() => checkTrinoServer(value.trim(), TRINO_SETTINGS.server)) : 'the URL of the Trino coordinator',
  });
  if (server === undefined) return false;
  const table = await vscode.window.showInputBox({
    title: 'Trino table (2/2): written to your user settings as trailbook.trino.table',
    prompt: 'catalog.schema.table of the CloudTrail table (the Athena CloudTrail schema)',
    value: current.trinoTable || 'hive.default.cloudtrail_logs',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? problem(() => checkTrinoTable(value.trim(), TRINO_SETTINGS.table)) : 'catalog.schema.table'),
  });
  if (table === undefined) return false;
  await writeTrinoSettings(server.trim(), table.trim());
  return true;
}
