// One HTTP POST to a receiver, retried the way Slack, PagerDuty and webhook consumers ask:
// 429 and 5xx (and a connection that failed) again after a backoff that doubles, or after
// the Retry-After the receiver gave; any other status is final. Bounded in attempts and in
// the longest wait, so a receiver that is down cannot hold a scheduled run for ever.
import type { Secrets } from './secretRef';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The wait before the second try; doubled for each one after (with jitter). */
  readonly backoffMs: number;
  /** No wait longer than this, whatever Retry-After asks. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 1000, maxDelayMs: 60_000 };

export interface HttpRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type DeliveryResult =
  | { readonly ok: true; readonly status: number; readonly attempts: number }
  | { readonly ok: false; readonly reason: string; readonly attempts: number };

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The first 200 characters of a receiver's answer, scrubbed of secrets (some echo what they were sent). */
async function answerText(response: Response, secrets: Secrets): Promise<string> {
  const text = await response.text().catch(() => '');
  const flat = secrets.scrub(text).replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

export async function post(request: HttpRequest, policy: RetryPolicy, secrets: Secrets, signal?: AbortSignal): Promise<DeliveryResult> {
  let last = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    let wait: number | undefined;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'error',
        ...(signal ? { signal } : {}),
      });
      if (response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: true, status: response.status, attempts: attempt };
      }
      const answer = await answerText(response, secrets);
      last = `HTTP ${response.status}${answer ? ` (${answer})` : ''}`;
      if (!retryable(response.status)) return { ok: false, reason: `${last}, not retried`, attempts: attempt };
      wait = retryAfterMs(response.headers.get('retry-after'));
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      // The URL can hold a secret (a Slack webhook's path): only the cause's code is shown.
      last = `connection failed (${cause?.code ?? (error as Error).name})`;
    }
    if (attempt === policy.attempts) break;
    const backoff = policy.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() * 0.5);
    await sleep(Math.min(wait ?? backoff, policy.maxDelayMs), signal);
  }
  return { ok: false, reason: `${last} after ${policy.attempts} attempts`, attempts: policy.attempts };
}
