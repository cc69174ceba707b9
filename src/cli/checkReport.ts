// What `trailbook check` prints: per runbook its window, the new findings (their rows),
// the alerts resolved and why a runbook could not run; then what each notifier was sent.
// Table for people (every hidden character escaped), json for programs, junit for CI.
import { displayJson } from '../protocol/displayText';
import type { CheckPassResult, RunbookCheck } from '../app/check/checkPass';
import type { StoredAlert } from '../app/check/checkState';
import { toJunit } from '../app/junit';
import { rowObject, toTable } from '../app/output';
import type { Annotation } from '../app/githubAnnotations';
import type { CheckFormat } from './checkArgs';
import { plural, terminalText } from './text';

function windowText(check: RunbookCheck): string {
  return check.window ? `${check.window.start.toISOString()} → ${check.window.end.toISOString()}` : 'not run';
}

function alertTable(alerts: readonly StoredAlert[]): string {
  const byCell = new Map<string, [StoredAlert, ...StoredAlert[]]>();
  for (const a of alerts) {
    const group = byCell.get(a.cell);
    if (group) group.push(a);
    else byCell.set(a.cell, [a]);
  }
  return [...byCell.values()]
    .map((group) => {
      const [first] = group;
      const rows = group.flatMap((a) => a.rows);
      const head = `⚠ ${first.cell} (line ${first.line}): ${plural(group.length, 'new finding')} · severity ${first.severity}`;
      return rows.length > 0 && first.columns.length > 0 ? `${head}\n${toTable(first.columns, rows)}` : head;
    })
    .join('\n');
}

export function renderCheck(result: CheckPassResult, format: CheckFormat, now: Date): string {
  switch (format) {
    case 'junit':
      return toJunit(
        result.runbooks.map((r) => ({ runbook: r.path, runs: r.runs, ...(r.failure !== undefined ? { failure: r.failure } : {}) })),
        now,
      );
    case 'json':
      return `${displayJson(
        JSON.stringify(
          {
            runbooks: result.runbooks.map((r) => ({
              runbook: r.path,
              ...(r.window ? { window: { start: r.window.start.toISOString(), end: r.window.end.toISOString() } } : {}),
              cells: r.runs.map((run) => ({
                id: run.cell.id,
                line: run.cell.fenceLine + 1,
                status: run.status,
                rowCount: run.rows.length,
              })),
              newFindings: r.newAlerts.map((a) => ({
                id: a.id,
                cell: a.cell,
                line: a.line,
                key: a.key,
                severity: a.severity,
                rowCount: a.rowCount,
                rows: a.rows.map((row) => rowObject(a.columns, row)),
              })),
              resolved: r.resolved.map((a) => ({ id: a.id, cell: a.cell, key: a.key })),
              ...(r.failure !== undefined ? { failure: r.failure } : {}),
              ...(r.unconfigured ? { notConfigured: r.unconfigured } : {}),
            })),
            deliveries: result.deliveries,
            exitCode: result.exitCode,
          },
          null,
          2,
        ),
      )}\n`;
    case 'table':
      return terminalText(
        result.runbooks
          .map((r) => {
            const lines = [`── ${r.path} · ${windowText(r)} ──`];
            if (r.newAlerts.length > 0) lines.push(alertTable(r.newAlerts));
            if (r.resolved.length > 0)
              lines.push(`✓ ${plural(r.resolved.length, 'alert')} resolved: ${r.resolved.map((a) => `${a.cell} ${a.key}`).join(', ')}`);
            if (r.failure !== undefined) lines.push(`✗ could not run: ${r.failure}`);
            for (const cell of r.unconfigured ?? [])
              lines.push(`○ not configured, checked nothing in this window: ${cell}; once set, check this span again with --start`);
            if (r.newAlerts.length === 0 && r.resolved.length === 0 && r.failure === undefined && r.window)
              lines.push(r.unconfigured ? '✓ nothing new in the cells that ran' : '✓ nothing new');
            return `${lines.join('\n')}\n`;
          })
          .join('\n'),
      );
  }
}

/** One line for standard error: what was found, and whether alerts went out. */
export function checkSummary(result: CheckPassResult, dryRun: boolean): string {
  const found = result.runbooks.reduce((n, r) => n + r.newAlerts.length, 0);
  const resolved = result.runbooks.reduce((n, r) => n + r.resolved.length, 0);
  const failed = result.runbooks.filter((r) => r.failure !== undefined);
  const unconfigured = result.runbooks.reduce((n, r) => n + (r.unconfigured?.length ?? 0), 0);
  const head = `${plural(result.runbooks.length, 'runbook')} checked: ${plural(found, 'new finding')}, ${plural(resolved, 'resolved alert')}${failed.length > 0 ? `, ${failed.length} could not run (${failed.map((r) => r.path).join(', ')})` : ''}${unconfigured > 0 ? `, ${plural(unconfigured, 'cell')} not configured` : ''}`;
  if (dryRun) return `${head}; dry run: payloads printed, nothing sent, state not written`;
  if (result.deliveries.length === 0) return `${head}; no notifier named (--notify), so no alerts were sent`;
  const sent = result.deliveries.filter((d) => d.sent > 0).map((d) => `${d.notifier} ${d.sent}`);
  const notSent = result.deliveries.filter((d) => d.failed.length > 0).map((d) => `${d.notifier} (${d.failed.join('; ')})`);
  const alerts = [
    sent.length > 0 ? `alerts sent: ${sent.join(', ')}` : 'no alerts were sent',
    ...(notSent.length > 0 ? [`not sent: ${notSent.join(', ')}; they are sent again on the next run`] : []),
  ];
  return `${head}; ${alerts.join('; ')}`;
}

export function checkAnnotations(result: CheckPassResult): Annotation[] {
  return result.runbooks.flatMap((r) => [
    ...r.newAlerts.map((a): Annotation => ({
      level: 'error',
      file: r.path,
      line: a.line,
      title: `trailbook check: ${a.cell}`,
      message: `${a.title}: new finding ${a.key} (severity ${a.severity})`,
    })),
    ...(r.failure !== undefined
      ? [{ level: 'error' as const, file: r.path, line: 1, title: 'trailbook check could not run', message: r.failure }]
      : []),
  ]);
}
