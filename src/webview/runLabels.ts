// The words the view uses for a run: status, row count, elapsed time. Pure: no DOM.
// They match the editor's one-line summary (src/extension/runSummary.ts).
import type { RunStatus } from '../protocol/results';

export function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

/** A running run's time, in whole seconds: it ticks once a second, not every frame. */
export function runningElapsed(startedAt: number, now: number): string {
  const seconds = Math.floor(Math.max(0, now - startedAt) / 1000);
  return seconds < 60 ? `${seconds} s` : formatElapsed(seconds * 1000);
}

export const STATUS_ICON: Readonly<Record<RunStatus, string>> = {
  running: '◌',
  ok: '✓',
  finding: '⚠',
  error: '✗',
  skipped: '↷',
  cancelled: '■',
};

/** `✓ No findings`, `⚠ Findings`: a detection (`expect=empty`) reads differently from a plain query. */
export function statusText(status: RunStatus, expect: 'empty' | 'rows' | undefined): string {
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
    case 'cancelled':
      return `${icon} Cancelled`;
  }
}

/** `12 rows`, `10,000 rows · limit reached`. */
export function rowCountText(received: number, truncated: boolean): string {
  return truncated ? `${count(received, 'row')} · limit reached` : count(received, 'row');
}
