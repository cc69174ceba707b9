// The whole stored events the view asked the host for, by run and eventID: the detail
// pane shows one, and the pivots and copy buttons read it, so they do not depend on the
// columns the cell happened to select. Bounded: the last MAX_KEPT answers.
import type { HostMessage, ResultValue } from '../protocol/results';
import type { PostToHost } from './hostApi';

export type WholeEventAnswer = Extract<HostMessage, { type: 'wholeEvent' }>;
export type WholeEvent = { readonly [column: string]: ResultValue };

/** What is known of one event: being looked up, found, or why not. */
export type WholeEventState =
  { readonly kind: 'asked' } | { readonly kind: 'found'; readonly event: WholeEvent } | { readonly kind: 'failed'; readonly error: string };

const MAX_KEPT = 200;

export class WholeEvents {
  private readonly known = new Map<string, WholeEventState>();
  private readonly listeners = new Set<(runId: string, eventId: string) => void>();

  constructor(private readonly post: PostToHost) {}

  /** The event's state, asking the host the first time (and again after a failure when `retry`). */
  get(runId: string, eventId: string, retry: boolean): WholeEventState {
    const key = keyOf(runId, eventId);
    let state = this.known.get(key);
    if (state === undefined || (retry && state.kind === 'failed')) {
      state = { kind: 'asked' };
      this.remember(key, state);
      this.post({ type: 'wholeEvent', runId, eventId });
    }
    return state;
  }

  /** The host's answer. */
  answer(message: WholeEventAnswer): void {
    const state: WholeEventState =
      message.event !== undefined ? { kind: 'found', event: message.event } : { kind: 'failed', error: message.error ?? 'not found' };
    this.remember(keyOf(message.runId, message.eventId), state);
    for (const listener of this.listeners) listener(message.runId, message.eventId);
  }

  onAnswer(listener: (runId: string, eventId: string) => void): void {
    this.listeners.add(listener);
  }

  private remember(key: string, state: WholeEventState): void {
    this.known.delete(key);
    this.known.set(key, state);
    for (const oldest of this.known.keys()) {
      if (this.known.size <= MAX_KEPT) break;
      this.known.delete(oldest);
    }
  }
}

const keyOf = (runId: string, eventId: string): string => `${runId}\u0000${eventId}`;
