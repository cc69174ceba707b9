// `trailbook profiles`: the AWS profiles `--profile` can name, with how each gets its
// credentials, so a person can pick one without opening ~/.aws/config.
import { parseArgs } from 'node:util';
import { awsConfigFiles, listProfiles } from '../sources/aws/profiles';
import { toTable } from '../app/output';
import { UsageError, type CommandResult } from './usageError';

export async function profilesCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string' } } });
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format ${format}: use table or json`);
  const files = awsConfigFiles(env);
  const profiles = await listProfiles(env);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ files, profiles }, null, 2)}\n`);
    return { exitCode: 0 };
  }
  if (profiles.length === 0) {
    return {
      exitCode: 0,
      message: `no AWS profiles in ${files.config} or ${files.credentials}: \`aws configure\` or \`aws configure sso\` creates one`,
    };
  }
  const rows = profiles.map((p) => [p.name, p.kind + (p.mfaSerial ? ' (MFA)' : ''), p.region ?? '']);
  process.stdout.write(`${toTable(['profile', 'credentials', 'region'], rows)}\n`);
  const current = env.AWS_PROFILE ? `; AWS_PROFILE is ${env.AWS_PROFILE}` : '';
  return { exitCode: 0, message: `from ${files.config} and ${files.credentials}${current}` };
}
