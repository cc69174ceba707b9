// What makes two rows one finding, so an alert is raised once however many runs and
// overlapping windows see it: the cell's dedup= columns, else the row's eventID (CloudTrail's
// own id of an event), else the whole row.
import { createHash } from 'node:crypto';
import type { CellValue } from '../../engine/query';
import { cellText } from '../output';
import type { CellRun } from '../runbookRunner';

export interface FindingGroup {
  readonly key: string;
  readonly rows: readonly (readonly CellValue[])[];
}

export class FindingKeyError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** An expect=rows cell that found nothing: one finding until it finds rows again. */
export const NO_ROWS_KEY = 'no rows';

export function findingGroups(run: CellRun): FindingGroup[] {
  if (run.status !== 'finding') return [];
  if (run.cell.expect === 'rows') return [{ key: NO_ROWS_KEY, rows: [] }];
  const keyOf = rowKey(run);
  const groups = new Map<string, CellValue[][]>();
  for (const row of run.rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([key, rows]) => ({ key, rows }));
}

function rowKey(run: CellRun): (row: readonly CellValue[]) => string {
  const { cell, columns } = run;
  if (cell.dedup) {
    const indexes = cell.dedup.map((name) => {
      const at = columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
      if (at < 0)
        throw new FindingKeyError(
          `cell ${cell.id}: dedup=${cell.dedup!.join(',')} names ${name}, which the query does not return (columns: ${columns.join(', ')})`,
          cell.fenceLine,
        );
      return at;
    });
    return (row) => indexes.map((i) => cellText(row[i] ?? null)).join(' · ');
  }
  const eventId = columns.findIndex((c) => c.toLowerCase() === 'eventid');
  if (eventId >= 0) return (row) => cellText(row[eventId] ?? null);
  return (row) => `row ${createHash('sha256').update(JSON.stringify(row)).digest('hex').slice(0, 16)}`;
}

/** One finding's id everywhere (state, PagerDuty's dedup_key, the webhook's id). */
export function alertId(runbook: string, cell: string, key: string): string {
  return createHash('sha256').update(`${runbook}\0${cell}\0${key}`).digest('hex').slice(0, 32);
}
