// What `trailbook check` remembers between runs, in one JSON file: per runbook, the end of
// the last window that ran without error (the mark), and every alert raised, with what each
// notifier has been sent. Written whole through a rename, so a run killed at any point
// leaves the previous state or the next one, never half of one. The file holds findings'
// rows (log data, as evidence does) and never a secret: secrets live only in the notifiers.
import { readFile } from 'node:fs/promises';
import type { CellValue } from '../../engine/query';
import type { FindingSeverity } from '../../runbook/types';
import { writeFileAtomic } from '../writeAtomic';
import type { AlertAction } from '../notify/alertNotice';

export interface StoredAlert {
  readonly id: string;
  readonly cell: string;
  readonly key: string;
  readonly title: string;
  readonly heading?: string;
  readonly line: number;
  readonly severity: FindingSeverity;
  status: 'open' | 'resolved';
  readonly firstSeen: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly columns: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
  readonly rowCount: number;
  resolvedAt?: string;
  /** Found again after it was resolved (a dedup= key such as an actor, acting again): when, and how often. */
  readonly reopenedAt?: string;
  readonly reopened?: number;
  /** The notifiers named when it was raised: it goes to these, and only these. */
  readonly notifiers: readonly string[];
  /** The last action each notifier confirmed. */
  readonly sent: Record<string, AlertAction>;
}

export interface RunbookState {
  /** End of the last window checked without error (ISO-8601). */
  mark?: string;
  alerts: StoredAlert[];
}

export interface CheckState {
  readonly version: 1;
  readonly runbooks: Record<string, RunbookState>;
}

export class CheckStateError extends Error {
  override readonly name = 'CheckStateError';
}

export function emptyState(): CheckState {
  return { version: 1, runbooks: {} };
}

export async function readCheckState(path: string): Promise<CheckState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new CheckStateError(`cannot read the state file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CheckStateError(
      `the state file ${path} is not JSON (${(error as Error).message}); move it aside to start again from --start or the runbooks' windows`,
      { cause: error },
    );
  }
  const state = parsed as Partial<CheckState>;
  if (state.version !== 1 || typeof state.runbooks !== 'object' || state.runbooks === null) {
    throw new CheckStateError(`the state file ${path} is not a trailbook check state (version 1); move it aside to start again`);
  }
  // A Map-like object from a file: keys such as __proto__ must stay data.
  const runbooks: Record<string, RunbookState> = Object.create(null);
  for (const [name, value] of Object.entries(state.runbooks)) {
    if (!Array.isArray(value?.alerts)) throw new CheckStateError(`the state file ${path}: runbook ${name} has no alerts list`);
    runbooks[name] = value;
  }
  return { version: 1, runbooks };
}

export function runbookState(state: CheckState, runbook: string): RunbookState {
  const found = Object.hasOwn(state.runbooks, runbook) ? state.runbooks[runbook] : undefined;
  if (found) return found;
  const fresh: RunbookState = { alerts: [] };
  (state.runbooks as Record<string, RunbookState>)[runbook] = fresh;
  return fresh;
}

export async function writeCheckState(path: string, state: CheckState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}
