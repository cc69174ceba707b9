// `trailbook check`: runbooks as scheduled detections, for cron, CI schedules and containers.
// Each run checks the events since the last one (state file), alerts once per finding, and
// resolves an alert when its detection stops finding it and the verify cells pass. With
// --every it keeps going in the foreground; SIGTERM or SIGINT lets the current run finish
// (a second one cancels it), and the state stays what the last completed step wrote.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { SourcePool, targetKey, type RunTarget } from '../app/openSource';
import { runbookAccounts, withAccounts } from '../app/accountTarget';
import { allowAccountsHint } from './runArgs';
import type { Runbook, RunbookCell } from '../runbook/types';
import { repositoryBase } from '../app/check/alertLink';
import { checkPass, type CheckPassResult, type CheckedRunbook, type RunbookCheck } from '../app/check/checkPass';
import { readCheckState, CheckStateError } from '../app/check/checkState';
import { annotationLines } from '../app/githubAnnotations';
import { DEFAULT_RETRY } from '../app/notify/delivery';
import type { NotifierConfig } from '../app/notify/notifyConfig';
import { NotifyConfigError, readNotifyConfig } from '../app/notify/notifyConfig';
import { Secrets } from '../app/notify/secretRef';
import { writeFileAtomic } from '../app/writeAtomic';
import { parseRunbook } from '../runbook/parse';
import { displayJson } from '../protocol/displayText';
import { parseCheckArgs, type CheckArgs } from './checkArgs';
import { checkAnnotations, checkSummary, renderCheck } from './checkReport';
import { formatProblem, plural, terminalText } from './text';
import { UsageError, type CommandResult } from './usageError';

function targetOf(args: CheckArgs, runbook: Runbook, cell: RunbookCell | undefined): RunTarget {
  const source = args.run.source;
  if (source.kind === 'local') return { kind: 'local', logsPath: source.logs };
  if (source.kind === 'lookup') {
    const base: RunTarget = {
      kind: 'lookup',
      regions: source.regions,
      ...(source.profile ? { profile: source.profile } : {}),
      ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    };
    return runbookAccounts(withAccounts(base, source.accounts), cell?.accounts ?? runbook.accounts, allowAccountsHint);
  }
  return source;
}

/** A folder stands for the Markdown files under it (sorted); files are taken as given. */
async function expand(path: string): Promise<{ path: string; inFolder: boolean }[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) return [{ path, inFolder: false }];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) =>
        e.isDirectory()
          ? expand(join(path, e.name))
          : Promise.resolve(/\.md$/i.test(e.name) ? [{ path: join(path, e.name), inFolder: true }] : []),
      ),
  );
  return nested
    .flat()
    .map((f) => ({ ...f, inFolder: true }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

async function loadRunbooks(
  given: readonly string[],
  write: (text: string) => void,
): Promise<{ valid: CheckedRunbook[]; invalid: RunbookCheck[] }> {
  const valid: CheckedRunbook[] = [];
  const invalid: RunbookCheck[] = [];
  for (const { path, inFolder } of (await Promise.all(given.map(expand))).flat()) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      invalid.push({
        path,
        runs: [],
        newAlerts: [],
        resolved: [],
        failure: code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(error as Error).message}`,
      });
      continue;
    }
    const runbook = parseRunbook(text, path);
    // In a folder, Markdown without cloudtrail blocks is documentation, not a runbook (as for lint).
    if (inFolder && runbook.cells.length === 0) continue;
    for (const problem of runbook.problems) write(`${formatProblem(path, problem)}\n`);
    const errors = runbook.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0)
      invalid.push({
        path,
        runs: [],
        newAlerts: [],
        resolved: [],
        failure: `${plural(errors, 'error')} in the runbook; nothing was run (trailbook lint shows the same)`,
      });
    else valid.push({ path, runbook });
  }
  return { valid, invalid };
}

async function chooseNotifiers(args: CheckArgs): Promise<{ notifiers: NotifierConfig[]; retry: typeof DEFAULT_RETRY; link?: string }> {
  if (args.notify.length === 0) return { notifiers: [], retry: DEFAULT_RETRY };
  let config;
  try {
    config = await readNotifyConfig(args.notifyConfig);
  } catch (error) {
    throw error instanceof NotifyConfigError ? new UsageError(error.message, { cause: error }) : error;
  }
  const notifiers = args.notify.map((name) => {
    const found = config.notifiers.get(name);
    if (!found)
      throw new UsageError(
        `--notify ${name}: ${args.notifyConfig} has no notifier of that name (it has ${[...config.notifiers.keys()].join(', ') || 'none'})`,
      );
    return found;
  });
  return { notifiers, retry: config.retry, ...(config.link ? { link: config.link } : {}) };
}

function jittered(ms: number): number {
  // ±10%, so many checks started together (a fleet of containers) spread out.
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

export async function checkCommand(argv: string[]): Promise<CommandResult> {
  const args = parseCheckArgs(argv);
  const secrets = new Secrets();
  // Everything printed passes the secrets' scrub: no message can carry one out.
  const out = (text: string): void => void process.stdout.write(secrets.scrub(text));
  const err = (text: string): void => void process.stderr.write(secrets.scrub(text));
  const { notifiers, retry, link } = await chooseNotifiers(args);
  const linkBase = repositoryBase(link);

  // A controller a pass, so what a pass's sources hang on its signal goes with the pass
  // (--every runs for weeks); a second SIGTERM/SIGINT aborts the pass in progress.
  let controller = new AbortController();
  let stopping = false;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      err(`trailbook check: ${signal} again: cancelling the current run\n`);
      controller.abort();
      return;
    }
    stopping = true;
    if (wake) wake();
    else err(`trailbook check: ${signal}: stopping after the current run (send it again to cancel the run)\n`);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  let last: CheckPassResult | undefined;
  try {
    for (;;) {
      const now = new Date();
      controller = new AbortController();
      // Every cell of every runbook in the pass listens on this one signal.
      setMaxListeners(1000, controller.signal);
      const { valid, invalid } = await loadRunbooks(args.runbooks, err);
      let state;
      try {
        state = await readCheckState(args.statePath);
      } catch (error) {
        if (error instanceof CheckStateError)
          return { exitCode: 2, message: `trailbook check could not run: ${error.message}; no alerts were sent` };
        throw error;
      }
      // A new pool a run: sessions and credentials are fetched afresh (role credentials expire).
      const pool = new SourcePool(args.run.cacheDir);
      const opened = new Map<string, ReturnType<SourcePool['open']>>();
      let result: CheckPassResult;
      try {
        const passed = await checkPass({
          runbooks: valid,
          // A runbook or a cell may choose among the accounts the flags name (profiles:, sso-session:,
          // a cell's profiles=). One source a choice.
          open: (runbook, cell) => {
            const target = targetOf(args, runbook, cell);
            const key = targetKey(target);
            if (!opened.has(key)) opened.set(key, pool.open(target));
            return opened.get(key)!;
          },
          state,
          ...(args.dryRun ? {} : { statePath: args.statePath }),
          notifiers,
          retry,
          secrets,
          ...(linkBase ? { linkBase } : {}),
          ...(args.dryRun
            ? {
                onDryRun: (notifier, message) =>
                  out(
                    `── dry run: ${notifier.name} (${notifier.type}), ${plural(message.notices.length, 'alert')} ──\n${displayJson(JSON.stringify(message.payload, null, 2))}\n`,
                  ),
              }
            : {}),
          now,
          delayMs: args.delayMs,
          overlapMs: args.overlapMs,
          keepResolvedMs: args.keepResolvedMs,
          ...(args.start ? { start: args.start } : {}),
          ...(args.end ? { end: args.end } : {}),
          params: args.run.params,
          limit: args.run.limit,
          signal: controller.signal,
          note: (text) => {
            if (!args.quiet) err(terminalText(`  · ${text}\n`));
          },
        });
        result = { ...passed, runbooks: [...invalid, ...passed.runbooks], exitCode: invalid.length > 0 ? 2 : passed.exitCode };
      } catch (error) {
        if (!controller.signal.aborted) throw error;
        return {
          exitCode: 2,
          message:
            'trailbook check: cancelled; the state file holds what the run had recorded (alerts not confirmed are sent on the next run)',
        };
      } finally {
        await pool.close();
      }
      last = result;
      const report = renderCheck(result, args.format, now);
      if (args.out) await writeFileAtomic(args.out, secrets.scrub(report));
      else out(report);
      if (process.env.GITHUB_ACTIONS === 'true') for (const line of annotationLines(checkAnnotations(result))) err(`${line}\n`);
      // Receivers' answers and runbook paths are in it: hidden characters are shown as codes.
      err(`${terminalText(checkSummary(result, args.dryRun))}\n`);
      if (args.everyMs === undefined || stopping) break;
      const pause = jittered(args.everyMs);
      if (!args.quiet) err(`next check in ${Math.round(pause / 1000)} s (at ${new Date(Date.now() + pause).toISOString()})\n`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (stopping) break;
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  return { exitCode: last?.exitCode ?? 0 };
}
