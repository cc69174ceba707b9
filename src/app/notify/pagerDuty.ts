// PagerDuty Events API v2: a trigger per finding, with the finding's stable id as dedup_key
// (PagerDuty folds a repeated trigger into the open incident, so a run that is retried after
// a crash does not page twice), and a resolve with the same key once the response is verified.
import { rowObject } from '../output';
import type { AlertNotice } from './alertNotice';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export function pagerDutyDedupKey(notice: AlertNotice): string {
  return `trailbook-${notice.alertId}`;
}

/** The event without its routing key (that is added when sent, and never printed). */
export function pagerDutyEvent(notice: AlertNotice): Record<string, unknown> {
  if (notice.action === 'resolve') return { event_action: 'resolve', dedup_key: pagerDutyDedupKey(notice) };
  const summary = `${notice.title}: ${notice.cell} found ${notice.key}`;
  return {
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(notice),
    client: 'Trailbook',
    ...(notice.link ? { links: [{ href: notice.link, text: `${notice.runbook}:${notice.line}` }] } : {}),
    payload: {
      // PagerDuty cuts a summary at 1024 characters.
      summary: summary.length > 1024 ? `${summary.slice(0, 1023)}…` : summary,
      source: 'trailbook',
      severity: notice.severity,
      component: notice.runbook,
      group: notice.cell,
      class: 'cloudtrail-finding',
      custom_details: {
        runbook: notice.runbook,
        cell: notice.cell,
        line: notice.line,
        key: notice.key,
        window: notice.window,
        rowCount: notice.rowCount,
        rows: notice.rows.map((row) => rowObject(notice.columns, row)),
      },
    },
  };
}
