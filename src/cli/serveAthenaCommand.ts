// `trailbook serve-athena`: a local Athena endpoint, so `--source athena`, the AWS CLI or any
// SDK can be tried with no AWS account. It executes on DuckDB over the --logs folder, or on
// a Trino (--trino URL --trino-table catalog.schema.table) over the same events; either way
// the --logs folder is also served as the S3 bucket the cost bound lists. It runs until
// interrupted. Its keys are made for each start and printed as serve-cloudtrail prints its
// own: KEY=value lines (prose as # comments), or with --json one JSON line.
import { parseArgs } from 'node:util';
import { trinoTarget, TrinoTargetError } from '../app/trinoTarget';
import { duckdbBackend, startAthenaEndpoint, trinoBackend, type AthenaBackend, type AthenaEndpoint } from '../testbed/athenaEndpoint';
import { LOGS_BUCKET } from '../testbed/athenaEndpoint/s3Listing';
import { interrupted } from './serveCommand';
import { UsageError, type CommandResult } from './usageError';

export interface ServeAthenaArgs {
  readonly logs: string;
  readonly port: number;
  readonly json: boolean;
  readonly maxConcurrent: number;
  /** Execute on this Trino instead of DuckDB. */
  readonly trino?: {
    readonly server: string;
    readonly table: string;
    readonly user: string;
    readonly password?: string;
    readonly accessToken?: string;
  };
}

const wholeNumber = (flag: string, text: string | undefined, fallback: number, min: number, max: number): number => {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${flag} ${text}: give a whole number from ${min} to ${max}`);
  return value;
};

export function parseServeAthenaArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeAthenaArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      logs: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
      'max-concurrent': { type: 'string' },
      trino: { type: 'string' },
      'trino-table': { type: 'string' },
      'trino-user': { type: 'string' },
    },
  });
  if (!values.logs)
    throw new UsageError(
      '--logs DIR is required: the log folder the endpoint serves (the events on DuckDB, and the S3 listing of the cost bound)',
    );
  const args = {
    logs: values.logs,
    port: wholeNumber('--port', values.port, 0, 0, 65535),
    json: values.json === true,
    maxConcurrent: wholeNumber('--max-concurrent', values['max-concurrent'], 5, 1, 1000),
  };
  if (values.trino === undefined) {
    if (values['trino-table'] !== undefined || values['trino-user'] !== undefined)
      throw new UsageError('--trino-table and --trino-user go with --trino URL');
    return args;
  }
  try {
    // Held to the rules of --source trino: https, or plain http only to this machine; a secret only from the environment.
    const target = trinoTarget(
      {
        server: values.trino,
        ...(values['trino-table'] !== undefined ? { table: values['trino-table'] } : {}),
        user: values['trino-user'] ?? env.TRINO_USER ?? 'trailbook',
        ...(env.TRINO_PASSWORD !== undefined ? { password: env.TRINO_PASSWORD } : {}),
        ...(env.TRINO_ACCESS_TOKEN !== undefined ? { accessToken: env.TRINO_ACCESS_TOKEN } : {}),
      },
      {
        server: '--trino',
        table: '--trino-table',
        give: (flag, example) => `${flag} ${example}`,
        credentials: 'TRINO_PASSWORD or TRINO_ACCESS_TOKEN',
      },
      env,
    );
    return {
      ...args,
      trino: {
        server: target.server,
        table: target.table,
        user: target.user,
        ...(target.password !== undefined ? { password: target.password } : {}),
        ...(target.accessToken !== undefined ? { accessToken: target.accessToken } : {}),
      },
    };
  } catch (error) {
    throw error instanceof TrinoTargetError ? new UsageError(error.message, { cause: error }) : error;
  }
}

/** What a script needs to call the endpoint, as one JSON object. */
export interface ServeAthenaAnnouncement {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly engine: string;
  readonly bucket: string;
}

function prose(args: ServeAthenaArgs, said: ServeAthenaAnnouncement): string[] {
  return [
    `Athena (StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution, GetWorkGroup, GetTableMetadata) on loopback only, executing on ${said.engine}`,
    `work group primary, table "default"."cloudtrail_logs"; ${args.logs} is also the S3 bucket ${said.bucket} (ListObjectsV2); at most ${args.maxConcurrent} queries at once`,
    'new keys every start; Ctrl-C stops it',
  ];
}

function envLines(args: ServeAthenaArgs, said: ServeAthenaAnnouncement): string {
  return (
    [
      ...prose(args, said).map((line) => `# ${line}`),
      `TRAILBOOK_ENDPOINT=${said.endpoint}`,
      `AWS_ACCESS_KEY_ID=${said.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${said.secretAccessKey}`,
      `AWS_REGION=${said.region}`,
      '# With the four lines above exported, in another shell:',
      `#   aws athena start-query-execution --endpoint-url "$TRAILBOOK_ENDPOINT" --query-string 'SELECT count(*) FROM "default"."cloudtrail_logs"'`,
      '#   trailbook run RUNBOOK.md --source athena --endpoint "$TRAILBOOK_ENDPOINT"',
    ].join('\n') + '\n'
  );
}

export async function serveAthenaCommand(argv: string[]): Promise<CommandResult> {
  const args = parseServeAthenaArgs(argv);
  const local = args.trino ? undefined : await duckdbBackend({ logsPath: args.logs });
  const backend: AthenaBackend =
    local ??
    trinoBackend({
      connection: {
        server: args.trino!.server,
        user: args.trino!.user,
        ...(args.trino!.password !== undefined ? { password: args.trino!.password } : {}),
        ...(args.trino!.accessToken !== undefined ? { accessToken: args.trino!.accessToken } : {}),
      },
      trinoTable: args.trino!.table,
    });
  let endpoint: AthenaEndpoint;
  try {
    endpoint = await startAthenaEndpoint({ backend, port: args.port, maxConcurrent: args.maxConcurrent, logsDir: args.logs });
  } catch (error) {
    await backend.close();
    throw error;
  }
  const said: ServeAthenaAnnouncement = {
    endpoint: endpoint.url,
    ...endpoint.credentials,
    region: endpoint.region,
    engine: backend.label,
    bucket: LOGS_BUCKET,
  };
  // What could not be read is said, by file and line; the rest is served.
  for (const problem of local?.problems ?? []) process.stderr.write(`serve-athena: ${problem.where}: ${problem.message}\n`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(said)}\n`);
    process.stderr.write(prose(args, said).join('\n') + '\n');
  } else {
    process.stdout.write(envLines(args, said));
  }
  await interrupted();
  await endpoint.close();
  await backend.close();
  return { exitCode: 0 };
}
