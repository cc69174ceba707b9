// The one-line summary of a cell run, shown after the block in the editor and at the top
// of the results view: `✓ 12 rows · 1.4 s · 14:02 UTC`, `⚠ 3 findings · …`. The words are
// the protocol's (src/protocol/runWording.ts), as the CLI and the view say them; the clock
// is the editor's own, for a summary that stays after the block.
import { formatElapsed } from '../protocol/elapsed';
import type { RunStatus } from '../protocol/results';
import { outcomeWords } from '../protocol/runWording';

export interface SummaryInput {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly rowCount: number;
  readonly truncated: boolean;
  /** The host keeps the whole result (it passed the row limit): every row is counted, not the first ones. */
  readonly keptRowCount?: number;
  readonly elapsedMs: number;
  readonly expect?: 'empty' | 'rows';
  readonly finishedAt: Date;
  readonly error?: string;
  /** Some accounts of several could not be read: said beside the count. */
  readonly partial?: string;
}

/** `14:02 UTC`: on-call notes and CloudTrail both speak UTC. */
export function clockUtc(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

export function runSummary(run: SummaryInput): string {
  const { icon, text, timed } = outcomeWords({ ...run, ...(run.error !== undefined ? { error: firstLine(run.error) } : {}) });
  return timed ? `${icon} ${text} · ${formatElapsed(run.elapsedMs)} · ${clockUtc(run.finishedAt)}` : `${icon} ${text}`;
}

/** A summary is one line beside the code: the first line of an error, cut short. */
function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
