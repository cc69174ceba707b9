// The headless runner: the same runbooks the editor runs, for CI and schedules.
import { quietSdkNodeVersionWarning, versionText } from './nodeVersion';
import { USAGE } from './usage';
import { UsageError, type CommandResult } from './usageError';

type Command = (argv: string[]) => Promise<CommandResult>;

// Each command's module is required when the command runs, not when the CLI starts: esbuild
// evaluates a module that is only require()d when the call is made, so `--version`, `--help`
// or a run on local logs never evaluates what other commands need (the AWS SDK, the test
// bed's endpoints, the drill's generator). docs/local-logs.md has the start figures.
const COMMANDS: Record<string, () => Command> = {
  run: () => (require('./runCommand') as typeof import('./runCommand')).runCommand,
  check: () => (require('./checkCommand') as typeof import('./checkCommand')).checkCommand,
  lint: () => (require('./lintCommand') as typeof import('./lintCommand')).lintCommand,
  test: () => (require('./testCommand') as typeof import('./testCommand')).testCommand,
  drill: () => (require('./drillCommand') as typeof import('./drillCommand')).drillCommand,
  demo: () => (require('./demoCommand') as typeof import('./demoCommand')).demoCommand,
  profiles: () => (argv) => (require('./profilesCommand') as typeof import('./profilesCommand')).profilesCommand(argv),
  'serve-cloudtrail': () => (require('./serveCommand') as typeof import('./serveCommand')).serveCommand,
  'serve-athena': () => (require('./serveAthenaCommand') as typeof import('./serveAthenaCommand')).serveAthenaCommand,
  athena: () => (require('./athenaCommand') as typeof import('./athenaCommand')).athenaCommand,
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
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command)
      throw new UsageError(
        `unknown command "${name}": use run, check, lint, test, profiles, demo, serve-cloudtrail, serve-athena or athena`,
      );
    const result = await command()(rest);
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
