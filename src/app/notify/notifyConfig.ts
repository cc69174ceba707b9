// trailbook.notify.yaml: where alerts go. The file lives in the repository beside the
// runbooks, so it names secrets (an environment variable or a file) and never holds one; a
// Slack webhook URL is a secret too (whoever has it can post), so it is named the same way.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { isLoopbackHostname } from '../../sources/aws/endpointOverride';
import { DEFAULT_RETRY, type RetryPolicy } from './delivery';
import { PAGERDUTY_EVENTS_URL } from './pagerDuty';
import type { SecretRef } from './secretRef';

export const NOTIFY_CONFIG_FILE = 'trailbook.notify.yaml';

export type NotifierConfig =
  | { readonly name: string; readonly type: 'slack'; readonly url: SecretRef }
  | { readonly name: string; readonly type: 'pagerduty'; readonly routingKey: SecretRef; readonly url: string }
  | { readonly name: string; readonly type: 'webhook'; readonly url: string | SecretRef; readonly secret: SecretRef };

export interface NotifyConfig {
  readonly path: string;
  /** e.g. https://github.com/acme/runbooks/blob/main: runbook links are <link>/<path>#L<line>. */
  readonly link?: string;
  readonly retry: RetryPolicy;
  readonly notifiers: ReadonlyMap<string, NotifierConfig>;
}

export class NotifyConfigError extends Error {
  override readonly name = 'NotifyConfigError';
}

type Fields = Record<string, unknown>;

function isMap(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** https anywhere, plain http only to this machine (a test receiver, a local relay). */
export function usableUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname));
}

const DURATION = /^(\d+)(ms|s|m)$/;

function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000);
}

export function parseNotifyConfig(text: string, path: string): NotifyConfig {
  const fail = (where: string, message: string): never => {
    throw new NotifyConfigError(`${path}: ${where}: ${message}`);
  };
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new NotifyConfigError(`${path}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (!isMap(document)) return fail('the file', 'write a map with notifiers: (see docs/notifications.md)');
  for (const key of Object.keys(document))
    if (!['notifiers', 'link', 'retry'].includes(key)) fail(key, 'unknown field; the fields are notifiers, link and retry');

  const secretRef = (value: unknown, where: string, what: string): SecretRef => {
    if (typeof value === 'string')
      fail(where, `${what} is a secret: name it with {env: VARIABLE} or {file: PATH}, never write it in this file`);
    if (!isMap(value) || Object.keys(value).length !== 1) return fail(where, 'write {env: VARIABLE} or {file: PATH}');
    if (typeof value.env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.env)) return { env: value.env };
    if (typeof value.file === 'string' && value.file !== '') return { file: value.file };
    return fail(where, 'write {env: VARIABLE} (a variable name) or {file: PATH}');
  };
  const plainUrl = (value: unknown, where: string): string => {
    if (typeof value !== 'string' || !usableUrl(value))
      return fail(where, 'give an https:// URL (plain http only to 127.0.0.1 or localhost)');
    return value;
  };

  let link: string | undefined;
  if (document.link !== undefined) {
    link = plainUrl(document.link, 'link').replace(/\/+$/, '');
    // Slack's link syntax is <url|text>: a base holding | < > or a space would break out of it.
    if (/[|<>\s]/.test(link)) fail('link', 'the URL may not hold |, <, > or spaces (percent-encode them)');
  }

  let retry = DEFAULT_RETRY;
  if (document.retry !== undefined) {
    if (!isMap(document.retry)) fail('retry', 'write {attempts: 5, backoff: 1s}');
    const r = document.retry as Fields;
    for (const key of Object.keys(r))
      if (!['attempts', 'backoff', 'maxDelay'].includes(key))
        fail(`retry.${key}`, 'unknown field; the fields are attempts, backoff and maxDelay');
    const attempts = r.attempts ?? DEFAULT_RETRY.attempts;
    if (!Number.isInteger(attempts) || (attempts as number) < 1 || (attempts as number) > 20)
      fail('retry.attempts', 'give a whole number from 1 to 20');
    const backoff = r.backoff === undefined ? DEFAULT_RETRY.backoffMs : durationMs(String(r.backoff));
    if (backoff === undefined) fail('retry.backoff', `${String(r.backoff)} is not a duration such as 500ms, 1s or 2m`);
    const maxDelay = r.maxDelay === undefined ? DEFAULT_RETRY.maxDelayMs : durationMs(String(r.maxDelay));
    if (maxDelay === undefined) fail('retry.maxDelay', `${String(r.maxDelay)} is not a duration such as 30s or 2m`);
    retry = { attempts: attempts as number, backoffMs: backoff!, maxDelayMs: maxDelay! };
  }

  if (!isMap(document.notifiers))
    return fail(
      'notifiers',
      'write a map of names to notifiers, e.g. notifiers: {security-slack: {type: slack, url: {env: SLACK_WEBHOOK_URL}}}',
    );
  const notifiers = new Map<string, NotifierConfig>();
  for (const [name, value] of Object.entries(document.notifiers)) {
    const where = `notifiers.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) fail(where, 'a notifier name starts with a letter and holds letters, digits, - and _');
    if (!isMap(value)) return fail(where, 'write a map with type: slack, pagerduty or webhook');
    const allowed: Record<string, readonly string[]> = {
      slack: ['type', 'url'],
      pagerduty: ['type', 'routingKey', 'url'],
      webhook: ['type', 'url', 'secret'],
    };
    const type = value.type;
    // Own keys only: `type: toString` must be an unknown type, not Object.prototype's method.
    const fields = typeof type === 'string' && Object.hasOwn(allowed, type) ? allowed[type] : undefined;
    if (typeof type !== 'string' || fields === undefined) return fail(`${where}.type`, 'use slack, pagerduty or webhook');
    for (const key of Object.keys(value))
      if (!fields.includes(key)) fail(`${where}.${key}`, `unknown field for ${type}; its fields are ${fields.join(', ')}`);
    if (type === 'slack') {
      notifiers.set(name, { name, type, url: secretRef(value.url, `${where}.url`, 'a Slack webhook URL') });
    } else if (type === 'pagerduty') {
      notifiers.set(name, {
        name,
        type,
        routingKey: secretRef(value.routingKey, `${where}.routingKey`, 'a PagerDuty routing key'),
        url: value.url === undefined ? PAGERDUTY_EVENTS_URL : plainUrl(value.url, `${where}.url`),
      });
    } else {
      notifiers.set(name, {
        name,
        type: 'webhook',
        url: typeof value.url === 'string' ? plainUrl(value.url, `${where}.url`) : secretRef(value.url, `${where}.url`, 'the webhook URL'),
        secret: secretRef(value.secret, `${where}.secret`, 'the signing secret'),
      });
    }
  }
  return { path, ...(link ? { link } : {}), retry, notifiers };
}

export async function readNotifyConfig(path: string): Promise<NotifyConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new NotifyConfigError(
      error.code === 'ENOENT'
        ? `${path} does not exist: --notify names notifiers of that file (see docs/notifications.md)`
        : `cannot read ${path}: ${error.message}`,
    );
  });
  return parseNotifyConfig(text, path);
}
