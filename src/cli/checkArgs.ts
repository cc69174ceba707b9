// The arguments of `trailbook check`. Where the events come from is said exactly as for
// `trailbook run` (--logs, --source, --profile, --region, --endpoint, …, --param, --limit,
// --cache), and checked by run's own parser, so the two commands cannot drift apart.
import { parseTimestamp } from '../protocol/timestamp';
import { parseDuration } from '../app/check/checkWindow';
import { NOTIFY_CONFIG_FILE } from '../app/notify/notifyConfig';
import { parseRunArgs, type RunArgs } from './runArgs';
import { UsageError } from './usageError';

export type CheckFormat = 'table' | 'json' | 'junit';
const CHECK_FORMATS: readonly CheckFormat[] = ['table', 'json', 'junit'];

export interface CheckArgs {
  readonly runbooks: readonly string[];
  readonly run: RunArgs;
  readonly statePath: string;
  readonly notify: readonly string[];
  readonly notifyConfig: string;
  readonly start?: Date;
  readonly end?: Date;
  readonly everyMs?: number;
  readonly dryRun: boolean;
  readonly overlapMs: number;
  /** --keep-resolved: how long a resolved alert stays in the state file. */
  readonly keepResolvedMs: number;
  readonly delayMs: number;
  readonly format: CheckFormat;
  readonly out?: string;
  readonly quiet: boolean;
}

export const DEFAULT_STATE_FILE = '.trailbook-check.json';
export const DEFAULT_OVERLAP = '15m';
/** CloudTrail delivers most events within about 5 minutes of the call. */
export const DEFAULT_DELAY = '5m';
/** Long enough to read back a month of alerts; the state file stays small. */
export const DEFAULT_KEEP_RESOLVED = '30d';

/** Options of check's own that take a value, and those that do not. */
const CHECK_VALUES = new Set([
  'state',
  'notify',
  'notify-config',
  'start',
  'end',
  'every',
  'overlap',
  'delay',
  'keep-resolved',
  'format',
  'out',
]);
const CHECK_FLAGS = new Set(['dry-run', 'quiet']);
/** run's flags without a value; every other option of run takes one. */
const RUN_FLAGS = new Set(['no-cache', 'allow-actions', 'yes']);
/** run's options that mean nothing to a scheduled check. */
const NOT_FOR_CHECK: Record<string, string> = {
  window: 'check chooses its window from the state file; give --start (and --end) for a fixed span',
  cell: 'check runs every cell of its runbooks',
  'allow-actions': 'check never runs response actions',
  yes: 'check never runs response actions',
  evidence: 'use trailbook run --evidence for an evidence report',
};

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${flag} ${text}: give a duration such as 30s, 15m, 1h or 1d`);
  return ms;
}

function timestamp(flag: string, text: string): Date {
  const at = parseTimestamp(text);
  if (!at) throw new UsageError(`--${flag} ${text}: give an ISO-8601 time with a zone, e.g. 2026-01-31T00:00:00Z`);
  return at;
}

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const runbooks: string[] = [];
  const forwarded: string[] = [];
  const own = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      runbooks.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (NOT_FOR_CHECK[name]) throw new UsageError(`--${name} does not go with check: ${NOT_FOR_CHECK[name]}`);
    const takesValue = CHECK_VALUES.has(name) || (!CHECK_FLAGS.has(name) && !RUN_FLAGS.has(name));
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (takesValue) {
      value = argv[i + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      i += 1;
    }
    if (CHECK_VALUES.has(name) || CHECK_FLAGS.has(name)) own.set(name, [...(own.get(name) ?? []), value ?? 'true']);
    else forwarded.push(`--${name}`, ...(value !== undefined ? [value] : []));
  }
  const [firstRunbook] = runbooks;
  if (firstRunbook === undefined)
    throw new UsageError('give one or more runbooks: trailbook check RUNBOOK.md… --logs PATH (or --source lookup)');
  const one = (name: string): string | undefined => {
    const values = own.get(name);
    if (values && values.length > 1) throw new UsageError(`--${name} is given ${values.length} times; give it once`);
    return values?.[0];
  };
  // run's parser checks the source, parameters, limit and cache for one runbook; they are the same for all.
  const run = parseRunArgs([firstRunbook, ...forwarded]);
  const format = (one('format') ?? 'table') as CheckFormat;
  if (!CHECK_FORMATS.includes(format)) throw new UsageError(`--format ${format}: check writes ${CHECK_FORMATS.join(', ')}`);
  const start = one('start');
  const end = one('end');
  if (end !== undefined && start === undefined) throw new UsageError('--end goes with --start (a backfill of a fixed span)');
  const startAt = start !== undefined ? timestamp('start', start) : undefined;
  const endAt = end !== undefined ? timestamp('end', end) : undefined;
  if (startAt && endAt && startAt.getTime() >= endAt.getTime()) throw new UsageError(`--start ${start} is not before --end ${end}`);
  const every = one('every');
  if (every !== undefined && endAt) throw new UsageError('--every keeps checking new events; a backfill with --end runs once');
  const everyMs = every !== undefined ? duration('every', every) : undefined;
  if (everyMs !== undefined && everyMs < 60_000)
    throw new UsageError(`--every ${every}: check at most once a minute (CloudTrail delivers events minutes late anyway)`);
  return {
    runbooks,
    run,
    statePath: one('state') ?? DEFAULT_STATE_FILE,
    notify: (own.get('notify') ?? [])
      .flatMap((n) => n.split(','))
      .map((n) => n.trim())
      .filter((n) => n !== ''),
    notifyConfig: one('notify-config') ?? NOTIFY_CONFIG_FILE,
    ...(startAt ? { start: startAt } : {}),
    ...(endAt ? { end: endAt } : {}),
    ...(everyMs !== undefined ? { everyMs } : {}),
    dryRun: own.has('dry-run'),
    overlapMs: duration('overlap', one('overlap') ?? DEFAULT_OVERLAP),
    delayMs: duration('delay', one('delay') ?? DEFAULT_DELAY),
    keepResolvedMs: duration('keep-resolved', one('keep-resolved') ?? DEFAULT_KEEP_RESOLVED),
    format,
    ...(one('out') !== undefined ? { out: one('out')! } : {}),
    quiet: own.has('quiet') || run.quiet,
  };
}
