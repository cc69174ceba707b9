/** A mistake in how trailbook was called: exit status 2, with a message saying how to fix it. */
export class UsageError extends Error {}

export interface CommandResult {
  readonly exitCode: 0 | 1 | 2 | 3;
  /** Printed on standard error. */
  readonly message?: string;
}
