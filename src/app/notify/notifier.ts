// Turns alerts into each receiver's messages and sends them. Slack gets one message per group
// (a cell's alerts of one kind), PagerDuty and webhooks one per finding, since each finding
// is its own incident there. Secrets are read only here, when a message is sent; a dry run
// prints the payloads without ever reading one.
import type { AlertNotice } from './alertNotice';
import { post, type DeliveryResult, type RetryPolicy } from './delivery';
import { usableUrl, type NotifierConfig } from './notifyConfig';
import { pagerDutyEvent } from './pagerDuty';
import { describeSecret, readSecret, SecretError, type Secrets } from './secretRef';
import { slackMessage } from './slack';
import { webhookBody, webhookHeaders, webhookKey, webhookMessageId, WebhookSecretError } from './standardWebhook';

export interface NotifierMessage {
  /** Never empty: a message is about at least one finding. */
  readonly notices: readonly [AlertNotice, ...AlertNotice[]];
  /** The JSON sent, less any secret (PagerDuty's routing key is added when sent). */
  readonly payload: Record<string, unknown>;
}

export function messagesFor(config: NotifierConfig, notices: readonly AlertNotice[], now: Date): NotifierMessage[] {
  if (config.type !== 'slack') {
    return notices.map((notice) => ({
      notices: [notice],
      payload: config.type === 'pagerduty' ? pagerDutyEvent(notice) : webhookBody(notice, now),
    }));
  }
  const groups = new Map<string, [AlertNotice, ...AlertNotice[]]>();
  for (const notice of notices) {
    const key = `${notice.runbook}\0${notice.cell}\0${notice.action}`;
    const group = groups.get(key);
    if (group) group.push(notice);
    else groups.set(key, [notice]);
  }
  return [...groups.values()].map((group) => ({ notices: group, payload: slackMessage(group) }));
}

export async function sendMessage(
  config: NotifierConfig,
  message: NotifierMessage,
  secrets: Secrets,
  retry: RetryPolicy,
  now: Date,
  signal?: AbortSignal,
): Promise<DeliveryResult> {
  try {
    const urlOf = async (url: string | NotifierConfig['url']): Promise<string> => {
      if (typeof url === 'string') return url;
      const secret = secrets.add(await readSecret(url));
      // The one rule for every URL a secret is sent to, said without showing the URL.
      if (!usableUrl(secret))
        throw new SecretError(`the URL in ${describeSecret(url)} must be https:// (plain http only to 127.0.0.1 or localhost)`);
      // A receiver may echo only part of a secret URL (Slack's token is its path): those parts are secrets too.
      try {
        const { pathname, search } = new URL(secret);
        secrets.add(`${pathname}${search}`);
        for (const part of pathname.split('/')) if (part.length >= 8) secrets.add(part);
      } catch {
        // not a URL: post() refuses it below
      }
      return secret;
    };
    switch (config.type) {
      case 'slack': {
        const body = JSON.stringify(message.payload);
        return await post({ url: await urlOf(config.url), headers: { 'content-type': 'application/json' }, body }, retry, secrets, signal);
      }
      case 'pagerduty': {
        const routingKey = secrets.add(await readSecret(config.routingKey));
        const body = JSON.stringify({ routing_key: routingKey, ...message.payload });
        return await post({ url: config.url, headers: { 'content-type': 'application/json' }, body }, retry, secrets, signal);
      }
      case 'webhook': {
        const key = webhookKey(secrets.add(await readSecret(config.secret)));
        const body = JSON.stringify(message.payload);
        const headers = webhookHeaders(key, webhookMessageId(message.notices[0]), now, body);
        return await post({ url: await urlOf(config.url), headers, body }, retry, secrets, signal);
      }
    }
  } catch (error) {
    if (error instanceof SecretError || error instanceof WebhookSecretError) return { ok: false, reason: error.message, attempts: 0 };
    throw error;
  }
}
