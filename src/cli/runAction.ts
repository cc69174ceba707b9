// `trailbook run … --cell ACTION --allow-actions`: one response action, asked for by name,
// run with its values shell-quoted after the cells it takes them from, once the person has
// seen the final command and said yes (on a terminal) or given --yes beforehand.
import { spawn } from 'node:child_process';
import { confirmAction } from './confirmAction';
import type { CellRun } from '../app/runbookRunner';
import { substituteAction } from '../runbook/substituteAction';
import type { Runbook, RunbookAction } from '../runbook/types';
import type { RunArgs } from './runArgs';
import { statusLine } from './statusLine';
import { UsageError, type CommandResult } from './usageError';

/** The response action named with --cell, if any; usage errors for every unsafe way of asking. */
export function selectAction(runbook: Runbook, args: RunArgs): RunbookAction | undefined {
  const named = args.cells.flatMap((id) => runbook.actions.filter((a) => a.id === id));
  if (args.yes && !args.allowActions)
    throw new UsageError("--yes goes with --allow-actions: it confirms a response action's command in advance");
  const [action] = named;
  if (action === undefined) {
    if (args.allowActions) {
      const ids = runbook.actions.map((a) => a.id).join(', ');
      throw new UsageError(
        `--allow-actions goes with --cell naming a response action${ids ? ` (actions: ${ids})` : `; ${args.runbook} has none`}`,
      );
    }
    return undefined;
  }
  if (!args.allowActions) {
    throw new UsageError(
      `${action.id} (line ${action.fenceLine + 1}) is a response action: it runs a shell command that can change your account, so it runs only with --allow-actions`,
    );
  }
  if (args.cells.length > 1) {
    throw new UsageError(`run one response action at a time: give only --cell ${action.id} (the cells it uses run first by themselves)`);
  }
  if (args.out || args.format !== 'table') {
    throw new UsageError(`--format and --out do not apply to response action ${action.id}: its command writes its own output`);
  }
  // Said before any cell runs: without a terminal nobody can confirm the command.
  if (!args.yes && !process.stdin.isTTY) {
    throw new UsageError(
      `response action ${action.id} (line ${action.fenceLine + 1}) asks for confirmation of its final command, and standard input is not a terminal: ` +
        'add --yes to run it without asking (the command is still printed)',
    );
  }
  return action;
}

/**
 * Runs a response action once the cells it uses have run: their values go in as single
 * quoted words (substituteAction), the final command is printed and, without --yes, confirmed
 * on the terminal, and /bin/sh runs exactly that text with the terminal's stdin, stdout and
 * stderr, so the AWS CLI can prompt (for an MFA code).
 */
export async function runAction(action: RunbookAction, runbook: Runbook, runs: readonly CellRun[], args: RunArgs): Promise<CommandResult> {
  for (const run of runs) {
    if (!args.quiet || run.status === 'error' || run.status === 'skipped' || run.status === 'unconfigured')
      process.stderr.write(`${statusLine(run)}\n`);
  }
  const notRun = (why: string): CommandResult => ({
    exitCode: 2,
    message: `${args.runbook}:${action.fenceLine + 1}: action ${action.id} was not run: ${why}`,
  });
  const failed = runs.find((r) => r.status === 'error' || r.status === 'skipped' || r.status === 'unconfigured');
  if (failed)
    return notRun(
      failed.status === 'unconfigured'
        ? `cell ${failed.cell.id} is ${failed.error?.message ?? 'not configured'}`
        : `cell ${failed.cell.id} did not complete`,
    );
  // A cut-off result may hide other values, and the one-value rule needs them all.
  const truncated = runs.find((r) => r.truncated);
  if (truncated) return notRun(`cell ${truncated.cell.id} returned more than --limit ${args.limit} rows, so its values are not all known`);
  const results = new Map(runs.map((r) => [r.cell.id, r]));
  let command: string;
  try {
    ({ command } = await substituteAction(action, runbook, { params: args.params, cellResults: (id) => results.get(id) }));
  } catch (error) {
    return notRun((error as Error).message);
  }

  if (args.yes) {
    process.stderr.write(`running: ${command}\n`);
  } else {
    process.stderr.write(`action ${action.id} (line ${action.fenceLine + 1}) will run this command through /bin/sh:\n\n  ${command}\n\n`);
    if (!(await confirmAction(action.id, process.stdin, process.stderr))) return notRun('not confirmed');
    process.stderr.write(`running: ${command}\n`);
  }
  // The profile the cells used is the one the action acts with (the AWS CLI reads AWS_PROFILE).
  const profile = args.source.kind === 'lookup' ? args.source.profile : undefined;
  const env = { ...process.env, ...(profile ? { AWS_PROFILE: profile } : {}) };
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: Error }>((resolve) => {
    // The command is one argument of sh -c: nothing is spliced into another command line.
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'inherit', env });
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  if ('error' in outcome) return { exitCode: 2, message: `action ${action.id}: could not start /bin/sh: ${outcome.error.message}` };
  if (outcome.code === 0) return { exitCode: 0 };
  const how = outcome.signal ? `was stopped by ${outcome.signal}` : `exited with status ${outcome.code}`;
  return { exitCode: 2, message: `action ${action.id} failed: its command ${how}` };
}
