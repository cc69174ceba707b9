// The run list's order: a press of "Run all" is one entry holding its cells (in the
// runbook's order), a single run is its own entry; the newest entry of each cell is
// listed, and entries all of whose cells ran again since go under "Earlier runs". The
// cells of one press share its `startedAt` (src/extension/runSession.ts stamps the
// press once), which is how a press is told apart from several clicks. Pure: no DOM.
import type { RunStatus } from '../protocol/results';
import type { Run } from './runStore';

export interface RunGroup {
  /** `all:<runbook>:<startedAt>` for a Run all, the runId for a single run. */
  readonly key: string;
  readonly runAll: boolean;
  /** In the runbook's order (by line). */
  readonly runs: readonly Run[];
  /** Runs of cells that ran again later (shown dimmed in a Run all). */
  readonly superseded: ReadonlySet<string>;
  /** Every run of this entry ran again since: listed under "Earlier runs". */
  readonly earlier: boolean;
}

const cellKey = (run: Run): string => `${run.started.runbook}\u0000${run.started.cellId}`;

/** `runs` newest first (as the store lists them, reversed); groups newest first. */
export function groupRuns(runs: readonly Run[]): RunGroup[] {
  // The newest run of each cell.
  const newest = new Map<string, string>();
  for (const run of runs) if (!newest.has(cellKey(run))) newest.set(cellKey(run), run.runId);
  const byPress = new Map<string, Run[]>();
  const order: string[] = [];
  for (const run of runs) {
    const press = `all:${run.started.runbook}:${run.started.startedAt}`;
    let members = byPress.get(press);
    if (members === undefined) {
      members = [];
      byPress.set(press, members);
      order.push(press);
    }
    members.push(run);
  }
  return order.map((press) => {
    const members = byPress.get(press)!;
    const runAll = members.length > 1;
    const sorted = runAll ? [...members].sort((a, b) => a.started.line - b.started.line) : members;
    const superseded = new Set(sorted.filter((run) => newest.get(cellKey(run)) !== run.runId).map((run) => run.runId));
    return {
      key: runAll ? press : (members[0]?.runId ?? press),
      runAll,
      runs: sorted,
      superseded,
      earlier: superseded.size === sorted.length,
    };
  });
}

/** How many runs of a group ended each way (in the order the cells list them), for its one-line summary. */
export function statusCounts(runs: readonly Run[]): { readonly status: RunStatus; readonly count: number }[] {
  const counts = new Map<RunStatus, number>();
  for (const run of runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => ({ status, count }));
}
