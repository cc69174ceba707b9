// What test/engines/run.ts hands the test files: the running Trino, the logs both engines
// read, where each check reports. The files cannot run on their own: a missing value is an
// error that says how to run them, never a skip.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrinoClient } from '../../../src/sources/trino/client';
import { CATALOG, SCHEMA } from './trinoTable';

export interface EnginesEnv {
  readonly trinoUrl: string;
  readonly logs: string;
  readonly reportDir: string;
  readonly workDir: string;
}

export function enginesEnv(): EnginesEnv {
  const trinoUrl = process.env.TRAILBOOK_TRINO_URL;
  const logs = process.env.TRAILBOOK_ENGINES_LOGS;
  const reportDir = process.env.TRAILBOOK_ENGINES_REPORT;
  const workDir = process.env.TRAILBOOK_ENGINES_WORK;
  if (!trinoUrl || !logs || !reportDir || !workDir) {
    throw new Error(
      'test/engines needs a running Trino with the test events loaded: run it with `npm run test:engines` (test/engines/run.ts), not directly',
    );
  }
  return { trinoUrl, logs, reportDir, workDir };
}

export function trinoClient(env: EnginesEnv): TrinoClient {
  return new TrinoClient({ server: env.trinoUrl, user: 'trailbook-conformance', catalog: CATALOG, schema: SCHEMA });
}

export interface CheckReport {
  readonly suite: 'runbooks' | 'functions' | 'client' | 'source' | 'athena-endpoint';
  readonly name: string;
  readonly ok: boolean;
  /** What differs, or why the check could not run. */
  readonly detail?: string;
  /** Rows DuckDB returned (runbook cells): a suite where every cell is empty proves little. */
  readonly rows?: number;
}

/** One line per check, read back by run.ts for the summary. */
export function report(env: EnginesEnv, entry: CheckReport): void {
  appendFileSync(join(env.reportDir, `${entry.suite}.jsonl`), `${JSON.stringify(entry)}\n`);
}
