// `trailbook lint`: checks runbooks without running them, for CI on pull requests.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lintRunbook } from '../app/lintRunbook';
import { openSqlChecker } from '../engine/sqlCheck';
import { parseRunbook } from '../runbook/parse';
import { formatProblem, plural } from './text';
import { UsageError, type CommandResult } from './usageError';

async function markdownFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`${path} does not exist`);
  });
  if (info.isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => (e.isDirectory() ? markdownFiles(join(path, e.name)) : Promise.resolve(/\.md$/i.test(e.name) ? [join(path, e.name)] : []))),
  );
  return nested.flat().sort();
}

export async function lintCommand(argv: string[]): Promise<CommandResult> {
  if (argv.length === 0) throw new UsageError('give runbooks or folders to check: trailbook lint runbooks/');
  const unknown = argv.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError(`unknown option ${unknown}: trailbook lint takes only paths`);
  const checker = await openSqlChecker();
  let runbooks = 0;
  let errors = 0;
  let warnings = 0;
  try {
    for (const given of argv) {
      const explicit = (await stat(given).catch(() => undefined))?.isFile() ?? false;
      for (const path of await markdownFiles(given)) {
        const runbook = parseRunbook(await readFile(path, 'utf8'), path);
        // In a folder, Markdown without cloudtrail blocks is documentation, not a runbook.
        if (runbook.cells.length === 0 && !explicit) continue;
        runbooks += 1;
        const problems = await lintRunbook(runbook, checker.connection);
        if (runbook.cells.length === 0) {
          problems.push({ line: 0, severity: 'warning', code: 'no-cells', message: 'no ```cloudtrail blocks: nothing to run' });
        }
        for (const problem of problems) {
          process.stdout.write(`${formatProblem(path, problem)}\n`);
          if (problem.severity === 'error') errors += 1;
          else warnings += 1;
        }
      }
    }
  } finally {
    checker.close();
  }
  const summary = `${plural(runbooks, 'runbook')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return { exitCode: errors > 0 ? 2 : 0, message: summary };
}
