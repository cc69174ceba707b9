import type { CellRun } from '../app/runbookRunner';
import { plural } from '../engine/plural';
import { terminalText } from './text';

/**
 * One line a cell: `✓ id (line 12): 3 rows · 0.41 s`, `⚠ … findings`, `✗ … error`. For a
 * terminal: an error can quote a log value, so hidden characters are escaped.
 */
export function statusLine(run: CellRun): string {
  return terminalText(statusText(run));
}

function statusText(run: CellRun): string {
  const where = `${run.cell.id} (line ${run.cell.fenceLine + 1})`;
  const time = `${(run.elapsedMs / 1000).toFixed(2)} s`;
  const rows = `${plural(run.rows.length, 'row')}${run.truncated ? ' (limit reached: more rows exist)' : ''}`;
  switch (run.status) {
    case 'ok':
      return `✓ ${where}: ${rows} · ${time}`;
    case 'finding':
      return run.cell.expect === 'rows'
        ? `⚠ ${where}: expected rows, found none · ${time}`
        : `⚠ ${where}: ${plural(run.rows.length, 'finding')}${run.truncated ? ' (limit reached)' : ''} · ${time}`;
    case 'error':
    case 'skipped':
      return `✗ ${where}: ${run.error!.message}`;
  }
}
