// What `trailbook run` prints: a table for people, json, ndjson or csv for programs.
// Nothing a log or a runbook wrote reaches the terminal unescaped (see output.ts).
import { displayJson } from '../protocol/displayText';
import type { SourceProblem } from '../engine/eventSource';
import type { CellRun } from '../app/runbookRunner';
import { rowObject, toCsv, toNdjson, toTable, type OutputFormat } from '../app/output';
import { statusLine } from './statusLine';
import { toJunit } from '../app/junit';
import { terminalText } from './text';

/** Problems of the logs, once each: cells that share a scan report the same ones. */
export function logProblems(runs: readonly CellRun[]): SourceProblem[] {
  return [...new Map(runs.flatMap((r) => r.problems).map((p) => [`${p.where}\0${p.message}`, p])).values()];
}

export function renderRuns(runbookPath: string, runs: readonly CellRun[], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${displayJson(
        JSON.stringify(
          {
            runbook: runbookPath,
            cells: runs.map((run) => ({
              id: run.cell.id,
              line: run.cell.fenceLine + 1,
              status: run.status,
              ...(run.account ? { account: run.account } : {}),
              ...(run.partial ? { partial: run.partial } : {}),
              ...(run.cell.expect ? { expect: run.cell.expect } : {}),
              ...(run.window ? { window: { start: run.window.start.toISOString(), end: run.window.end.toISOString() } } : {}),
              ...(run.sql ? { sql: run.sql } : {}),
              columns: run.columns,
              rowCount: run.rows.length,
              truncated: run.truncated,
              rows: run.rows.map((row) => rowObject(run.columns, row)),
              elapsedMs: run.elapsedMs,
              notes: run.notes,
              ...(run.scan ? { scan: run.scan } : {}),
              ...(run.error ? { error: { message: run.error.message, line: run.error.line + 1 } } : {}),
            })),
            problems: logProblems(runs),
          },
          null,
          2,
        ),
      )}\n`;
    case 'ndjson':
      return toNdjson(runs);
    case 'junit':
      return toJunit([{ runbook: runbookPath, runs }]);
    case 'csv': {
      const withRows = runs.filter((r) => r.status === 'ok' || r.status === 'finding');
      const [only, ...more] = withRows;
      return only !== undefined && more.length === 0 ? toCsv(only) : '';
    }
    case 'table': {
      let previousNotes = '';
      // Headings, notes and errors quote runbook text and values too: the whole table is escaped.
      return terminalText(
        runs
          .map((run) => {
            const heading = `── ${run.cell.id}${run.cell.heading ? ` · ${run.cell.heading}` : ''} ──`;
            const body = run.columns.length > 0 && run.rows.length > 0 ? `${toTable(run.columns, run.rows)}\n` : '';
            // Notes repeat from cell to cell (same logs, same window): show them when they change.
            const notes = run.notes.map((note) => `  · ${note}\n`).join('');
            const shown = notes === previousNotes ? '' : notes;
            previousNotes = notes;
            return `${heading}\n${body}${statusLine(run)}\n${shown}`;
          })
          .join('\n'),
      );
    }
  }
}
