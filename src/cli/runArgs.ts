// The arguments of `trailbook run`, checked: every mistake is a usage error that says what to write.
import { parseArgs } from 'node:util';
import { evidenceFormatFor } from '../app/evidence';
import { parseWindow } from '../engine/timeWindow';
import type { AthenaTarget, TrinoTarget } from '../app/openSource';
import { athenaTarget, AthenaTargetError, type AthenaInputNames } from '../app/athenaTarget';
import { trinoTarget, TrinoTargetError, type TrinoInputNames } from '../app/trinoTarget';
import { checkEndpointOverride, EndpointOverrideError } from '../sources/aws/endpointOverride';
import { parseProfileList, parseSsoSession, type AccountChoice } from '../runbook/accounts';
import { defaultCacheDir } from '../app/cacheLocation';
import { OUTPUT_FORMATS, type OutputFormat } from '../app/output';
import { UsageError } from './usageError';

export const DEFAULT_ROW_LIMIT = 10_000;

/** The one endpoint rule (https, or http to loopback), said as a usage error. */
function usableEndpoint(value: string): void {
  try {
    checkEndpointOverride(value, '--endpoint');
  } catch (error) {
    throw error instanceof EndpointOverrideError ? new UsageError(error.message, { cause: error }) : error;
  }
}

export type SourceArgs =
  | { readonly kind: 'local'; readonly logs: string }
  | {
      readonly kind: 'lookup';
      readonly regions: string[];
      readonly profile?: string;
      readonly endpoint?: string;
      /** --profiles or --sso-session: the run's accounts, over a runbook's or a cell's choice. */
      readonly accounts?: AccountChoice;
    }
  | TrinoTarget
  | AthenaTarget;

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
  /** --yes: run the response action without asking (where there is no terminal to confirm on). */
  readonly yes: boolean;
  /** --evidence FILE: the evidence report, JSON (.json) or Markdown (.md). */
  readonly evidence?: string;
}

/** How the CLI names the Trino inputs: a flag, or the environment variable beside it. */
const TRINO_FLAGS: TrinoInputNames = {
  server: '--trino-server',
  table: '--trino-table',
  give: (flag, example) => `${flag} ${example} (or ${flag === '--trino-server' ? 'TRINO_SERVER' : 'TRINO_TABLE'})`,
  credentials: 'TRINO_PASSWORD or TRINO_ACCESS_TOKEN',
};

/**
 * Where `--source trino` runs: flags, else TRINO_SERVER / TRINO_USER / TRINO_TABLE. A password
 * or token only ever comes from the environment (TRINO_PASSWORD, TRINO_ACCESS_TOKEN), never a
 * flag that shows in `ps` or a runbook; the checks are the editor's too (app/trinoTarget.ts).
 */
function trinoArgs(server: string | undefined, user: string | undefined, table: string | undefined, env: NodeJS.ProcessEnv): SourceArgs {
  try {
    return trinoTarget(
      {
        server: server ?? env.TRINO_SERVER,
        table: table ?? env.TRINO_TABLE,
        user: user ?? env.TRINO_USER,
        ...(env.TRINO_PASSWORD !== undefined ? { password: env.TRINO_PASSWORD } : {}),
        ...(env.TRINO_ACCESS_TOKEN !== undefined ? { accessToken: env.TRINO_ACCESS_TOKEN } : {}),
      },
      TRINO_FLAGS,
      env,
    );
  } catch (error) {
    throw error instanceof TrinoTargetError ? new UsageError(error.message, { cause: error }) : error;
  }
}

/** How the CLI names the Athena inputs in errors. */
export const ATHENA_FLAGS: AthenaInputNames = {
  workgroup: '--athena-workgroup',
  database: '--athena-database',
  table: '--athena-table',
  catalog: '--athena-catalog',
  outputLocation: '--athena-output',
  region: '--region',
  profile: '--profile',
  endpoint: '--endpoint',
  accounts: '--athena-accounts',
  regions: '--athena-regions',
  maxScan: '--max-scan',
  pricePerTb: '--athena-price-per-tb',
};

/** `--source athena`: the flags (else the defaults: workgroup primary, table default.cloudtrail_logs); the checks are the editor's too. */
export function athenaArgs(values: Record<string, string | boolean | string[] | undefined>, env: NodeJS.ProcessEnv): AthenaTarget {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  try {
    return athenaTarget(
      {
        ...(text('athena-workgroup') !== undefined ? { workgroup: text('athena-workgroup')! } : {}),
        ...(text('athena-database') !== undefined ? { database: text('athena-database')! } : {}),
        ...(text('athena-table') !== undefined ? { table: text('athena-table')! } : {}),
        ...(text('athena-catalog') !== undefined ? { catalog: text('athena-catalog')! } : {}),
        ...(text('athena-output') !== undefined ? { outputLocation: text('athena-output')! } : {}),
        ...(text('region') !== undefined ? { region: text('region')! } : {}),
        ...((text('profile') ?? env.AWS_PROFILE) !== undefined ? { profile: (text('profile') ?? env.AWS_PROFILE)! } : {}),
        ...(text('endpoint') !== undefined ? { endpoint: text('endpoint')! } : {}),
        ...(text('athena-accounts') !== undefined ? { accounts: text('athena-accounts')! } : {}),
        ...(text('athena-regions') !== undefined ? { regions: text('athena-regions')! } : {}),
        ...(text('max-scan') !== undefined ? { maxScan: text('max-scan')! } : {}),
        ...(text('athena-price-per-tb') !== undefined ? { pricePerTb: text('athena-price-per-tb')! } : {}),
      },
      ATHENA_FLAGS,
      env,
    );
  } catch (error) {
    throw error instanceof AthenaTargetError ? new UsageError(error.message, { cause: error }) : error;
  }
}

/** How a CLI user lets a runbook read as the accounts it asks for (src/app/accountTarget.ts). */
export function allowAccountsHint(asked: AccountChoice): string {
  return asked.ssoSession !== undefined
    ? `run with --sso-session ${asked.ssoSession} to allow it`
    : `run with --profiles ${asked.profiles!.join(',')} (or a list holding them) to allow it`;
}

/** --profiles a,b or --sso-session NAME (not both, nor with --profile): several accounts at once. */
function accountArgs(profiles: string | undefined, ssoSession: string | undefined, profile: string | undefined): AccountChoice | undefined {
  if (profiles !== undefined && ssoSession !== undefined) throw new UsageError('give --profiles or --sso-session, not both');
  if ((profiles !== undefined || ssoSession !== undefined) && profile !== undefined) {
    throw new UsageError(
      `--profile reads one account; --${profiles !== undefined ? 'profiles' : 'sso-session'} reads several: give one of them`,
    );
  }
  if (profiles !== undefined) {
    const read = parseProfileList(profiles);
    if ('error' in read) throw new UsageError(`--${read.error}`);
    return { profiles: read.profiles };
  }
  if (ssoSession !== undefined) {
    const read = parseSsoSession(ssoSession);
    if ('error' in read) throw new UsageError(`--${read.error}`);
    return { ssoSession: read.ssoSession };
  }
  return undefined;
}

const ATHENA_ONLY = [
  'athena-workgroup',
  'athena-database',
  'athena-table',
  'athena-catalog',
  'athena-output',
  'athena-accounts',
  'athena-regions',
  'max-scan',
  'athena-price-per-tb',
];

export function parseRunArgs(argv: string[]): RunArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      logs: { type: 'string' },
      source: { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      profiles: { type: 'string' },
      'sso-session': { type: 'string' },
      endpoint: { type: 'string' },
      'trino-server': { type: 'string' },
      'trino-user': { type: 'string' },
      'trino-table': { type: 'string' },
      'athena-workgroup': { type: 'string' },
      'athena-database': { type: 'string' },
      'athena-table': { type: 'string' },
      'athena-catalog': { type: 'string' },
      'athena-output': { type: 'string' },
      'athena-accounts': { type: 'string' },
      'athena-regions': { type: 'string' },
      'athena-price-per-tb': { type: 'string' },
      'max-scan': { type: 'string' },
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
      yes: { type: 'boolean' },
      evidence: { type: 'string' },
    },
  });
  const [runbook, ...morePositionals] = positionals;
  if (runbook === undefined || morePositionals.length > 0) throw new UsageError('give one runbook: trailbook run RUNBOOK.md --logs PATH');
  const sourceName = values.source ?? 'local';
  const athenaOnly = ATHENA_ONLY.filter((name) => values[name as keyof typeof values] !== undefined);
  if (sourceName !== 'athena' && athenaOnly.length > 0)
    throw new UsageError(`--${athenaOnly.join(', --')} ${athenaOnly.length === 1 ? 'goes' : 'go'} with --source athena`);
  let source: SourceArgs;
  if (sourceName === 'local') {
    if (!values.logs)
      throw new UsageError(
        "--logs PATH is required: a log file or folder (for example one downloaded from the trail's S3 bucket), or --source lookup",
      );
    if (values.region || values.profile || values.endpoint || values.profiles || values['sso-session']) {
      throw new UsageError('--region, --profile, --profiles, --sso-session and --endpoint go with --source lookup');
    }
    source = { kind: 'local', logs: values.logs };
  } else if (sourceName === 'lookup') {
    if (values.logs) throw new UsageError('--logs goes with --source local; LookupEvents reads the account itself');
    const regions = (values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1')
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const bad = regions.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
    if (bad !== undefined || regions.length === 0)
      throw new UsageError(`--region ${values.region}: give region names such as us-east-1,eu-west-1`);
    if (values.endpoint) usableEndpoint(values.endpoint);
    const accounts = accountArgs(values.profiles, values['sso-session'], values.profile);
    source = {
      kind: 'lookup',
      regions,
      ...((values.profile ?? process.env.AWS_PROFILE) ? { profile: values.profile ?? process.env.AWS_PROFILE! } : {}),
      ...(values.endpoint ? { endpoint: values.endpoint } : {}),
      ...(accounts ? { accounts } : {}),
    };
  } else if (sourceName === 'trino') {
    if (values.profiles || values['sso-session']) throw new UsageError('--profiles and --sso-session go with --source lookup');
    if (values.logs || values.region || values.profile || values.endpoint)
      throw new UsageError('--logs, --region, --profile and --endpoint do not go with --source trino');
    source = trinoArgs(values['trino-server'], values['trino-user'], values['trino-table'], process.env);
  } else if (sourceName === 'athena') {
    if (values.logs) throw new UsageError("--logs goes with --source local; Athena reads the trail's table");
    source = athenaArgs(values, process.env);
  } else {
    throw new UsageError(`--source ${sourceName}: use local (log files), lookup (LookupEvents), trino or athena`);
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
      throw new UsageError((error as Error).message, { cause: error });
    }
  }
  return {
    runbook,
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
    yes: Boolean(values.yes),
    ...(values.evidence ? { evidence: values.evidence } : {}),
  };
}
