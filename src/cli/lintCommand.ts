// `trailbook lint`: checks runbooks without running them, for CI on pull requests.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lintRunbook } from '../app/lintRunbook';
import { findRunbookTests, testCoverageProblems } from '../app/runbookTests';
import { openSqlChecker } from '../engine/sqlCheck';
import { parseRunbook } from '../runbook/parse';
import { relative, sep } from 'node:path';
import { toSarif, type LintedFile } from '../app/sarif';
import { annotationLines, type Annotation } from '../app/githubAnnotations';
import { trailbookVersion } from './nodeVersion';
import { formatProblem, plural } from './text';
import { UsageError, type CommandResult } from './usageError';

/** The Markdown files under `path` (or `path` itself), sorted; `.tests` folders hold cases, not runbooks. */
export async function markdownFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`${path} does not exist`);
  });
  if (info.isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules' && !(e.isDirectory() && e.name.endsWith('.tests')))
      .map((e) =>
        e.isDirectory() ? markdownFiles(join(path, e.name)) : Promise.resolve(/\.md$/i.test(e.name) ? [join(path, e.name)] : []),
      ),
  );
  return nested.flat().sort();
}

export async function lintCommand(argv: string[]): Promise<CommandResult> {
  if (argv.length === 0) throw new UsageError('give runbooks or folders to check: trailbook lint runbooks/');
  // --format sarif: SARIF 2.1.0 on standard output, for GitHub code scanning; text is the default.
  let format = 'text';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--format' || arg.startsWith('--format=')) {
      format = arg.includes('=') ? arg.slice('--format='.length) : (argv[++i] ?? '');
      if (format !== 'text' && format !== 'sarif') throw new UsageError(`--format ${format}: lint writes text or sarif`);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}: trailbook lint takes paths and --format text|sarif`);
    else paths.push(arg);
  }
  if (paths.length === 0) throw new UsageError('give runbooks or folders to check: trailbook lint runbooks/');
  const linted: LintedFile[] = [];
  const checker = await openSqlChecker();
  let runbooks = 0;
  let errors = 0;
  let warnings = 0;
  try {
    for (const given of paths) {
      const explicit = (await stat(given).catch(() => undefined))?.isFile() ?? false;
      for (const path of await markdownFiles(given)) {
        const text = await readFile(path, 'utf8');
        const runbook = parseRunbook(text, path);
        // In a folder, Markdown without cloudtrail blocks is documentation, not a runbook.
        if (runbook.cells.length === 0 && !explicit) continue;
        runbooks += 1;
        const problems = await lintRunbook(runbook, checker.connection);
        problems.push(...testCoverageProblems(runbook, await findRunbookTests(path)));
        problems.sort((a, b) => a.line - b.line);
        if (runbook.cells.length === 0) {
          problems.push({ line: 0, severity: 'warning', code: 'no-cells', message: 'no ```cloudtrail blocks: nothing to run' });
        }
        linted.push({ uri: relative(process.cwd(), path).split(sep).join('/'), text, problems });
        for (const problem of problems) {
          if (format === 'text') process.stdout.write(`${formatProblem(path, problem)}\n`);
          if (problem.severity === 'error') errors += 1;
          else warnings += 1;
        }
      }
    }
  } finally {
    checker.close();
  }
  if (format === 'sarif') process.stdout.write(toSarif(linted, trailbookVersion()));
  if (process.env.GITHUB_ACTIONS === 'true') {
    const annotations = linted.flatMap((file) =>
      file.problems.map((p): Annotation => ({
        level: p.severity,
        file: file.uri,
        line: p.line + 1,
        ...(p.column !== undefined ? { column: p.column + 1 } : {}),
        title: `trailbook lint: ${p.code}`,
        message: p.message,
      })),
    );
    for (const line of annotationLines(annotations)) process.stderr.write(`${line}\n`);
  }
  const summary = `${plural(runbooks, 'runbook')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return { exitCode: errors > 0 ? 2 : 0, message: summary };
}
