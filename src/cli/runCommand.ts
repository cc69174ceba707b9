// `trailbook run`: one runbook, on local logs or LookupEvents, results to stdout or a file,
// findings as the exit status so CI can fail on them.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { EventStore } from '../engine/eventStore';
import type { SourceProblem } from '../engine/eventSource';
import { runRunbook, type CellRun } from '../engine/runbookRunner';
import { parseWindow } from '../engine/timeWindow';
import { parseRunbook } from '../runbook/parse';
import { spawn } from 'node:child_process';
import type { Runbook, RunbookAction } from '../runbook/types';
import { substituteAction } from '../runbook/substituteAction';
import { LocalLogsSource } from '../sources/local/localLogs';
import type { MfaCodeProvider } from '../sources/aws/credentials';
import { AwsCredentialsError } from '../sources/aws/credentialsError';
import { LookupEventsSource, lookupSession } from '../sources/lookup/lookupSource';
import { cacheDirFor, defaultCacheDir, lookupCacheDirFor, lookupCacheDirForAccount } from './cacheLocation';
import { OUTPUT_FORMATS, toCsv, toNdjson, toTable, rowObject, type OutputFormat } from './output';
import { progressLine } from './progress';
import { UsageError, type CommandResult } from './usageError';
import { writeFileAtomic } from './writeAtomic';
import { buildEvidence, CellClock, describeSource, evidenceFormatFor, gitInfo, renderEvidence } from '../engine/evidence';
import { statusLine } from './statusLine';
import { formatProblem, plural } from './text';

export const DEFAULT_ROW_LIMIT = 10_000;

export type SourceArgs =
  | { readonly kind: 'local'; readonly logs: string }
  | { readonly kind: 'lookup'; readonly regions: string[]; readonly profile?: string; readonly endpoint?: string };

export interface RunArgs {
  readonly runbook: string;
  readonly source: SourceArgs;
  readonly cells: string[];
  readonly params: Record<string, string>;
  readonly window?: string;
  readonly format: OutputFormat;
  readonly out?: string;
  readonly limit: number;
  readonly cacheDir?: string;
  readonly quiet: boolean;
  /** Response actions run only when named with --cell and this flag is given. */
  readonly allowActions: boolean;
  /** --evidence FILE: the evidence report, JSON (.json) or Markdown (.md). */
  readonly evidence?: string;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      logs: { type: 'string' },
      source: { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      endpoint: { type: 'string' },
      cell: { type: 'string', multiple: true },
      param: { type: 'string', multiple: true },
      window: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      limit: { type: 'string' },
      cache: { type: 'string' },
      'no-cache': { type: 'boolean' },
      quiet: { type: 'boolean' },
      'allow-actions': { type: 'boolean' },
      evidence: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give one runbook: trailbook run RUNBOOK.md --logs PATH');
  const sourceName = values.source ?? 'local';
  let source: SourceArgs;
  if (sourceName === 'local') {
    if (!values.logs) throw new UsageError('--logs PATH is required: a log file or folder (for example one downloaded from the trail\'s S3 bucket), or --source lookup');
    if (values.region || values.profile || values.endpoint) throw new UsageError('--region, --profile and --endpoint go with --source lookup');
    source = { kind: 'local', logs: values.logs };
  } else if (sourceName === 'lookup') {
    if (values.logs) throw new UsageError('--logs goes with --source local; LookupEvents reads the account itself');
    const regions = (values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1')
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const bad = regions.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
    if (bad !== undefined || regions.length === 0) throw new UsageError(`--region ${values.region}: give region names such as us-east-1,eu-west-1`);
    if (values.endpoint && !/^https?:\/\//.test(values.endpoint)) throw new UsageError(`--endpoint ${values.endpoint}: give a URL such as http://127.0.0.1:4599`);
    source = {
      kind: 'lookup',
      regions,
      ...(values.profile ?? process.env.AWS_PROFILE ? { profile: values.profile ?? process.env.AWS_PROFILE! } : {}),
      ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    };
  } else {
    throw new UsageError(`--source ${sourceName}: use local (log files) or lookup (LookupEvents)`);
  }
  const format = (values.format ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: use one of ${OUTPUT_FORMATS.join(', ')}`);
  if (values.window && (values.start || values.end)) throw new UsageError('give either --window or --start and --end, not both');
  if (Boolean(values.start) !== Boolean(values.end)) throw new UsageError('--start and --end go together');
  const limit = values.limit === undefined ? DEFAULT_ROW_LIMIT : Number(values.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`--limit ${values.limit}: give a positive whole number`);
  const params: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param ${pair}: write it as NAME=VALUE`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (values.evidence !== undefined && !evidenceFormatFor(values.evidence)) {
    throw new UsageError(`--evidence ${values.evidence}: name a .json or .md file (the report's format follows the extension)`);
  }
  const window = values.window ?? (values.start ? `${values.start}/${values.end}` : undefined);
  if (window !== undefined) {
    try {
      parseWindow(window);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    runbook: positionals[0]!,
    source,
    cells: values.cell ?? [],
    params,
    ...(window ? { window } : {}),
    format,
    ...(values.out ? { out: values.out } : {}),
    limit,
    ...(values['no-cache'] ? {} : { cacheDir: values.cache ?? defaultCacheDir() }),
    quiet: Boolean(values.quiet),
    allowActions: Boolean(values['allow-actions']),
    ...(values.evidence ? { evidence: values.evidence } : {}),
  };
}

/** Problems of the logs, once each: cells that share a scan report the same ones. */
function logProblems(runs: readonly CellRun[]): SourceProblem[] {
  return [...new Map(runs.flatMap((r) => r.problems).map((p) => [`${p.where}\0${p.message}`, p])).values()];
}

function render(runbookPath: string, runs: readonly CellRun[], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          runbook: runbookPath,
          cells: runs.map((run) => ({
            id: run.cell.id,
            line: run.cell.fenceLine + 1,
            status: run.status,
            ...(run.account ? { account: run.account } : {}),
            ...(run.cell.expect ? { expect: run.cell.expect } : {}),
            ...(run.window ? { window: { start: run.window.start.toISOString(), end: run.window.end.toISOString() } } : {}),
            ...(run.sql ? { sql: run.sql } : {}),
            columns: run.columns,
            rowCount: run.rows.length,
            truncated: run.truncated,
            rows: run.rows.map((row) => rowObject(run.columns, row)),
            elapsedMs: run.elapsedMs,
            notes: run.notes,
            ...(run.error ? { error: { message: run.error.message, line: run.error.line + 1 } } : {}),
          })),
          problems: logProblems(runs),
        },
        null,
        2,
      )}\n`;
    case 'ndjson':
      return toNdjson(runs);
    case 'csv': {
      const withRows = runs.filter((r) => r.status === 'ok' || r.status === 'finding');
      return withRows.length === 1 ? toCsv(withRows[0]!) : '';
    }
    case 'table': {
      let previousNotes = '';
      return runs
        .map((run) => {
          const heading = `── ${run.cell.id}${run.cell.heading ? ` · ${run.cell.heading}` : ''} ──`;
          const body = run.columns.length > 0 && run.rows.length > 0 ? `${toTable(run.columns, run.rows)}\n` : '';
          // Notes repeat from cell to cell (same logs, same window): show them when they change.
          const notes = run.notes.map((note) => `  · ${note}\n`).join('');
          const shown = notes === previousNotes ? '' : notes;
          previousNotes = notes;
          return `${heading}\n${body}${statusLine(run)}\n${shown}`;
        })
        .join('\n');
    }
  }
}

/** Reads an MFA code from the terminal; with no terminal to type in, says what to do instead. */
export function terminalMfaPrompt(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): MfaCodeProvider {
  return async (serial) => {
    if (!input.isTTY) {
      throw new AwsCredentialsError(
        `an MFA code for ${serial} is needed and standard input is not a terminal to type it in: run trailbook in a terminal, ` +
          'or give it credentials that need no code (for example temporary ones exported after `aws sts get-session-token`)',
      );
    }
    const prompt = createInterface({ input, output, terminal: true });
    try {
      return await prompt.question(`MFA code for ${serial}: `);
    } finally {
      prompt.close();
    }
  };
}

export async function runCommand(argv: string[]): Promise<CommandResult> {
  const args = parseRunArgs(argv);
  const text = await readFile(args.runbook, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === 'ENOENT' ? `runbook ${args.runbook} does not exist` : `cannot read runbook ${args.runbook}: ${error.message}`);
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
    throw new UsageError(`csv holds one table: choose a cell with --cell (cells: ${runbook.cells.map((c) => c.id).join(', ')}) or use --format ndjson`);
  }
  // A response action changes the account, so it never runs with the cells: only when named
  // with --cell and allowed with --allow-actions. Then only the cells it uses run first.
  const action = selectAction(runbook, args);
  if (action && args.evidence) throw new UsageError(`--evidence records a run of the runbook's cells; it does not apply to response action ${action.id}`);
  const actionCells = action ? [...new Set(action.references.flatMap((r) => (r.kind === 'cell' ? [r.cellId] : [])))] : [];

  // The account is resolved before the store opens because the cache folder is the
  // account's: profiles of one account share their fetched events. If it cannot be resolved,
  // the run goes on and every cell reports why (the session keeps the failure, so an MFA
  // code is not asked for twice), with a folder keyed by profile instead.
  const session = args.source.kind === 'lookup' ? lookupSession({ ...args.source, mfaCodeProvider: terminalMfaPrompt() }) : undefined;
  const identity = session ? await session.identity().catch(() => undefined) : undefined;
  const cacheDir =
    args.cacheDir === undefined
      ? undefined
      : args.source.kind === 'local'
        ? cacheDirFor(args.cacheDir, args.source.logs)
        : identity
          ? lookupCacheDirForAccount(args.cacheDir, args.source.endpoint, identity.account)
          : lookupCacheDirFor(args.cacheDir, args.source.endpoint, args.source.profile);
  const store = await EventStore.open(cacheDir ? { cacheDir } : {});
  const progress = progressLine(process.stderr, args.quiet);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  const startedAt = new Date();
  const clock = new CellClock();
  try {
    const runs = action && actionCells.length === 0 ? [] : await runRunbook(runbook, {
      store,
      source:
        args.source.kind === 'local'
          ? new LocalLogsSource(store, args.source.logs)
          : new LookupEventsSource(store, { ...args.source, ...(session ? { session } : {}) }),
      params: args.params,
      cellIds: action ? actionCells : args.cells,
      ...(args.window ? { window: args.window } : {}),
      limit: args.limit,
      signal: controller.signal,
      onProgress: (cell, p) => progress.update(`${cell.id}: ${p.message}`, p.elapsedMs),
      onCell: (run) => {
        progress.done();
        clock.record(run);
      },
    });
    if (action) return await runAction(action, runbook, runs, args);
    const output = render(args.runbook, runs, args.format);
    if (args.out) await writeFileAtomic(args.out, output);
    else process.stdout.write(output);

    if (!args.quiet) {
      if (args.format !== 'table' || args.out) {
        for (const run of runs) {
          process.stderr.write(`${statusLine(run)}\n`);
          for (const note of run.notes) process.stderr.write(`  · ${note}\n`);
        }
      }
    }
    if (!args.quiet && runbook.actions.length > 0) {
      process.stderr.write(`${plural(runbook.actions.length, 'response action')} not run (run one with --cell ID --allow-actions)\n`);
    }
    const problems = logProblems(runs);
    if (problems.length > 0) {
      process.stderr.write(`${plural(problems.length, 'problem')} in the logs (the rest was read):\n`);
      for (const p of problems) process.stderr.write(`  ${p.where}: ${p.message}\n`);
    }
    const exitCode = runs.some((r) => r.status === 'error' || r.status === 'skipped') ? 2 : runs.some((r) => r.status === 'finding') ? 1 : 0;
    // Written whatever the outcome: findings and failures are what an audit needs to see.
    if (args.evidence) await writeEvidence(args, text, runbook, runs, startedAt, clock, exitCode);
    return { exitCode };
  } finally {
    process.off('SIGINT', onSignal);
    progress.done();
    store.close();
  }
}

/** The response action named with --cell, if any; usage errors for every unsafe way of asking. */
function selectAction(runbook: Runbook, args: RunArgs): RunbookAction | undefined {
  const named = args.cells.flatMap((id) => runbook.actions.filter((a) => a.id === id));
  if (named.length === 0) {
    if (args.allowActions) {
      const ids = runbook.actions.map((a) => a.id).join(', ');
      throw new UsageError(`--allow-actions goes with --cell naming a response action${ids ? ` (actions: ${ids})` : `; ${args.runbook} has none`}`);
    }
    return undefined;
  }
  const action = named[0]!;
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
  return action;
}

/**
 * Runs a response action once the cells it uses have run: their values go in as single
 * quoted words (substituteAction), the final command is shown, and /bin/sh runs exactly that
 * text with the terminal's stdin, stdout and stderr, so the AWS CLI can prompt (for an MFA code).
 */
async function runAction(action: RunbookAction, runbook: Runbook, runs: readonly CellRun[], args: RunArgs): Promise<CommandResult> {
  for (const run of runs) {
    if (!args.quiet || run.status === 'error' || run.status === 'skipped') process.stderr.write(`${statusLine(run)}\n`);
  }
  const notRun = (why: string): CommandResult => ({ exitCode: 2, message: `${args.runbook}:${action.fenceLine + 1}: action ${action.id} was not run: ${why}` });
  const failed = runs.find((r) => r.status === 'error' || r.status === 'skipped');
  if (failed) return notRun(`cell ${failed.cell.id} did not complete`);
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

  process.stderr.write(`running: ${command}\n`);
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

/**
 * --evidence: the report of this run (docs/evidence.md), written atomically in the format
 * the file name asks for. The git state is read now, so it describes the text that ran.
 */
async function writeEvidence(
  args: RunArgs,
  text: string,
  runbook: Runbook,
  runs: readonly CellRun[],
  startedAt: Date,
  clock: CellClock | undefined,
  exitCode: number,
): Promise<void> {
  const path = args.evidence!;
  const report = buildEvidence({
    runbookPath: args.runbook,
    runbookText: text,
    runbook,
    runs,
    source: describeSource(args.source),
    git: await gitInfo(args.runbook),
    startedAt,
    finishedAt: new Date(),
    params: args.params,
    ...(args.window ? { window: args.window } : {}),
    cellIds: args.cells,
    exitCode,
    ...(clock ? { clock } : {}),
  });
  await writeFileAtomic(path, renderEvidence(report, evidenceFormatFor(path) ?? 'json'));
  if (!args.quiet) process.stderr.write(`evidence written to ${path}\n`);
}
