// A cell answered before the cache was written (a cold local scan, answered first) learns
// the whole of what was read only once the cache is: a first answer from the few files that
// can match (sources/local/valuePrefilter.ts) says nothing yet of the other files' counts,
// window and problems. Once written, the run takes the stored scope's notes and problems,
// and when no event of the logs could be read at all it fails, as it would have had the
// cache come first: "0 rows" over logs nobody could read must not pass a detection.
import type { PreparedScope } from '../engine/eventSource';
import type { CellRun } from './runbookRunner';

export interface CacheWrittenRun {
  readonly run: CellRun;
  /** The notes, problems or status differ from what the answer said. */
  readonly changed: boolean;
}

export function runOnceCacheWritten(answered: CellRun, stored: PreparedScope): CacheWrittenRun {
  const run: CellRun =
    stored.nothingRead !== undefined && answered.status !== 'error'
      ? {
          ...answered,
          status: 'error',
          columns: [],
          rows: [],
          truncated: false,
          nothingRead: true,
          error: { message: stored.nothingRead, line: answered.cell.fenceLine, kind: { kind: 'noLogs' } },
        }
      : answered;
  const { answeredFirst: _narrow, ...settled } = run;
  const amended: CellRun = { ...settled, scope: stored.scope, notes: stored.notes, problems: stored.problems };
  const changed =
    run !== answered ||
    !sameList(answered.notes, stored.notes) ||
    !sameList(answered.problems.map(problemKey), stored.problems.map(problemKey));
  return { run: amended, changed };
}

const problemKey = (p: { where: string; message: string }): string => `${p.where}\0${p.message}`;

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);
