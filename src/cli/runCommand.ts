// `trailbook run`: one runbook, local logs, results to stdout or a file, findings as the
// exit status so CI can fail on them.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EventStore } from '../engine/eventStore';
import type { SourceProblem } from '../engine/eventSource';
import { runRunbook, type CellRun } from '../engine/runbookRunner';
import { parseWindow } from '../engine/timeWindow';
import { parseRunbook } from '../runbook/parse';
import { LocalLogsSource } from '../sources/local/localLogs';
import { LookupEventsSource } from '../sources/lookup/lookupSource';
import { cacheDirFor, defaultCacheDir, lookupCacheDirFor } from './cacheLocation';
import { OUTPUT_FORMATS, toCsv, toNdjson, toTable, rowObject, type OutputFormat } from './output';
import { progressLine } from './progress';
import { UsageError, type CommandResult } from './usageError';
import { writeFileAtomic } from './writeAtomic';
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

export async function runCommand(argv: string[]): Promise<CommandResult> {
  const args = parseRunArgs(argv);
  const text = await readFile(args.runbook, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === 'ENOENT' ? `runbook ${args.runbook} does not exist` : `cannot read runbook ${args.runbook}: ${error.message}`);
  });
  const runbook = parseRunbook(text, args.runbook);
  const errors = runbook.problems.filter((p) => p.severity === 'error');
  for (const problem of runbook.problems) process.stderr.write(`${formatProblem(args.runbook, problem)}\n`);
  if (errors.length > 0) {
    return { exitCode: 2, message: `${args.runbook}: ${plural(errors.length, 'error')}; nothing was run (trailbook lint shows the same)` };
  }
  if (args.format === 'csv' && runbook.cells.length > 1 && args.cells.length !== 1) {
    throw new UsageError(`csv holds one table: choose a cell with --cell (cells: ${runbook.cells.map((c) => c.id).join(', ')}) or use --format ndjson`);
  }

  const cacheDir =
    args.cacheDir === undefined
      ? undefined
      : args.source.kind === 'local'
        ? cacheDirFor(args.cacheDir, args.source.logs)
        : lookupCacheDirFor(args.cacheDir, args.source.endpoint, args.source.profile);
  const store = await EventStore.open(cacheDir ? { cacheDir } : {});
  const progress = progressLine(process.stderr, args.quiet);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const runs = await runRunbook(runbook, {
      store,
      source:
        args.source.kind === 'local'
          ? new LocalLogsSource(store, args.source.logs)
          : new LookupEventsSource(store, args.source),
      params: args.params,
      cellIds: args.cells,
      ...(args.window ? { window: args.window } : {}),
      limit: args.limit,
      signal: controller.signal,
      onProgress: (cell, p) => progress.update(`${cell.id}: ${p.message}`, p.elapsedMs),
      onCell: () => progress.done(),
    });
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
    const problems = logProblems(runs);
    if (problems.length > 0) {
      process.stderr.write(`${plural(problems.length, 'problem')} in the logs (the rest was read):\n`);
      for (const p of problems) process.stderr.write(`  ${p.where}: ${p.message}\n`);
    }
    if (runs.some((r) => r.status === 'error' || r.status === 'skipped')) return { exitCode: 2 };
    if (runs.some((r) => r.status === 'finding')) return { exitCode: 1 };
    return { exitCode: 0 };
  } finally {
    process.off('SIGINT', onSignal);
    progress.done();
    store.close();
  }
}
