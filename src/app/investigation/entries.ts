// Record entries made from what the faces have at hand: a finished cell run, a row the
// person marked. Only counts and hashes of results go in, never the rows themselves.
import { pivotValue, normalizeColumn } from '../../protocol/pivotValues';
import { resultSha256, scrubText, secretsFromEnv } from '../evidence';
import type { CellRun } from '../runbookRunner';
import type { CellRunEntry, EventMarkEntry } from './record';

export function cellRunEntry(
  ran: { readonly run: CellRun; readonly runbook: string; readonly runbookSha256?: string; readonly source: string },
  at: Date,
  secrets: readonly string[] = secretsFromEnv(),
): CellRunEntry {
  const { run } = ran;
  const hasResult = run.status === 'ok' || run.status === 'finding';
  return {
    kind: 'run',
    at: at.toISOString(),
    runbook: ran.runbook,
    ...(ran.runbookSha256 ? { runbookSha256: ran.runbookSha256 } : {}),
    cellId: run.cell.id,
    status: run.status,
    source: ran.source,
    ...(run.account ? { account: run.account } : {}),
    ...(run.window && run.window.end.getUTCFullYear() < 9999
      ? { window: { start: run.window.start.toISOString(), end: run.window.end.toISOString(), label: run.window.label } }
      : {}),
    rowCount: run.rows.length,
    truncated: run.truncated,
    // The hash is over the real rows (docs/evidence.md); the texts are scrubbed as the evidence's are.
    ...(hasResult ? { resultSha256: resultSha256(run.columns, run.rows) } : {}),
    ...(run.error ? { error: scrubText(run.error.message, secrets) } : {}),
    ...(run.sql !== undefined ? { sql: scrubText(run.sql, secrets) } : {}),
  };
}

/** A column of the row by name, read as the pivots read names (case and punctuation aside). */
function column(row: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const wanted = normalizeColumn(name);
  for (const [key, value] of Object.entries(row)) {
    if (normalizeColumn(key) === wanted && (typeof value === 'string' || typeof value === 'number') && String(value) !== '')
      return String(value);
  }
  return undefined;
}

/** The mark of an event: what identifies it to a reader (time, name, who, from where), and the person's tag and note. */
export function eventMarkEntry(
  mark: {
    readonly eventId: string;
    readonly tag: string;
    readonly note?: string;
    readonly cellId?: string;
    readonly row: Readonly<Record<string, unknown>>;
  },
  at: Date,
): EventMarkEntry {
  const { row } = mark;
  const eventTime = pivotValue(row, 'around');
  const eventName = column(row, 'eventName');
  const principal = pivotValue(row, 'principal');
  const sourceIp = pivotValue(row, 'sourceIp');
  return {
    kind: 'event',
    at: at.toISOString(),
    eventId: mark.eventId,
    tag: mark.tag,
    ...(mark.note !== undefined && mark.note.trim() !== '' ? { note: mark.note } : {}),
    ...(mark.cellId ? { cellId: mark.cellId } : {}),
    ...(eventTime ? { eventTime } : {}),
    ...(eventName ? { eventName } : {}),
    ...(principal ? { principal } : {}),
    ...(sourceIp ? { sourceIp } : {}),
  };
}
