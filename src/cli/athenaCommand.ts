// `trailbook athena ddl`: prints the CREATE EXTERNAL TABLE for a trail's bucket (Athena's
// CloudTrail columns, partition projection, organisation trails included); with --apply,
// runs it in the workgroup. The connection flags are `run --source athena`'s.
import { parseArgs } from 'node:util';
import { applyAthenaDdl } from '../app/athenaDdl';
import { cloudTrailDdl, DdlInputError } from '../sources/athena/ddl';
import { terminalMfaPrompt } from './mfaPrompt';
import { athenaArgs } from './runArgs';
import { UsageError, type CommandResult } from './usageError';

const list = (value: string | undefined): string[] | undefined =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

export async function athenaCommand(argv: string[]): Promise<CommandResult> {
  const [sub, ...rest] = argv;
  if (sub !== 'ddl')
    throw new UsageError(
      `trailbook athena ${sub ?? ''}: the subcommand is ddl (trailbook athena ddl --bucket s3://BUCKET[/PREFIX] --accounts …)`.replace(
        '  ',
        ' ',
      ),
    );
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      bucket: { type: 'string' },
      org: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      table: { type: 'string' },
      database: { type: 'string' },
      since: { type: 'string' },
      apply: { type: 'boolean' },
      'athena-workgroup': { type: 'string' },
      'athena-catalog': { type: 'string' },
      'athena-output': { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      endpoint: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`trailbook athena ddl takes no positional arguments (got ${positionals.join(' ')})`);
  if (!values.bucket)
    throw new UsageError(
      '--bucket s3://BUCKET[/PREFIX] is required: the bucket (and prefix) the trail delivers to, the folder that holds AWSLogs/',
    );
  let ddl;
  try {
    ddl = cloudTrailDdl({
      bucket: values.bucket,
      ...(values.org !== undefined ? { org: values.org } : {}),
      ...(values.accounts !== undefined ? { accounts: list(values.accounts)! } : {}),
      ...(values.regions !== undefined ? { regions: list(values.regions)! } : {}),
      ...(values.table !== undefined ? { table: values.table } : {}),
      ...(values.database !== undefined ? { database: values.database } : {}),
      ...(values.since !== undefined ? { since: values.since } : {}),
    });
  } catch (error) {
    throw error instanceof DdlInputError ? new UsageError(error.message, { cause: error }) : error;
  }
  if (!values.apply) {
    const onlyApply = ['athena-workgroup', 'athena-catalog', 'athena-output', 'region', 'profile', 'endpoint'].filter(
      (name) => values[name as keyof typeof values] !== undefined,
    );
    if (onlyApply.length > 0) throw new UsageError(`--${onlyApply.join(', --')} ${onlyApply.length === 1 ? 'goes' : 'go'} with --apply`);
    process.stdout.write(`${ddl.sql};\n`);
    return { exitCode: 0 };
  }
  const target = athenaArgs(
    { ...values, 'athena-database': ddl.table.split('.')[0], 'athena-table': ddl.table.split('.')[1] },
    process.env,
  );
  const { queryExecutionId } = await applyAthenaDdl(target, ddl.sql, { mfaCodeProvider: terminalMfaPrompt() });
  return {
    exitCode: 0,
    message: `created ${ddl.table} over ${ddl.location} in workgroup ${target.workgroup} (query ${queryExecutionId}); run a runbook with --source athena --athena-database ${ddl.table.split('.')[0]} --athena-table ${ddl.table.split('.')[1]}`,
  };
}
