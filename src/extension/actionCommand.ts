// "▶ Run in terminal" for a response action: values from earlier cells and parameters are
// substituted shell-quoted, the exact final commands are shown in a modal dialog with where
// they will act (the profile's account and region, warned when they differ from the
// finding's), and only confirmed commands are sent to a terminal (a POSIX shell, with the
// same AWS profile). A reference with several values can run once for each value: one
// confirmation lists every command. A bundled runbook is copied to the workspace first.
import * as vscode from 'vscode';
import { isCancelled } from '../protocol/cancelled';
import { firstLine } from '../protocol/firstLine';
import { substituteAction } from '../runbook/substituteAction';
import type { Runbook, RunbookAction } from '../runbook/types';
import { listProfiles } from '../sources/aws/profiles';
import { actingText, actionName, findingPlace, MAX_EACH, placeWarnings, valueCombinations, type ActingPlace } from './actionPlan';
import { ownRunbook } from './bundledRunbooks';
import { askMfaCode, type ParamPrompt } from './paramPrompt';
import type { RunController } from './runController';
import { runbookOf } from './runbookDocuments';
import type { RuntimeLoader } from './runtimeLoader';
import { runTargets, type LookupTarget } from './runTarget';
import { workspaceRoot, type RunSettings } from './settings';
import type { TrustGate } from './workspaceTrust';

const RUN = 'Run in terminal';
const EACH = '$(list-flat) Run for each value';
/** Whole events read to learn a finding's account and region when its cell did not select them. */
const MAX_EVENTS_READ = 20;

export function registerActionCommand(
  controller: RunController,
  settings: RunSettings,
  params: ParamPrompt,
  trust: TrustGate,
  runtime: RuntimeLoader,
): vscode.Disposable {
  const runAction = async (target: vscode.Uri | string, actionId: string): Promise<void> => {
    if (!trust.trusted) return trust.refuse('send response actions to a terminal');
    const given = typeof target === 'string' ? vscode.Uri.parse(target) : target;
    const uri = await ownRunbook(given, 'run its response actions');
    if (!uri) return;
    const document = await vscode.workspace.openTextDocument(uri);
    const runbook = runbookOf(document);
    const action = runbook.actions.find((a) => a.id === actionId);
    if (!action)
      return void vscode.window.showErrorMessage(
        `No response action "${actionId}" in ${vscode.workspace.asRelativePath(uri)}: it may have been renamed.`,
      );
    const name = actionName(action);

    const missing = firstUnrunCell(action, (id) => controller.lastRun(uri.toString(), id) !== undefined);
    if (missing) {
      const choice = await vscode.window.showWarningMessage(
        `"${name}" acts on what cell ${missing} found: run that cell first.`,
        `Run ${missing}`,
      );
      if (choice) await vscode.commands.executeCommand('trailbook.runCell', uri, missing);
      return;
    }
    const names = runbook.params.map((p) => p.name).filter((n) => action.references.some((r) => r.kind === 'param' && r.name === n));
    const values = await params.ask(runbook, names);
    if (!values) return;

    let commands: string[];
    try {
      commands = await substituteEach(action, runbook, name, values, (id) => controller.lastRun(uri.toString(), id));
    } catch (error) {
      if (isCancelled(error)) return;
      return void vscode.window.showErrorMessage((error as Error).message);
    }
    if (process.platform === 'win32') {
      return void vscode.window.showErrorMessage(
        `Response actions are written for a POSIX shell (sh, bash, zsh). Copy the command into one: ${commands.join('\n')}`,
      );
    }
    const lookup = runTargets(settings.current(), process.env, workspaceRoot()).lookup;
    const [acting, finding] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Trailbook: where will the action act?' },
      () => Promise.all([actingPlace(lookup, runtime), findingOf(action, uri, controller, runtime)]),
    );
    const warnings = placeWarnings(acting, finding, commands);
    const [onlyCommand, ...moreCommands] = commands;
    const detail = [
      onlyCommand !== undefined && moreCommands.length === 0
        ? onlyCommand
        : commands.map((command, i) => `${i + 1}. ${command}`).join('\n'),
      '',
      actingText(acting),
      finding.accounts.length + finding.regions.length > 0
        ? `The finding: account ${finding.accounts.join(', ') || 'unknown'} · region ${finding.regions.join(', ') || 'unknown'}`
        : "The finding's account and region are unknown (its cell selects no recipientAccountId or awsRegion).",
      ...warnings.map((w) => `⚠ ${w}`),
      '',
      'Check the command: it changes your AWS account.',
    ].join('\n');
    const question =
      commands.length === 1
        ? `Run "${name}" in a terminal?`
        : `Run "${name}" ${commands.length} times (once for each value) in a terminal?`;
    const choice = await vscode.window.showWarningMessage(warnings.length > 0 ? `⚠ ${question}` : question, { modal: true, detail }, RUN);
    if (choice !== RUN) return;
    const terminal = vscode.window.createTerminal({
      name: `Trailbook: ${name}`,
      // The quoting is POSIX sh's; a user's fish or PowerShell would read it differently.
      shellPath: '/bin/sh',
      env: lookup.profile ? { AWS_PROFILE: lookup.profile } : {},
    });
    terminal.show();
    for (const command of commands) terminal.sendText(command);
  };
  return vscode.commands.registerCommand('trailbook.runAction', runAction);
}

/**
 * The action's commands: one, or, when the person picks "run for each value" for a reference
 * with several values, one per value (per combination, if they pick it for several).
 */
async function substituteEach(
  action: RunbookAction,
  runbook: Runbook,
  name: string,
  params: Record<string, string>,
  cellResults: Parameters<typeof substituteAction>[2]['cellResults'],
): Promise<string[]> {
  const each = new Map<string, readonly string[]>();
  const picked = new Map<string, string>();
  const first = await substituteAction(action, runbook, {
    params,
    cellResults,
    choose: async (reference, options) => {
      // The same reference written twice in one command acts on the same value(s).
      if (each.has(reference.text)) return options[0];
      if (picked.has(reference.text)) return picked.get(reference.text);
      const items = [
        ...(options.length <= MAX_EACH
          ? [{ label: EACH, description: `${options.length} commands, listed before anything runs`, value: undefined }]
          : []),
        ...options.map((value) => ({ label: value, value })),
      ];
      const pick = await vscode.window.showQuickPick(items, {
        title: `${reference.text} has ${options.length} values: which should "${name}" act on?`,
      });
      if (!pick) return undefined;
      if (pick.value === undefined) {
        each.set(reference.text, options);
        return options[0];
      }
      picked.set(reference.text, pick.value);
      return pick.value;
    },
  });
  if (each.size === 0) return [first.command];
  const combos = valueCombinations(each);
  if (combos.length > MAX_EACH)
    throw new Error(`"${name}" would run ${combos.length} times: more than ${MAX_EACH} commands; narrow the cell with a parameter`);
  const commands: string[] = [];
  for (const combo of combos) {
    const result = await substituteAction(action, runbook, {
      params,
      cellResults,
      choose: (reference) => combo[reference.text] ?? picked.get(reference.text),
    });
    commands.push(result.command);
  }
  return commands;
}

/** The profile's account (asked of STS) and the region the AWS CLI will use in the terminal. */
async function actingPlace(lookup: LookupTarget, runtime: RuntimeLoader): Promise<ActingPlace> {
  const profile = lookup.profile ?? 'default';
  // The terminal inherits the editor's environment: AWS_REGION there wins over the profile's region.
  const region =
    process.env.AWS_REGION ||
    process.env.AWS_DEFAULT_REGION ||
    (await listProfiles(process.env).then(
      (profiles) => profiles.find((p) => p.name === profile)?.region,
      () => undefined,
    ));
  try {
    const account = await runtime.get().awsAccount(lookup, askMfaCode);
    return { profile, account, ...(region ? { region } : {}) };
  } catch (error) {
    return { profile, accountProblem: firstLine((error as Error).message).slice(0, 200), ...(region ? { region } : {}) };
  }
}

/** The accounts and regions of the events the action's cells found: their columns, else their whole events. */
async function findingOf(
  action: RunbookAction,
  uri: vscode.Uri,
  controller: RunController,
  runtime: RuntimeLoader,
): Promise<ReturnType<typeof findingPlace>> {
  const cellIds = [...new Set(action.references.flatMap((r) => (r.kind === 'cell' ? [r.cellId] : [])))];
  const runs = cellIds.map((id) => controller.lastRun(uri.toString(), id)).filter((r) => r !== undefined);
  const place = findingPlace(runs);
  if (place.accounts.length > 0 && place.regions.length > 0) return place;
  const events: { columns: string[]; rows: unknown[][] }[] = [];
  for (const run of runs) {
    const idAt = run.columns.findIndex((c) => c.toLowerCase() === 'eventid');
    if (idAt < 0 || !run.cellRun) continue;
    for (const row of run.rows.slice(0, MAX_EVENTS_READ)) {
      const event =
        typeof row[idAt] === 'string'
          ? await runtime
              .get()
              .wholeEvent(run.cellRun, row[idAt] as string)
              .catch(() => undefined)
          : undefined;
      if (event) events.push({ columns: Object.keys(event), rows: [Object.values(event)] });
    }
  }
  const whole = findingPlace(events);
  return {
    accounts: place.accounts.length > 0 ? place.accounts : whole.accounts,
    regions: place.regions.length > 0 ? place.regions : whole.regions,
  };
}

/** The first cell the action takes values from that has not run in this session. */
function firstUnrunCell(action: RunbookAction, hasRun: (cellId: string) => boolean): string | undefined {
  for (const ref of action.references) if (ref.kind === 'cell' && !hasRun(ref.cellId)) return ref.cellId;
  return undefined;
}
