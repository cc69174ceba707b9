import type { CellRun } from '../app/runbookRunner';
import { formatElapsed } from '../protocol/elapsed';
import { outcomeWords } from '../protocol/runWording';
import { terminalText } from './text';

/**
 * One line a cell: `✓ id (line 12): 3 rows · 410 ms`, `⚠ … 2 findings`, `✗ … error`, in
 * the words the editor and the results view use (src/protocol/runWording.ts). For a
 * terminal: an error can quote a log value, so hidden characters are escaped.
 */
export function statusLine(run: CellRun): string {
  const { icon, text, timed } = outcomeWords({
    status: run.status,
    rowCount: run.rows.length,
    truncated: run.truncated,
    ...(run.cell.expect !== undefined ? { expect: run.cell.expect } : {}),
    ...(run.error !== undefined ? { error: run.error.message } : {}),
    ...(run.partial !== undefined ? { partial: run.partial } : {}),
  });
  const where = `${run.cell.id} (line ${run.cell.fenceLine + 1})`;
  return terminalText(`${icon} ${where}: ${text}${timed ? ` · ${formatElapsed(run.elapsedMs)}` : ''}`);
}
