// `source: athena` against Athena's own engine: the Athena source through the real
// @aws-sdk/client-athena, over real HTTP with SigV4, to the local Athena endpoint on its
// Trino backend (the engine Athena is built on), over the suite's Trino table with its
// `timestamp` partition. Bundled runbooks give the rows they give on local logs; paging;
// cancel; the token. Each check is reported to run.ts's summary.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { AthenaSource } from '../../src/sources/athena/athenaSource';
import { AwsSession } from '../../src/sources/aws/awsSession';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { EventStore } from '../../src/engine/eventStore';
import { SourcePool } from '../../src/app/openSource';
import { runRunbook } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { parseWindow } from '../../src/engine/timeWindow';
import { isCancelled } from '../../src/protocol/cancelled';
import { startAthenaEndpoint, trinoBackend, type AthenaBackend, type AthenaEndpoint } from '../../src/testbed/athenaEndpoint';
import { enginesEnv, report } from './support/env';
import { difference } from './support/compare';
import { CATALOG, SCHEMA } from './support/trinoTable';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const WINDOW = '2000-01-01T00:00:00Z/2100-01-01T00:00:00Z';
const RUNBOOKS = ['runbooks/cloudtrail-tampering.md', 'runbooks/root-account-activity.md', 'runbooks/iam-policy-changes.md'];

let backend: AthenaBackend;
let endpoint: AthenaEndpoint;
let checker: Awaited<ReturnType<typeof openSqlChecker>>;
let store: EventStore;

before(async () => {
  const env = enginesEnv();
  backend = trinoBackend({
    connection: { server: env.trinoUrl, user: 'trailbook-athena' },
    trinoTable: `${CATALOG}.${SCHEMA}.cloudtrail_logs`,
  });
  endpoint = await startAthenaEndpoint({ backend });
  checker = await openSqlChecker();
  store = await EventStore.open({});
});
after(async () => {
  await endpoint?.close();
  await backend?.close();
  await checker?.close();
  store?.close();
});

function source(): AthenaSource {
  return new AthenaSource({
    settings: {
      workgroup: 'primary',
      database: 'default',
      table: 'cloudtrail_logs',
      catalog: 'AwsDataCatalog',
      region: endpoint.region,
      endpoint: endpoint.url,
      maxScanBytes: 1e12,
      pricePerTb: 5,
    },
    session: new AwsSession({ credentials: endpoint.credentials, endpoint: endpoint.url, region: endpoint.region }),
    names: { table: '--athena-table', workgroup: '--athena-workgroup', maxScan: '--max-scan' },
    parser: async () => checker.connection,
  });
}

async function checked(name: string, body: () => Promise<number | void>): Promise<void> {
  const env = enginesEnv();
  try {
    const rows = await body();
    report(env, { suite: 'source', name, ok: true, ...(typeof rows === 'number' ? { rows } : {}) });
  } catch (error) {
    report(env, { suite: 'source', name, ok: false, detail: (error as Error).message });
    throw error;
  }
}

for (const path of RUNBOOKS) {
  test(`${path}: source athena (endpoint on Trino) gives what local logs give`, () =>
    checked(`${path} --source athena (Trino backend)`, async () => {
      const runbook = parseRunbook(await readFile(join(ROOT, path), 'utf8'), path);
      const pool = new SourcePool(undefined);
      try {
        const local = await pool.open({ kind: 'local', logsPath: enginesEnv().logs });
        const onLocal = await runRunbook(runbook, { ...local, window: WINDOW, limit: 100_000 });
        const onAthena = await runRunbook(runbook, { store, source: source(), window: WINDOW, limit: 100_000 });
        let rows = 0;
        for (const [i, run] of onAthena.entries()) {
          const expected = itemAt(onLocal, i);
          assert.equal(run.status, expected.status, `${run.cell.id}: ${run.error?.message ?? ''}`);
          const differs = difference(
            { columns: expected.columns, rows: expected.rows },
            { columns: run.columns, rows: run.rows },
            undefined,
          );
          assert.equal(differs, undefined, `${run.cell.id}: ${differs}`);
          assert.match(run.sql ?? '', /"timestamp" >= '2000\/01\/01'/);
          rows += run.rows.length;
        }
        return rows;
      } finally {
        await pool.close();
      }
    }));
}

test('paging: every event arrives through 1000-row pages, as many as DuckDB counts', () =>
  checked('athena source paging on Trino', async () => {
    const window = parseWindow(WINDOW);
    const counted = await source().execute(window, 'SELECT count(*) AS n FROM cloudtrail_logs', {});
    const total = itemAt(counted.rows, 0)[0] as number;
    assert.ok(total > 1000, `the suite's events (${total}) should need more than one page`);
    const pages: number[] = [];
    const all = await source().execute(window, 'SELECT eventID FROM cloudtrail_logs', {
      limit: 1_000_000,
      onRows: (rows) => pages.push(rows.length),
    });
    assert.equal(all.rows.length, total);
    assert.equal(pages[0], 999);
    assert.ok(pages.slice(1, -1).every((n) => n === 1000));
    return total;
  }));

test('cancel: StopQueryExecution reaches the endpoint, which cancels the Trino query', () =>
  checked('athena source cancel on Trino', async () => {
    const controller = new AbortController();
    const run = source().execute(parseWindow(WINDOW), 'SELECT eventSource, eventName, count(*) AS n FROM cloudtrail_logs GROUP BY 1, 2', {
      signal: controller.signal,
      onProgress: (p) => {
        if (/^queued on /.test(p.message)) controller.abort();
      },
    });
    await assert.rejects(run, (error) => isCancelled(error));
    assert.ok(endpoint.calls.some((c) => c.action === 'StopQueryExecution'));
  }));

test('the same query with the same token is answered by the first execution', () =>
  checked('athena source token on Trino', async () => {
    const window = parseWindow(WINDOW);
    const cell = { runbook: 'engines.md', cell: 'token', template: 'SELECT count(*) AS n FROM cloudtrail_logs', references: [] };
    const before = endpoint.executions.length;
    const first = await source().execute(window, cell.template, { cell });
    const again = await source().execute(window, cell.template, { cell });
    assert.equal(again.scan!.queryId, first.scan!.queryId);
    assert.equal(endpoint.executions.length, before + 1);
    assert.ok(first.scan!.scannedBytes > 0, "DataScannedInBytes from Trino's statistics");
  }));
