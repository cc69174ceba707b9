// How a run is worded, the same in the CLI's status lines, the editor's summary after each
// block and the results view's header and run list: one icon per status, one way to count
// rows and findings, one way to say the row limit was reached (or that the host kept the
// whole result, which is then counted whole). Each face adds only what is its own (the CLI
// the cell and line, the editor the clock). No DOM, no node.
import { plural } from './plural';
import type { RunStatus } from './results';

export const STATUS_ICON: Readonly<Record<RunStatus, string>> = {
  running: '◌',
  ok: '✓',
  finding: '⚠',
  error: '✗',
  skipped: '↷',
  unconfigured: '○',
  cancelled: '■',
};

/** `1 row`, `12 rows`, `10,000 rows (limit reached)`. */
export function rowsText(count: number, truncated: boolean, word = 'row'): string {
  return `${plural(count, word)}${truncated ? ' (limit reached)' : ''}`;
}

/**
 * `310 rows (kept by the host)`: a result over the row limit that the host keeps whole, so
 * every row can be seen (the results view pages through it); counted whole, never as cut.
 */
export function keptRowsText(count: number, word = 'row'): string {
  return `${plural(count, word)} (kept by the host)`;
}

export interface RunOutcome {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly rowCount: number;
  readonly truncated: boolean;
  /** Every row of a result over the row limit that the host keeps whole (the editor does): said instead of the cut count. */
  readonly keptRowCount?: number;
  readonly expect?: 'empty' | 'rows';
  /** For `error`, `skipped` and `unconfigured`: the reason, as the face wants it shown (whole, or its first line). */
  readonly error?: string;
  /** The source read only part of what it was asked (`partial: 2 of 3 accounts read; …`). */
  readonly partial?: string;
}

export interface OutcomeWords {
  readonly icon: string;
  /** `12 rows`, `3 findings`, `expected rows, found none`, `cancelled`, `skipped: …`, or the error. */
  readonly text: string;
  /** The run went as far as its query: its elapsed time belongs after the text. */
  readonly timed: boolean;
}

/** What a finished run came to, without where it ran or when. */
export function outcomeWords(run: RunOutcome): OutcomeWords {
  const icon = STATUS_ICON[run.status];
  // Rows of some accounts only: said beside the count, never left to a note.
  const partial = run.partial === undefined ? '' : ` (${run.partial.split(';')[0]})`;
  const counted = (word: string): string =>
    run.keptRowCount !== undefined ? keptRowsText(run.keptRowCount, word) : rowsText(run.rowCount, run.truncated, word);
  switch (run.status) {
    case 'ok':
      return { icon, text: `${counted('row')}${partial}`, timed: true };
    case 'finding':
      // `expect=rows` that found nothing is a finding with no rows to count.
      return {
        icon,
        text: `${run.expect === 'rows' ? 'expected rows, found none' : counted('finding')}${partial}`,
        timed: true,
      };
    case 'cancelled':
      return { icon, text: 'cancelled', timed: true };
    case 'skipped':
      return { icon, text: `skipped: ${run.error ?? 'not run'}`, timed: false };
    case 'unconfigured':
      return { icon, text: run.error ?? 'not configured', timed: false };
    case 'error':
      return { icon, text: run.error ?? 'failed', timed: false };
  }
}

/** The view's headline: `✓ No findings`, `⚠ Findings`; a detection (`expect=empty`) reads differently from a plain query. */
export function statusHeadline(status: RunStatus, expect: 'empty' | 'rows' | undefined): string {
  const icon = STATUS_ICON[status];
  switch (status) {
    case 'running':
      return `${icon} Running`;
    case 'ok':
      return `${icon} ${expect === 'empty' ? 'No findings' : 'Done'}`;
    case 'finding':
      return `${icon} ${expect === 'rows' ? 'Expected rows, found none' : 'Findings'}`;
    case 'error':
      return `${icon} Error`;
    case 'skipped':
      return `${icon} Skipped`;
    case 'unconfigured':
      return `${icon} Not configured`;
    case 'cancelled':
      return `${icon} Cancelled`;
  }
}
