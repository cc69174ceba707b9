// The commands that choose where queries run: source, profile, regions, log folder, Trino
// server and window. Choices are remembered per workspace (see settings.ts); Trino's server
// and table go to the user's settings, its secret to SecretStorage (trinoCredentials.ts).
import * as vscode from 'vscode';
import { parseWindow } from '../runbook/window';
import { listProfiles } from '../sources/aws/profiles';
import { AWS_REGIONS } from './awsRegions';
import { runTargets, type SourceKind } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import { SET_TRINO_CREDENTIAL_COMMAND } from './trinoCredentials';
import { askTrinoSettings } from './trinoSetup';

const SOURCE_NAMES: Record<SourceKind, string> = { local: 'local logs', lookup: 'LookupEvents', trino: 'Trino' };

const WINDOWS = [
  { label: '1h', description: 'the last hour' },
  { label: '24h', description: 'the last 24 hours' },
  { label: '7d', description: 'the last 7 days' },
  { label: '30d', description: 'the last 30 days' },
  { label: '90d', description: 'the last 90 days (all LookupEvents keeps)' },
];

export function registerWhereCommands(settings: RunSettings): vscode.Disposable {
  const chooseSource = async (): Promise<void> => {
    const current = settings.current().source;
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Local logs', description: 'CloudTrail log files on this machine', value: 'local' as const, picked: current === 'local' },
        { label: 'LookupEvents', description: 'the AWS account of a profile: last 90 days of management events', value: 'lookup' as const, picked: current === 'lookup' },
        { label: 'Trino', description: 'your own Trino, Starburst or EMR over a table of CloudTrail logs', value: 'trino' as const, picked: current === 'trino' },
      ],
      { title: 'Where should queries run?' },
    );
    if (!picked) return;
    // Trino without a usable server and table: ask for them, and stay put if the person does not give them.
    if (picked.value === 'trino' && !runTargets(settings.current(), process.env, workspaceRoot()).trino && !(await askTrinoSettings(settings))) return;
    await settings.choose({ source: picked.value });
    if (picked.value === 'local' && !settings.current().logsPath) await chooseLogs();
  };

  const chooseLogs = async (): Promise<void> => {
    const picked = await vscode.window.showOpenDialog({
      title: 'Choose CloudTrail logs: a folder downloaded from the trail\'s bucket, or a log file',
      canSelectFolders: true,
      canSelectFiles: true,
      canSelectMany: false,
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
      openLabel: 'Use these logs',
    });
    if (picked?.[0]) await settings.choose({ source: 'local', logsPath: picked[0].fsPath });
  };

  const chooseProfile = async (): Promise<void> => {
    const profiles = await listProfiles(process.env).catch(() => []);
    const current = runTargets(settings.current(), process.env, workspaceRoot()).lookup.profile ?? 'default';
    const items = profiles.map((p) => ({
      label: p.name,
      description: [p.kind, p.region, p.mfaSerial ? 'asks for an MFA code' : undefined].filter(Boolean).join(' · '),
      picked: p.name === current,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: profiles.length > 0 ? 'AWS profile for LookupEvents' : 'No profiles in the AWS config files: type a profile name',
      placeHolder: `current: ${current}`,
    });
    if (picked) await settings.choose({ source: 'lookup', profile: picked.label });
  };

  const chooseRegions = async (): Promise<void> => {
    const current = new Set(runTargets(settings.current(), process.env, workspaceRoot()).lookup.regions);
    const picked = await vscode.window.showQuickPick(
      AWS_REGIONS.map((region) => ({ label: region, picked: current.has(region) })),
      { title: 'Regions LookupEvents reads (us-east-1 is added for IAM, STS and sign-in when a query can match them)', canPickMany: true },
    );
    if (picked && picked.length > 0) await settings.choose({ regions: picked.map((p) => p.label) });
  };

  const chooseWindow = async (): Promise<void> => {
    const items = [
      ...WINDOWS,
      { label: 'All events', description: 'no window (local logs); 24h for LookupEvents and Trino' },
      { label: 'Custom…', description: 'START/END in ISO-8601, or a span such as 36h' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Time window, when the runbook and the cell do not name one' });
    if (!picked) return;
    if (picked.label === 'All events') return settings.choose({ window: '' });
    if (picked.label !== 'Custom…') return settings.choose({ window: picked.label });
    const text = await vscode.window.showInputBox({
      title: 'Time window',
      prompt: '90m, 36h, 14d, or 2026-11-01T00:00:00Z/2026-11-02T00:00:00Z',
      value: settings.current().window,
      validateInput: (value) => {
        const parsed = parseWindow(value.trim());
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (text !== undefined) await settings.choose({ window: text.trim() });
  };

  const configure = async (): Promise<void> => {
    const s = settings.current();
    const targets = runTargets(s, process.env, workspaceRoot());
    const items = [
      { label: '$(server) Source', description: SOURCE_NAMES[s.source], run: chooseSource },
      { label: '$(folder) Log folder', description: targets.local?.logsPath ?? 'not chosen', run: chooseLogs },
      { label: '$(account) AWS profile', description: targets.lookup.profile ?? 'default', run: chooseProfile },
      { label: '$(globe) Regions', description: targets.lookup.regions.join(', '), run: chooseRegions },
      { label: '$(database) Trino server and table', description: targets.trino ? `${targets.trino.server} · ${targets.trino.table}` : targets.trinoProblem ? 'to fix' : 'not set', run: async () => void (await askTrinoSettings(settings)) },
      { label: '$(key) Trino password or token', description: 'kept in the OS keychain', run: async () => void (await vscode.commands.executeCommand(SET_TRINO_CREDENTIAL_COMMAND)) },
      { label: '$(history) Window', description: s.window || 'the runbook\'s, else all events (local) or 24h (LookupEvents, Trino)', run: chooseWindow },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Trailbook: where queries run' });
    await picked?.run();
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('trailbook.configure', configure),
    vscode.commands.registerCommand('trailbook.chooseSource', chooseSource),
    vscode.commands.registerCommand('trailbook.chooseLogs', chooseLogs),
    vscode.commands.registerCommand('trailbook.chooseProfile', chooseProfile),
    vscode.commands.registerCommand('trailbook.chooseRegions', chooseRegions),
    vscode.commands.registerCommand('trailbook.chooseWindow', chooseWindow),
  );
}
