// LookupEvents allows 2 requests a second per account and region, and every query running
// at the same time in the process shares that allowance. The pacer hands out permission
// to start a request, per key (`account/region`), first come first served, so that no
// more than the rate start inside any one-second window: a sliding window of start times,
// the same rule the service (and the local endpoint) enforces. After a ThrottlingException
// (someone else using the same account, another tool) the key's rate is halved for a
// while and then recovers step by step.
import { Cancelled } from '../../protocol/cancelled';

export interface RequestPacerOptions {
  /** Added to the one-second window so that network jitter between the pacer and the
   *  service cannot squeeze three requests into the service's second. Default 40 ms. */
  readonly marginMs?: number;
  /** How long a slowed-down key keeps its reduced rate before doubling back. Default 10 s. */
  readonly recoverAfterMs?: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal?: AbortSignal | undefined;
  readonly onAbort?: () => void;
}

interface KeyState {
  /** Start times granted, oldest first, pruned to the current window. */
  starts: number[];
  readonly queue: Waiter[];
  /** Current rate (requests a second); below the base rate after throttling. */
  rate: number;
  /** When the rate next steps back up. */
  recoverAt: number;
  /** The last slow-down, so a burst of throttles from concurrent callers halves once. */
  slowedAt: number;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

const WINDOW_MS = 1000;

/** The one Cancelled, keeping why the signal aborted (its reason) as the cause. */
export function abortError(signal?: AbortSignal): Error {
  return new Cancelled(signal?.reason !== undefined ? { cause: signal.reason } : undefined);
}

export class RequestPacer {
  private readonly keys = new Map<string, KeyState>();
  private readonly marginMs: number;
  private readonly recoverAfterMs: number;
  /** The lowest rate a key is slowed down to. */
  private readonly floor: number;

  constructor(
    readonly ratePerSecond = 2,
    options: RequestPacerOptions = {},
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, not ${ratePerSecond}`);
    this.marginMs = options.marginMs ?? 40;
    this.recoverAfterMs = options.recoverAfterMs ?? 10_000;
    this.floor = Math.min(ratePerSecond, 0.25);
  }

  /** Resolves when a request for `key` may start; rejects with Cancelled if `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const state = this.stateOf(key);
    return new Promise<void>((resolve, reject) => {
      let waiter: Waiter;
      const onAbort = (): void => {
        const index = state.queue.indexOf(waiter);
        if (index >= 0) state.queue.splice(index, 1);
        reject(abortError(signal));
        // The head may have changed: let the next caller be served on time.
        this.pump(key, state);
      };
      waiter = { resolve, reject, signal, onAbort };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.queue.push(waiter);
      this.pump(key, state);
    });
  }

  /** After a ThrottlingException: halve the key's rate for a while, then recover. */
  slowDown(key: string): void {
    const state = this.stateOf(key);
    const now = Date.now();
    // Concurrent callers throttled by the same burst report it together: halve once.
    if (now - state.slowedAt >= WINDOW_MS) {
      state.rate = Math.max(this.floor, state.rate / 2);
      state.slowedAt = now;
    }
    state.recoverAt = now + this.recoverAfterMs;
  }

  /** The key's current rate, requests a second (for status and tests). */
  currentRate(key: string): number {
    const state = this.keys.get(key);
    if (!state) return this.ratePerSecond;
    this.recover(state, Date.now());
    return state.rate;
  }

  private stateOf(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { starts: [], queue: [], rate: this.ratePerSecond, recoverAt: 0, slowedAt: -Infinity };
      this.keys.set(key, state);
    }
    return state;
  }

  private recover(state: KeyState, now: number): void {
    while (state.rate < this.ratePerSecond && now >= state.recoverAt) {
      state.rate = Math.min(this.ratePerSecond, state.rate * 2);
      state.recoverAt += this.recoverAfterMs;
    }
  }

  /** Grants as many queued callers as the window allows, in order; sets a timer for the rest. */
  private pump(key: string, state: KeyState): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    for (;;) {
      const now = Date.now();
      this.recover(state, now);
      // A rate of r a second allows `count` starts in `window` ms: 2/s → 2 in 1 s, 0.5/s → 1 in 2 s.
      const count = Math.max(1, Math.floor(state.rate));
      const window = (WINDOW_MS * count) / state.rate + this.marginMs;
      const expired = (start: number | undefined): boolean => start !== undefined && now - start >= window;
      while (expired(state.starts[0])) state.starts.shift();
      if (state.queue.length === 0) {
        if (state.starts.length === 0 && state.rate === this.ratePerSecond) this.keys.delete(key);
        return;
      }
      if (state.starts.length < count) {
        const waiter = state.queue.shift()!;
        state.starts.push(now);
        if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
        continue;
      }
      // The oldest start of the last `count` leaves the window at this time.
      // starts holds at least `count` here (fewer started above).
      const wait = (state.starts.at(-count) ?? now) + window - now;
      state.timer = setTimeout(
        () => {
          state.timer = undefined;
          this.pump(key, state);
        },
        Math.max(1, Math.ceil(wait)),
      );
      return;
    }
  }
}

/** The pacer every LookupEvents query of the process shares. */
export const sharedPacer = new RequestPacer(2);
