// Runs a runbook's test cases (runbookTests.ts), each alone: its log file copied into a
// temporary folder, read as local logs into one temporary store, the window spanning its
// events (first eventTime − 1 h to last + 1 h), through the runner every face uses. A fires
// case passes when its cell returns rows (and every eventID its expect file names); a quiet
// case when the cell returns none.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../engine/eventStore';
import { LocalLogsSource } from '../sources/local/localLogs';
import type { Runbook } from '../runbook/types';
import { runRunbook, type CellRun } from './runbookRunner';
import { readCaseLog, readExpectedIds, TestCaseError, type TestCase } from './runbookTests';
import { cellText, toTable } from './output';

const HOUR = 3_600_000;
/** Rows a failure shows: enough to see what the cell caught, not a screenful. */
const SHOWN_ROWS = 3;

export type CaseOutcome =
  | { readonly case: TestCase; readonly outcome: 'passed'; readonly rows: number }
  | { readonly case: TestCase; readonly outcome: 'failed'; readonly message: string }
  /** The case could not be judged: a bad file, the cell erred or is not configured. */
  | { readonly case: TestCase; readonly outcome: 'error'; readonly message: string };

export interface CaseRunOptions {
  readonly store: EventStore;
  readonly params: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** Runs one case; never throws for a bad case (that is its outcome), only when cancelled. */
export async function runTestCase(runbook: Runbook, testCase: TestCase, options: CaseRunOptions): Promise<CaseOutcome> {
  const cannot = (message: string): CaseOutcome => ({ case: testCase, outcome: 'error', message });
  const cell = runbook.cells.find((c) => c.id === testCase.cellId);
  if (!cell) {
    return cannot(`${runbook.path} has no cell "${testCase.cellId}" (its cells: ${runbook.cells.map((c) => c.id).join(', ') || 'none'})`);
  }
  let log;
  let expected: string[] = [];
  try {
    log = await readCaseLog(testCase.file);
    if (testCase.expectFile) expected = await readExpectedIds(testCase.expectFile);
  } catch (error) {
    if (error instanceof TestCaseError) return cannot(error.message);
    throw error;
  }
  const start = new Date(log.firstEventTime.getTime() - HOUR);
  const end = new Date(log.lastEventTime.getTime() + HOUR);
  const folder = await mkdtemp(join(tmpdir(), 'trailbook-case-'));
  try {
    await copyFile(testCase.file, join(folder, 'case.json'));
    const runs = await runRunbook(runbook, {
      store: options.store,
      // Cells that name another source (source=lookup) run on the case's logs too: a test
      // never reaches an account.
      source: new LocalLogsSource(options.store, folder),
      params: options.params,
      cellIds: [testCase.cellId],
      window: `${start.toISOString()}/${end.toISOString()}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const run = runs.find((r) => r.cell.id === testCase.cellId);
    if (!run) return cannot(`cell ${testCase.cellId} did not run`);
    const refused = runs.flatMap((r) => r.problems);
    const [example] = refused;
    if (example !== undefined) {
      // A refused record would leave a quiet case passing for the wrong reason.
      return cannot(`${testCase.file}: ${refused.length} problem(s) reading it, e.g. ${example.message}`);
    }
    const blocked = runs.find((r) => r.status === 'error' || r.status === 'skipped' || r.status === 'unconfigured');
    if (blocked) {
      const hint = blocked.status === 'unconfigured' ? " (give it in the runbook's .tests/params.yaml)" : '';
      return cannot(`cell ${blocked.cell.id}: ${blocked.error?.message ?? blocked.status}${hint}`);
    }
    return judge(testCase, run, expected);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function judge(testCase: TestCase, run: CellRun, expected: readonly string[]): CaseOutcome {
  const failed = (message: string): CaseOutcome => ({ case: testCase, outcome: 'failed', message });
  if (testCase.kind === 'quiet') {
    return run.rows.length === 0
      ? { case: testCase, outcome: 'passed', rows: 0 }
      : failed(`expected no rows, the cell returned ${rowsShown(run)}`);
  }
  if (run.rows.length === 0) return failed('expected rows, the cell returned nothing');
  const idColumn = run.columns.findIndex((c) => c.toLowerCase() === 'eventid');
  if (expected.length > 0 && idColumn >= 0) {
    const found = new Set(run.rows.map((row) => cellText(row[idColumn] ?? null)));
    const missing = expected.filter((id) => !found.has(id));
    if (missing.length > 0) return failed(`the eventID column lacks ${missing.join(', ')}; the cell returned ${rowsShown(run)}`);
  }
  return { case: testCase, outcome: 'passed', rows: run.rows.length };
}

/** `2 rows:` and the first rows as a table. */
function rowsShown(run: CellRun): string {
  const count = `${run.rows.length} row${run.rows.length === 1 ? '' : 's'}`;
  const table = toTable(run.columns, run.rows.slice(0, SHOWN_ROWS));
  const more = run.rows.length > SHOWN_ROWS ? `\n… and ${run.rows.length - SHOWN_ROWS} more` : '';
  return `${count}:\n${table}${more}`;
}
