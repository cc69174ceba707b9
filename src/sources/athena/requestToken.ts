// StartQueryExecution's ClientRequestToken: the same request with the same token within a
// few hours returns the QueryExecutionId of the first, so a run retried after a network
// failure (or the CLI run again by a CI job's retry) never starts, and pays for, a second
// scan. The token is derived from what makes the query what it is: the runbook, the cell,
// the SQL as run and the window. Two different queries never share a token; the same
// query asked again on purpose (a new run later) has another window end, so another token.
import { createHash } from 'node:crypto';
import type { TimeWindow } from '../../engine/timeWindow';

export interface QueryIdentity {
  /** The runbook's path as the face names it. */
  readonly runbook: string;
  readonly cell: string;
  /** The SQL as run (window included). */
  readonly sql: string;
  readonly window: TimeWindow;
}

/** 64 hex characters: within Athena's 32–128, and nothing of the SQL can be read back from it. */
export function clientRequestToken(query: QueryIdentity): string {
  const hash = createHash('sha256');
  // Length-prefixed parts: no two different identities can run together into the same text.
  for (const part of [
    'trailbook-athena-1',
    query.runbook,
    query.cell,
    query.sql,
    query.window.start.toISOString(),
    query.window.end.toISOString(),
  ]) {
    hash.update(`${Buffer.byteLength(part)}:`).update(part);
  }
  return hash.digest('hex');
}
