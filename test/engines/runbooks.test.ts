// Every cell of every bundled runbook gives the same rows on DuckDB over local logs and on
// a real Trino over the same events, with the same window. The runbook runs on DuckDB as
// the CLI runs it (params at their defaults, references filled from the referenced cells'
// results); the SQL it ran, window and all, is then rewritten for Trino and run there. One
// test per cell and window; a difference is a failure that shows the rows.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EventStore } from '../../src/engine/eventStore';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { rewriteForTrino } from '../../src/sources/trino/windowRewrite';
import { difference } from './support/compare';
import { enginesEnv, report, trinoClient } from './support/env';
import { ordering } from './support/ordering';
import { TARGET } from './support/trinoTable';
import { organisationParams } from '../../src/testbed/loggen/orgParams';

const RUNBOOKS = resolve(__dirname, '../../runbooks');

/**
 * Every event (Stratus detonations in 2024, the generated trail in March 2025), and a slice
 * that starts and ends mid-day inside the generated trail, so the window's bounds and the
 * day-partition predicates both decide which rows exist.
 */
const WINDOWS = [
  { label: 'all events', spec: '2024-01-01T00:00:00Z/2025-04-01T00:00:00Z' },
  { label: 'mid-day slice', spec: '2025-03-04T06:30:00Z/2025-03-06T18:15:00Z' },
];

/**
 * Every runbook gets the generated organisation's answers to the environment parameters
 * (ranges, buckets, hours, accounts: no runbook invents them, and without them those cells
 * say "not configured" instead of giving rows to compare), and these on top:
 * parameters for runbooks whose defaults select nothing in this data (an empty principal
 * matches no event): values that occur in it, so the cells compare real rows.
 */
const PARAMS: Record<string, Record<string, string>> = {
  // A user of the generated trail whose key is used from an address outside the known ranges.
  'principal-activity.md': { principal: 'arn:aws:iam::159847362058:user/ines.moreau' },
  // The generated organisation's VPCs and NAT ranges, and its accounts: the cells that need
  // them are "not configured" without, and with them they list the injected attacks.
  'instance-credentials-away.md': {
    known_ranges:
      '10.0.0.0/8, 3.209.0.0/16, 54.156.0.0/16, 44.195.0.0/16, 52.48.0.0/16, 34.250.0.0/16, 54.76.0.0/16, 13.54.0.0/16, 3.105.0.0/16, 54.253.0.0/16',
  },
  'data-shared-outside.md': { org_accounts: '482193657204, 730519846231, 159847362058' },
  'identity-persistence.md': { org_accounts: '482193657204, 730519846231, 159847362058' },
};

const env = enginesEnv();
const trino = trinoClient(env);
let store: EventStore;
let parser: DuckDBInstance;
let parse: DuckDBConnection;
const sources = new Map<string, LocalLogsSource>();

before(async () => {
  // One store with a cache for every runbook: the logs are read once, not once a runbook.
  store = await EventStore.open({ threads: 1, cacheDir: join(env.workDir, 'duckdb-cache') });
  parser = await DuckDBInstance.create(':memory:');
  parse = await parser.connect();
});
after(() => {
  parse.closeSync();
  parser.closeSync();
  store.close();
});

for (const file of readdirSync(RUNBOOKS)
  .filter((f) => f.endsWith('.md'))
  .sort()) {
  const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
  for (const window of WINDOWS) {
    describe(`${file} (${window.label})`, () => {
      let runs: Map<string, CellRun>;
      before(async () => {
        let source = sources.get(window.spec);
        if (!source) sources.set(window.spec, (source = new LocalLogsSource(store, env.logs)));
        const list = await runRunbook(runbook, {
          store,
          source,
          window: window.spec,
          params: { ...organisationParams(), ...PARAMS[file] },
        });
        runs = new Map(list.map((r) => [r.cell.id, r]));
      });

      for (const cell of runbook.cells) {
        const name = `${file} ${cell.id} (${window.label})`;
        test(cell.id, async () => {
          const run = runs.get(cell.id);
          let detail: string | undefined;
          let trinoSql = '';
          try {
            if (!run || run.status === 'error' || run.status === 'skipped' || !run.sql || !run.window) {
              detail = `did not run on DuckDB: ${run?.error?.message ?? 'no result'}`;
            } else {
              trinoSql = await rewriteForTrino(parse, run.sql, TARGET, run.window);
              const onTrino = await trino.query(trinoSql);
              const order = await ordering(parse, run.sql, run.columns);
              detail = difference(run, { columns: onTrino.columns.map((c) => c.name), rows: onTrino.rows }, order);
            }
          } catch (error) {
            detail = `failed on Trino: ${(error as Error).message}`;
          }
          report(env, { suite: 'runbooks', name, ok: detail === undefined, ...(detail ? { detail } : {}), rows: run?.rows.length ?? 0 });
          assert.equal(detail, undefined, `${name}: ${detail}\n  SQL on Trino:\n${trinoSql}`);
        });
      }
    });
  }
}
