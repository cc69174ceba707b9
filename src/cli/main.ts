// The headless runner: the same runbooks the editor runs, for CI and schedules.
import { athenaCommand } from './athenaCommand';
import { lintCommand } from './lintCommand';
import { quietSdkNodeVersionWarning, versionText } from './nodeVersion';
import { demoCommand } from './demoCommand';
import { drillCommand } from './drillCommand';
import { profilesCommand } from './profilesCommand';
import { runCommand } from './runCommand';
import { checkCommand } from './checkCommand';
import { serveAthenaCommand } from './serveAthenaCommand';
import { serveCommand } from './serveCommand';
import { testCommand } from './testCommand';
import { USAGE } from './usage';
import { UsageError, type CommandResult } from './usageError';

const COMMANDS: Record<string, (argv: string[]) => Promise<CommandResult>> = {
  run: runCommand,
  check: checkCommand,
  lint: lintCommand,
  test: testCommand,
  drill: drillCommand,
  demo: demoCommand,
  profiles: (argv) => profilesCommand(argv),
  'serve-cloudtrail': serveCommand,
  'serve-athena': serveAthenaCommand,
  athena: athenaCommand,
};

export async function main(argv: string[]): Promise<number> {
  quietSdkNodeVersionWarning();
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(versionText());
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command)
      throw new UsageError(
        `unknown command "${name}": use run, check, lint, test, profiles, demo, serve-cloudtrail, serve-athena or athena`,
      );
    const result = await command(rest);
    if (result.message) process.stderr.write(`${result.message}\n`);
    return result.exitCode;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`trailbook: ${(error as Error).message}\n(trailbook --help shows the usage)\n`);
      return 2;
    }
    process.stderr.write(`trailbook: ${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
