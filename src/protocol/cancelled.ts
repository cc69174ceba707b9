// One way to say a run, a scan, a lookup or a query was cancelled: the person asked for it,
// so it is no failure to explain, only a fact to state, in the same words everywhere. In
// src/protocol so every layer can share it, the runbook's action prompts included.

export const CANCELLED_MESSAGE = 'cancelled: nothing more was fetched or read, and nothing partial was kept';

export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor(options?: ErrorOptions) {
    super(CANCELLED_MESSAGE, options);
  }
}

/**
 * True for Cancelled and for the platform's AbortError (fetch, the AWS SDK, AbortSignal's
 * own reason). By name, not `instanceof`: the editor's two bundles each have the class.
 */
export function isCancelled(error: unknown): boolean {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return name === 'Cancelled' || name === 'AbortError';
}
