// The commands that choose where queries run: source, profile, regions, log folder, Trino
// server and the investigation window (investigationWindow.ts). Choices are remembered per
// workspace (see settings.ts); Trino's server and table go to the user's settings, its
// secret to SecretStorage (trinoCredentials.ts).
import * as vscode from 'vscode';
import { parseTimestamp, parseWindow } from '../runbook/window';
import { aroundInstant, windowText, type EventAnchor, type InvestigationWindow } from './investigationWindow';
import { listProfiles } from '../sources/aws/profiles';
import { AWS_REGIONS } from './awsRegions';
import { runTargets, type SourceKind } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import { SET_TRINO_CREDENTIAL_COMMAND } from './trinoCredentials';
import { askTrinoSettings } from './trinoSetup';
import { askAthenaSettings } from './athenaSetup';

const SOURCE_NAMES: Record<SourceKind, string> = { local: 'local logs', lookup: 'LookupEvents', trino: 'Trino', athena: 'Athena' };

const WINDOWS = [
  { label: 'Last 1h', spec: '1h' },
  { label: 'Last 24h', spec: '24h' },
  { label: 'Last 7d', spec: '7d' },
  { label: 'Last 30d', spec: '30d' },
  { label: 'Last 90d', spec: '90d', description: 'all LookupEvents keeps' },
];

/** The events of the results shown so far, for "around an event". */
export type AnchorSource = () => readonly EventAnchor[];

export function registerWhereCommands(settings: RunSettings, anchors: AnchorSource): vscode.Disposable {
  const chooseSource = async (): Promise<void> => {
    const current = settings.current().source;
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Local logs', description: 'CloudTrail log files on this machine', value: 'local' as const, picked: current === 'local' },
        {
          label: 'LookupEvents',
          description: 'the AWS account of a profile: last 90 days of management events',
          value: 'lookup' as const,
          picked: current === 'lookup',
        },
        {
          label: 'Trino',
          description: 'your own Trino, Starburst or EMR over a table of CloudTrail logs',
          value: 'trino' as const,
          picked: current === 'trino',
        },
        {
          label: 'Athena',
          description: "the trail's table in Athena: every account of an organisation, billed by the bytes scanned",
          value: 'athena' as const,
          picked: current === 'athena',
        },
      ],
      { title: 'Where should queries run?' },
    );
    if (!picked) return;
    // Trino without a usable server and table: ask for them, and stay put if the person does not give them.
    if (
      picked.value === 'trino' &&
      !runTargets(settings.current(), process.env, workspaceRoot()).trino &&
      !(await askTrinoSettings(settings))
    )
      return;
    // Athena: the workgroup, table and region are asked each time it is picked (the defaults offered), so the person sees where queries will run.
    if (picked.value === 'athena' && !(await askAthenaSettings(settings))) return;
    await settings.choose({ source: picked.value });
    if (picked.value === 'local' && !settings.current().logsPath) await chooseLogs();
  };

  const chooseLogs = async (): Promise<void> => {
    const picked = await vscode.window.showOpenDialog({
      title: "Choose CloudTrail logs: a folder downloaded from the trail's bucket, or a log file",
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

  const setInvestigation = (window: InvestigationWindow | undefined): Promise<void> =>
    settings.choose({ investigationWindow: window?.spec, investigationAbout: window?.about });

  const askSpan = (title: string, value: string): Thenable<string | undefined> =>
    vscode.window.showInputBox({
      title,
      prompt: '90m, 6h, 2d, or 0',
      value,
      validateInput: (text) => {
        if (text.trim() === '0') return undefined;
        const parsed = parseWindow(text.trim());
        return 'error' in parsed || parsed.kind !== 'relative' ? 'a span such as 90m, 6h or 2d' : undefined;
      },
    });

  const around = async (time: string, what: string): Promise<void> => {
    const before = await askSpan(`Investigation window: how long before ${what} at ${time}?`, '24h');
    if (before === undefined) return;
    const after = await askSpan(`Investigation window: how long after ${what} at ${time}?`, '6h');
    if (after === undefined) return;
    const window = aroundInstant(time, before, after, what);
    if ('error' in window) return void vscode.window.showErrorMessage(`Investigation window not set: ${window.error}`);
    await setInvestigation(window);
  };

  const aroundAlert = async (): Promise<void> => {
    const time = await vscode.window.showInputBox({
      title: 'Investigation window around an alert: when did it fire?',
      prompt: 'ISO-8601 with a time zone, e.g. 2026-11-03T10:00:00Z',
      validateInput: (text) => (parseTimestamp(text.trim()) ? undefined : 'an ISO-8601 time with a time zone, e.g. 2026-11-03T10:00:00Z'),
    });
    if (time !== undefined) await around(time.trim(), 'the alert');
  };

  const aroundEvent = async (): Promise<void> => {
    const events = anchors();
    if (events.length === 0)
      return void vscode.window.showInformationMessage(
        'No result holds an event time yet: run a cell first, or set the window around an alert time.',
      );
    const picked = await vscode.window.showQuickPick(
      events.map((event) => ({ label: event.time, description: event.label, event })),
      { title: 'Investigation window around which event?', matchOnDescription: true },
    );
    if (picked) await around(picked.event.time, picked.event.label.split(' · ')[0] ?? 'the event');
  };

  const fromTo = async (): Promise<void> => {
    const text = await vscode.window.showInputBox({
      title: 'Investigation window: from … to …',
      prompt: 'START/END in ISO-8601 with time zones, e.g. 2026-11-01T00:00:00Z/2026-11-02T00:00:00Z',
      value: settings.current().investigationWindow ?? '',
      validateInput: (value) => {
        const parsed = parseWindow(value.trim());
        return 'error' in parsed
          ? parsed.error
          : parsed.kind === 'relative'
            ? 'give START/END; for the last hours or days pick "Last …"'
            : undefined;
      },
    });
    if (text !== undefined) await setInvestigation({ spec: text.trim() });
  };

  const chooseWindow = async (): Promise<void> => {
    const current = settings.current().investigationWindow;
    type Item = vscode.QuickPickItem & { run: () => Promise<void> };
    const items: Item[] = [
      ...WINDOWS.map((w) => ({
        label: w.label,
        description: w.description ?? 'relative to now',
        run: () => setInvestigation({ spec: w.spec }),
      })),
      { label: 'From … to …', description: 'an absolute range', run: fromTo },
      { label: 'Around an event…', description: 'an event of the results shown so far', run: aroundEvent },
      { label: 'Around an alert time…', description: 'the time an alert fired', run: aroundAlert },
      {
        label: "Each runbook's own window",
        description: 'clear the investigation window',
        // The default a status-bar choice once set goes too: blank is the trailbook.window setting.
        run: () => settings.choose({ investigationWindow: undefined, investigationAbout: undefined, window: undefined }),
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: "Investigation window: wins over each runbook's window (a cell pinned to an event keeps its own)",
      placeHolder: current ? `now: ${windowText(current)}` : "now: each runbook's own window",
    });
    await picked?.run();
  };

  const configure = async (): Promise<void> => {
    const s = settings.current();
    const targets = runTargets(s, process.env, workspaceRoot());
    const items = [
      { label: '$(server) Source', description: SOURCE_NAMES[s.source], run: chooseSource },
      { label: '$(folder) Log folder', description: targets.local?.logsPath ?? 'not chosen', run: chooseLogs },
      { label: '$(account) AWS profile', description: targets.lookup.profile ?? 'default', run: chooseProfile },
      { label: '$(globe) Regions', description: targets.lookup.regions.join(', '), run: chooseRegions },
      {
        label: '$(database) Trino server and table',
        description: targets.trino ? `${targets.trino.server} · ${targets.trino.table}` : targets.trinoProblem ? 'to fix' : 'not set',
        run: async () => void (await askTrinoSettings(settings)),
      },
      {
        label: '$(key) Trino password or token',
        description: 'kept in the OS keychain',
        run: async () => void (await vscode.commands.executeCommand(SET_TRINO_CREDENTIAL_COMMAND)),
      },
      {
        label: '$(history) Investigation window',
        description: s.investigationWindow
          ? windowText(s.investigationWindow)
          : "not set: each runbook's window, else all events (local) or 24h (LookupEvents, Trino)",
        run: chooseWindow,
      },
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
