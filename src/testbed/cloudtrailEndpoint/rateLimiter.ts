// LookupEvents allows 2 requests a second per account and region. A token bucket of 2/s
// with a burst of 2 still lets 3 requests through inside one second (2 at once, a third
// when a token comes back half a second later), so the limit is enforced as AWS states it:
// a request is served only if fewer than `limit` were served in the last second. The log of
// served times doubles as the evidence tests check.

export interface RequestLog {
  /** When each served request arrived, epoch milliseconds, oldest first. */
  readonly served: number[];
  /** Requests refused with ThrottlingException. */
  throttled: number;
}

const WINDOW_MS = 1000;

export class RateLimiter {
  private readonly logs = new Map<string, RequestLog>();

  constructor(private readonly limit: number) {}

  /** Records the request; false when it is over the limit and must be throttled. */
  admit(account: string, region: string, now: number = Date.now()): boolean {
    const log = this.logFor(account, region);
    let recent = 0;
    for (let i = log.served.length - 1; i >= 0 && now - log.served[i]! < WINDOW_MS; i -= 1) recent += 1;
    if (recent >= this.limit) {
      log.throttled += 1;
      return false;
    }
    log.served.push(now);
    return true;
  }

  logFor(account: string, region: string): RequestLog {
    const key = `${account}/${region}`;
    let log = this.logs.get(key);
    if (!log) {
      log = { served: [], throttled: 0 };
      this.logs.set(key, log);
    }
    return log;
  }
}

/** The most requests served inside any one-second window of a log. */
export function busiestSecond(served: readonly number[]): number {
  let most = 0;
  for (let start = 0, end = 0; end < served.length; end += 1) {
    while (served[end]! - served[start]! >= WINDOW_MS) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
