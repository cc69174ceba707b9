// `trailbook demo` (npm run demo): the bundled runbooks on a generated sample trail with
// attacks injected, so a new user sees findings within a minute, with no AWS account.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { runRunbook, type CellRun } from '../app/runbookRunner';
import { DEMO_EVENTS, DEMO_WINDOW, ensureDemoTrail } from '../testbed/loggen/demoTrail';
import { organisationParams } from '../testbed/loggen/orgParams';
import { parseRunbook } from '../runbook/parse';
import { SourcePool } from '../app/openSource';
import { defaultCacheDir } from '../app/cacheLocation';
import { toTable } from '../app/output';
import { packageRoot } from './packageRoot';
import { statusLine } from './statusLine';
import { plural } from './text';
import { UsageError, type CommandResult } from './usageError';

const SHOWN_ROWS = 5;

function cellReport(run: CellRun): string {
  const lines = [`  ${statusLine(run)}`];
  if (run.status === 'finding' && run.rows.length > 0) {
    const table = toTable(run.columns, run.rows.slice(0, SHOWN_ROWS));
    lines.push(...table.split('\n').map((line) => `      ${line}`));
    if (run.rows.length > SHOWN_ROWS) lines.push(`      … and ${run.rows.length - SHOWN_ROWS} more`);
  }
  return lines.join('\n');
}

export async function demoCommand(argv: string[]): Promise<CommandResult> {
  if (argv.length > 0) throw new UsageError('trailbook demo takes no arguments');
  const root = packageRoot();
  const cacheDir = defaultCacheDir();
  const logs = await ensureDemoTrail(cacheDir, (dir) =>
    process.stderr.write(`generating a sample trail of ${DEMO_EVENTS.toLocaleString('en-US')} events in ${dir} (once)…\n`),
  );
  const runbookDir = join(root, 'runbooks');
  const files = (await readdir(runbookDir)).filter((f) => f.endsWith('.md')).sort();
  process.stdout.write(
    `Trailbook demo: ${plural(files.length, 'bundled runbook')} on a generated sample trail (${DEMO_EVENTS.toLocaleString('en-US')} events, attacks injected)\nlogs: ${logs}\n\n`,
  );

  const pool = new SourcePool(cacheDir);
  const { store, source } = await pool.open({ kind: 'local', logsPath: logs });
  let findings = 0;
  // Verify cells (verify-*) show responses still to do: nobody responded in the sample.
  let openResponses = 0;
  let failures = 0;
  const problems = new Set<string>();
  try {
    for (const file of files) {
      const path = join(runbookDir, file);
      const runbook = parseRunbook(await readFile(path, 'utf8'), relative(root, path));
      process.stdout.write(`${runbook.title} (${runbook.path})\n`);
      // The sample organisation's ranges, buckets and hours: the runbooks invent none.
      const runs = await runRunbook(runbook, { store, source, window: DEMO_WINDOW, params: organisationParams() });
      for (const run of runs) {
        process.stdout.write(`${cellReport(run)}\n`);
        for (const problem of run.problems) problems.add(`${problem.where}: ${problem.message}`);
        if (run.status === 'finding') {
          if (run.cell.id.startsWith('verify-')) openResponses += 1;
          else findings += 1;
        }
        if (run.status === 'error' || run.status === 'skipped' || run.status === 'unconfigured') failures += 1;
      }
      process.stdout.write('\n');
    }
  } finally {
    await pool.close();
  }
  if (problems.size > 0)
    process.stdout.write(`${plural(problems.size, 'problem')} in the logs:\n${[...problems].map((p) => `  ${p}\n`).join('')}\n`);
  process.stdout.write(
    `${plural(findings, 'detection')} found something in the sample trail, as expected: it has attacks injected.\n` +
      (openResponses > 0
        ? `${plural(openResponses, 'verify cell')} show a response still to do: nobody has responded in the sample.\n`
        : '') +
      `On your own logs: node out/cli.js run runbooks/cloudtrail-tampering.md --logs PATH_TO_LOGS --window 7d\n`,
  );
  return failures > 0 ? { exitCode: 2, message: `${plural(failures, 'cell')} failed: see above` } : { exitCode: 0 };
}
