// A generic webhook signed as Standard Webhooks (standardwebhooks.com) specifies, so any of
// its receiver libraries can verify it: `webhook-id` (the same on every retry of one
// message, for the receiver to drop duplicates), `webhook-timestamp` (seconds) and
// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the
// base64 part of a `whsec_` secret.
import { createHmac } from 'node:crypto';
import { rowObject } from '../output';
import type { AlertNotice } from './alertNotice';

export class WebhookSecretError extends Error {}

/** The key bytes of a `whsec_…` secret. */
export function webhookKey(secret: string): Buffer {
  const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : undefined;
  if (base64 === undefined || !/^[A-Za-z0-9+/]+=*$/.test(base64)) {
    throw new WebhookSecretError('the webhook secret must be whsec_ followed by base64 (as Standard Webhooks receivers generate it)');
  }
  const key = Buffer.from(base64, 'base64');
  if (key.length < 16) throw new WebhookSecretError(`the webhook secret holds ${key.length} bytes; use at least 24 random bytes`);
  return key;
}

export function webhookSignature(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function webhookMessageId(notice: AlertNotice): string {
  return `msg_${notice.alertId}_${notice.action}`;
}

export function webhookBody(notice: AlertNotice, now: Date): Record<string, unknown> {
  return {
    type: notice.action === 'trigger' ? 'trailbook.finding.triggered' : 'trailbook.finding.resolved',
    timestamp: now.toISOString(),
    data: {
      id: notice.alertId,
      runbook: notice.runbook,
      title: notice.title,
      cell: notice.cell,
      ...(notice.heading ? { heading: notice.heading } : {}),
      line: notice.line,
      severity: notice.severity,
      key: notice.key,
      window: notice.window,
      ...(notice.link ? { link: notice.link } : {}),
      rowCount: notice.rowCount,
      rows: notice.rows.map((row) => rowObject(notice.columns, row)),
    },
  };
}

export function webhookHeaders(key: Buffer, id: string, now: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(key, id, timestamp, body),
  };
}
