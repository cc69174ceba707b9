// The one-line summary of a cell run, shown after the block in the editor and at the top
// of the results view: `✓ 12 rows · 1.4 s · 14:02 UTC`, `⚠ 3 findings · …`.
import type { RunStatus } from '../protocol/results';

export interface SummaryInput {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly rowCount: number;
  readonly truncated: boolean;
  readonly elapsedMs: number;
  readonly expect?: 'empty' | 'rows';
  readonly finishedAt: Date;
  readonly error?: string;
}

const count = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `14:02 UTC`: on-call notes and CloudTrail both speak UTC. */
export function clockUtc(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

export function runSummary(run: SummaryInput): string {
  const tail = `${formatElapsed(run.elapsedMs)} · ${clockUtc(run.finishedAt)}`;
  const more = run.truncated ? '+ (limit reached)' : '';
  switch (run.status) {
    case 'ok':
      return `✓ ${count(run.rowCount, 'row')}${more} · ${tail}`;
    case 'finding':
      return run.expect === 'rows'
        ? `⚠ expected rows, found none · ${tail}`
        : `⚠ ${count(run.rowCount, 'finding')}${more} · ${tail}`;
    case 'cancelled':
      return `■ cancelled · ${tail}`;
    case 'skipped':
      return `↷ skipped: ${firstLine(run.error)}`;
    case 'error':
      return `✗ ${firstLine(run.error)}`;
  }
}

function firstLine(text: string | undefined): string {
  const line = (text ?? 'failed').split('\n')[0]!;
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
