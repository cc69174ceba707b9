// `trailbook run … --evidence FILE`: the report of the run, for audits (docs/evidence.md).
import { buildEvidence, CellClock, describeSource, evidenceFormatFor, gitInfo, renderEvidence } from '../app/evidence';
import type { CellRun } from '../app/runbookRunner';
import type { Runbook } from '../runbook/types';
import type { RunArgs } from './runArgs';
import { writeFileAtomic } from '../app/writeAtomic';

/**
 * --evidence: the report of this run (docs/evidence.md), written atomically in the format
 * the file name asks for. The git state is read now, so it describes the text that ran.
 */
export async function writeEvidence(
  args: RunArgs,
  text: string,
  runbook: Runbook,
  runs: readonly CellRun[],
  startedAt: Date,
  clock: CellClock | undefined,
  exitCode: number,
): Promise<void> {
  const path = args.evidence!;
  const report = buildEvidence({
    runbookPath: args.runbook,
    runbookText: text,
    runbook,
    runs,
    source: describeSource(args.source),
    git: await gitInfo(args.runbook),
    startedAt,
    finishedAt: new Date(),
    params: args.params,
    ...(args.window ? { window: args.window } : {}),
    cellIds: args.cells,
    exitCode,
    ...(clock ? { clock } : {}),
  });
  await writeFileAtomic(path, renderEvidence(report, evidenceFormatFor(path) ?? 'json'));
  if (!args.quiet) process.stderr.write(`evidence written to ${path}\n`);
}
