// `trailbook run`: one runbook, on local logs or LookupEvents, results to stdout or a file,
// findings as the exit status so CI can fail on them.
import { readFile } from 'node:fs/promises';
import { CellClock } from '../app/evidence';
import { runExitCode, runRunbook, type CellRun } from '../app/runbookRunner';
import { parseRunbook } from '../runbook/parse';
import { SourcePool, targetKey, type OpenedSource, type RunTarget } from '../app/openSource';
import { runbookAccounts, withAccounts } from '../app/accountTarget';
import { cellsToRun } from '../runbook/cellsToRun';
import type { RunbookCell } from '../runbook/types';
import { terminalMfaPrompt } from './mfaPrompt';
import { progressLine } from './progress';
import { logProblems, renderRuns } from './renderRuns';
import { runAction, selectAction } from './runAction';
import { allowAccountsHint, parseRunArgs } from './runArgs';
import { writeEvidence } from './runEvidence';
import { statusLine } from './statusLine';
import { formatProblem, plural, terminalText } from './text';
import { UsageError, type CommandResult } from './usageError';
import { writeFileAtomic } from '../app/writeAtomic';
import { annotationLines, runAnnotations } from '../app/githubAnnotations';

export async function runCommand(argv: string[]): Promise<CommandResult> {
  const args = parseRunArgs(argv);
  const text = await readFile(args.runbook, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      error.code === 'ENOENT' ? `runbook ${args.runbook} does not exist` : `cannot read runbook ${args.runbook}: ${error.message}`,
    );
  });
  const runbook = parseRunbook(text, args.runbook);
  const errors = runbook.problems.filter((p) => p.severity === 'error');
  for (const problem of runbook.problems) process.stderr.write(`${formatProblem(args.runbook, problem)}\n`);
  if (errors.length > 0) {
    // The evidence says that nothing ran, and why (the runbook's problems).
    if (args.evidence) await writeEvidence(args, text, runbook, [], new Date(), undefined, 2);
    return { exitCode: 2, message: `${args.runbook}: ${plural(errors.length, 'error')}; nothing was run (trailbook lint shows the same)` };
  }
  if (args.format === 'csv' && runbook.cells.length > 1 && args.cells.length !== 1) {
    throw new UsageError(
      `csv holds one table: choose a cell with --cell (cells: ${runbook.cells.map((c) => c.id).join(', ')}) or use --format ndjson`,
    );
  }
  // A response action changes the account, so it never runs with the cells: only when named
  // with --cell and allowed with --allow-actions. Then only the cells it uses run first.
  const action = selectAction(runbook, args);
  if (action && args.evidence)
    throw new UsageError(`--evidence records a run of the runbook's cells; it does not apply to response action ${action.id}`);
  const actionCells = action ? [...new Set(action.references.flatMap((r) => (r.kind === 'cell' ? [r.cellId] : [])))] : [];

  // The cache folder is the account's for LookupEvents, so the pool resolves the account
  // first (asking for an MFA code on the terminal when the profile needs one).
  const pool = new SourcePool(args.cacheDir);
  const target: RunTarget =
    args.source.kind === 'local'
      ? { kind: 'local', logsPath: args.source.logs }
      : args.source.kind === 'trino' || args.source.kind === 'athena'
        ? args.source
        : {
            kind: 'lookup',
            regions: args.source.regions,
            ...(args.source.profile ? { profile: args.source.profile } : {}),
            ...(args.source.endpoint ? { endpoint: args.source.endpoint } : {}),
          };
  // A table on the terminal is printed cell by cell, as each finishes: a cold scan's answer is
  // read while the cache is written (and the rendering of a cell never depends on later ones).
  const streaming = args.format === 'table' && !args.out && !action;
  // Answering a cold cell before the cache is written parses the files twice: the answer
  // comes 18-34% sooner, the run ends 61-75% later (docs/local-logs.md). Worth it for a
  // person reading a terminal; a CI job or a pipe waits for the end, so it reads once.
  const answerFirst = streaming && process.stdout.isTTY === true;
  // A runbook or a cell may choose among the accounts the run names (--profile, --profiles,
  // --sso-session), never others (src/app/accountTarget.ts). One source a distinct choice,
  // opened before the run and only for the cells that run.
  const mfaCodeProvider = terminalMfaPrompt();
  const targetOf = (cell: RunbookCell | undefined): RunTarget =>
    target.kind === 'lookup' && args.source.kind === 'lookup'
      ? runbookAccounts(withAccounts(target, args.source.accounts), cell?.accounts ?? runbook.accounts, allowAccountsHint)
      : target;
  const opened = new Map<string, OpenedSource>();
  const openFor = async (cell: RunbookCell | undefined): Promise<OpenedSource> => {
    const chosen = targetOf(cell);
    const key = targetKey(chosen);
    // The CLI is done with a cell once it is printed: a cold scan's last cell is answered
    // before the cache is written, which is then written while the answer is read. Output
    // printed at the end (json, csv, --out) would only wait longer.
    if (!opened.has(key)) opened.set(key, await pool.open(chosen, { mfaCodeProvider, answerFirst }));
    return opened.get(key)!;
  };
  const { store, source } = await openFor(undefined);
  const byCell = new Map<string, OpenedSource>();
  for (const cell of cellsToRun(runbook, action ? actionCells : args.cells)) byCell.set(cell.id, await openFor(cell));
  const progress = progressLine(process.stderr, args.quiet);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  const startedAt = new Date();
  const clock = new CellClock();
  const finished: CellRun[] = [];
  let printed = '';
  try {
    const runs =
      action && actionCells.length === 0
        ? []
        : await runRunbook(runbook, {
            store,
            source,
            sourceFor: (cell) => byCell.get(cell.id) ?? { source, store },
            params: args.params,
            cellIds: action ? actionCells : args.cells,
            ...(args.window ? { window: args.window } : {}),
            limit: args.limit,
            signal: controller.signal,
            onProgress: (cell, p) => progress.update(`${cell.id}: ${p.message}`, p.elapsedMs),
            onCell: (run) => {
              progress.done();
              clock.record(run);
              if (!streaming) return;
              finished.push(run);
              const text = renderRuns(args.runbook, finished, 'table');
              process.stdout.write(text.slice(printed.length));
              printed = text;
            },
            onCellAmended: (run, changed) => {
              progress.done();
              if (streaming && changed) process.stdout.write(amendedText(run));
            },
          });
    if (action) return await runAction(action, runbook, runs, args);
    const output = renderRuns(args.runbook, runs, args.format);
    if (args.out) await writeFileAtomic(args.out, output);
    // Streamed, every cell was printed as it finished (and amended once the cache was written).
    else if (!streaming) process.stdout.write(output);

    if (!args.quiet) {
      if (args.format !== 'table' || args.out) {
        for (const run of runs) {
          process.stderr.write(`${statusLine(run)}\n`);
          for (const note of run.notes) process.stderr.write(terminalText(`  · ${note}\n`));
        }
      }
    }
    if (!args.quiet && runbook.actions.length > 0) {
      process.stderr.write(`${plural(runbook.actions.length, 'response action')} not run (run one with --cell ID --allow-actions)\n`);
    }
    const problems = logProblems(runs);
    if (problems.length > 0) {
      // Only a run that loaded events may say the rest was read (runs.nothingRead: none was).
      const readSome = runs.some((r) => r.problems.length > 0 && !r.nothingRead);
      process.stderr.write(
        `${plural(problems.length, 'problem')} reading the events (${readSome ? 'the rest was read' : 'nothing could be read'}):\n`,
      );
      // A file name or a log value in a problem must not drive the terminal.
      for (const p of problems) process.stderr.write(terminalText(`  ${p.where}: ${p.message}\n`));
    }
    const exitCode = runExitCode(runs);
    if (process.env.GITHUB_ACTIONS === 'true')
      for (const line of annotationLines(runAnnotations(args.runbook, runs))) process.stderr.write(`${line}\n`);
    // Written whatever the outcome: findings and failures are what an audit needs to see.
    if (args.evidence) await writeEvidence(args, text, runbook, runs, startedAt, clock, exitCode);
    return { exitCode };
  } finally {
    process.off('SIGINT', onSignal);
    progress.done();
    await pool.close();
  }
}

/**
 * What a cell printed before the cache was written learns once it is: the whole scan's notes
 * (a first answer read only the files that could match), and a failure when nothing could be read.
 */
function amendedText(run: CellRun): string {
  const status = run.status === 'error' ? `${statusLine(run)}\n` : '';
  const notes = run.notes.map((note) => `  · ${note}\n`).join('');
  return terminalText(`── ${run.cell.id} · once the cache was written ──\n${status}${notes}`);
}
