// The Athena source through the real @aws-sdk/client-athena, over real HTTP with SigV4,
// against the project's local Athena endpoint on its DuckDB backend: a bundled runbook gives
// the rows it gives on local logs; paging past 1000 rows; cancel stops the query; a retried
// start with the same token starts nothing new; each failure said with its fix; the cost
// line. Data: the Stratus Red Team detonation logs and a generated trail.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { AthenaSource, type AthenaSettings } from '../../src/sources/athena/athenaSource';
import { AwsSession } from '../../src/sources/aws/awsSession';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { EventStore } from '../../src/engine/eventStore';
import { SourcePool } from '../../src/app/openSource';
import { buildEvidence, describeSource, evidenceMarkdown } from '../../src/app/evidence';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { parseWindow } from '../../src/engine/timeWindow';
import { isCancelled } from '../../src/protocol/cancelled';
import { generateTrail } from '../../src/testbed/loggen';
import { duckdbBackend, startAthenaEndpoint, type AthenaEndpoint, type DuckDBBackend } from '../../src/testbed/athenaEndpoint';
import { difference } from '../engines/support/compare';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const STRATUS_WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';
const ROOT = join(__dirname, '../..');

interface Bed {
  backend: DuckDBBackend;
  endpoint: AthenaEndpoint;
}
let stratus: Bed;
let generated: Bed;
let checker: Awaited<ReturnType<typeof openSqlChecker>>;
let store: EventStore;

async function bed(logsPath: string, maxConcurrent = 5): Promise<Bed> {
  const backend = await duckdbBackend({ logsPath });
  // logsDir: the endpoint also answers S3's ListObjectsV2 over the logs, for the cost bound.
  return { backend, endpoint: await startAthenaEndpoint({ backend, maxConcurrent, logsDir: logsPath }) };
}

const trail = join(tempDir('trailbook-athena-source-'), 'trail');

before(async () => {
  await generateTrail({ outDir: trail, events: 2600, seed: 5, days: 2 });
  [stratus, generated] = await Promise.all([bed(stratusDir()), bed(trail, 1)]);
  checker = await openSqlChecker();
  store = await EventStore.open({});
});
after(async () => {
  for (const b of [stratus, generated]) {
    await b?.endpoint.close();
    await b?.backend.close();
  }
  await checker?.close();
  store?.close();
});

function source(b: Bed, extra: Partial<AthenaSettings> = {}): AthenaSource {
  return new AthenaSource({
    settings: {
      workgroup: 'primary',
      database: 'default',
      table: 'cloudtrail_logs',
      catalog: 'AwsDataCatalog',
      region: b.endpoint.region,
      endpoint: b.endpoint.url,
      maxScanBytes: 10 * 1024 ** 3,
      pricePerTb: 5,
      ...extra,
    },
    session: new AwsSession({ credentials: b.endpoint.credentials, endpoint: b.endpoint.url, region: b.endpoint.region }),
    names: { table: '--athena-table', workgroup: '--athena-workgroup', maxScan: '--max-scan' },
    parser: async () => checker.connection,
  });
}

const starts = (b: Bed): number => b.endpoint.calls.filter((c) => c.action === 'StartQueryExecution').length;

test('a bundled runbook gives on Athena the rows it gives on local logs, with the window in the SQL as run and the cost in the notes', async () => {
  const path = 'runbooks/cloudtrail-tampering.md';
  const runbook = parseRunbook(await readFile(join(ROOT, path), 'utf8'), path);
  const pool = new SourcePool(undefined);
  try {
    const local = await pool.open({ kind: 'local', logsPath: stratusDir() });
    const onLocal = await runRunbook(runbook, { ...local, window: STRATUS_WINDOW });
    const onAthena = await runRunbook(runbook, { store, source: source(stratus), window: STRATUS_WINDOW });
    assert.equal(onAthena.length, onLocal.length);
    let rows = 0;
    for (const [i, run] of onAthena.entries()) {
      const expected = itemAt(onLocal, i);
      assert.equal(run.status, expected.status, `${run.cell.id}: ${run.error?.message ?? ''}`);
      assert.equal(
        difference({ columns: expected.columns, rows: expected.rows }, { columns: run.columns, rows: run.rows }, undefined),
        undefined,
        run.cell.id,
      );
      rows += run.rows.length;
      assert.match(
        run.sql!,
        /FROM "default"\."cloudtrail_logs" WHERE try\(from_iso8601_timestamp\("eventtime"\)\) >= from_iso8601_timestamp\('2024-01-01T00:00:00\.000Z'\)/,
      );
      assert.match(run.sql!, /"timestamp" >= '2024\/01\/01' AND "timestamp" <= '2025\/01\/01'/);
      assert.match(
        itemAt(run.notes, 0),
        /^ran on Athena primary default\.cloudtrail_logs .* as query [\w-]+ in .*: scanned [\d.]+ (B|KB|MB), about \$0\.\d{5} at \$5\.00 per TB/,
      );
      assert.equal(run.scan?.engine, 'athena');
      assert.ok(run.scan!.scannedBytes > 0);
      assert.ok(stratus.endpoint.executions.includes(run.scan!.queryId));
    }
    assert.ok(rows > 0, 'the runbook found rows in the Stratus events');
  } finally {
    await pool.close();
  }
});

test('paging past 1000 rows: every row arrives, page by page, and the header row is not one of them', async () => {
  const window = parseWindow('2025-03-01T00:00:00Z/2025-03-10T00:00:00Z');
  const pages: number[] = [];
  const result = await source(generated).execute(window, 'SELECT eventID, eventTime FROM cloudtrail_logs', {
    onRows: (rows) => pages.push(rows.length),
  });
  assert.equal(result.rows.length, 2600);
  // Athena's first page holds the header row and 999 rows.
  assert.deepEqual(pages, [999, 1000, 601]);
  assert.equal(new Set(result.rows.map((r) => r[0])).size, 2600);
  assert.ok(!result.rows.some((r) => r[0] === 'eventid' || r[0] === 'eventID'));
  const limited = await source(generated).execute(window, 'SELECT eventID FROM cloudtrail_logs', { limit: 1500 });
  assert.equal(limited.rows.length, 1500);
  assert.equal(limited.truncated, true);
});

test('cancel stops the query: the endpoint sees StopQueryExecution and the run ends as cancelled', async () => {
  const controller = new AbortController();
  const window = parseWindow(STRATUS_WINDOW);
  const run = source(stratus).execute(window, 'SELECT eventName, count(*) AS n FROM cloudtrail_logs GROUP BY eventName', {
    signal: controller.signal,
    onProgress: (p) => {
      if (/^queued on /.test(p.message)) controller.abort();
    },
  });
  await assert.rejects(run, (error) => isCancelled(error));
  const stopped = stratus.endpoint.calls.filter((c) => c.action === 'StopQueryExecution');
  assert.equal(stopped.length, 1);
  const started = stratus.endpoint.calls.filter((c) => c.action === 'StartQueryExecution').at(-1)!;
  assert.equal(itemAt(stopped, 0).queryExecutionId, started.queryExecutionId);
});

test('a retried run (same runbook, cell, SQL and window) reuses the query: the token starts nothing new', async () => {
  const window = parseWindow('2024-03-01T00:00:00Z/2024-04-01T00:00:00Z');
  const cell = { runbook: 'runbooks/x.md', cell: 'retried', template: 'SELECT count(*) AS n FROM cloudtrail_logs', references: [] };
  const before = stratus.endpoint.executions.length;
  const first = await source(stratus).execute(window, cell.template, { cell });
  const again = await source(stratus).execute(window, cell.template, { cell });
  assert.equal(again.scan!.queryId, first.scan!.queryId);
  assert.deepEqual(again.rows, first.rows);
  assert.equal(stratus.endpoint.executions.length, before + 1);
  // Another cell with the same SQL is another query.
  const other = await source(stratus).execute(window, cell.template, { cell: { ...cell, cell: 'other' } });
  assert.notEqual(other.scan!.queryId, first.scan!.queryId);
});

test('errors say what to do', async (t) => {
  const window = parseWindow(STRATUS_WINDOW);
  await t.test('a syntax error points at the runbook line the SQL came from', async () => {
    const path = 'broken.md';
    const text = [
      '# Broken',
      '',
      '```cloudtrail id=typo',
      'SELECT eventName',
      'FROM cloudtrail_logs',
      "WHERE eventName = 'x' AND AND",
      '```',
      '',
    ].join('\n');
    const runbook = parseRunbook(text, path);
    const [run] = await runRunbook(runbook, { store, source: source(stratus), window: STRATUS_WINDOW });
    assert.equal(run!.status, 'error');
    // Refused by the guard before Athena: DuckDB's parser finds it first, on the same line.
    assert.equal(run!.error!.line, 5);
  });
  await t.test("Athena refuses at start (InvalidRequestException) with Trino's position", async () => {
    // Valid for DuckDB's parser, not for Trino's: a backtick-quoted name.
    await assert.rejects(
      source(stratus).execute(window, "SELECT eventName\nFROM cloudtrail_logs\nWHERE `eventName` = 'x'", {}),
      (error: Error) => {
        assert.match(
          error.message,
          /^Athena refused the query \(InvalidRequestException\): line 3:7: backquoted identifiers are not supported; use double quotes to quote identifiers\nLINE 3:$/,
        );
        return true;
      },
    );
  });
  await t.test("a column the engine does not know fails with Athena's reason and the query id", async () => {
    await assert.rejects(
      source(stratus).execute(window, 'SELECT nosuch\nFROM cloudtrail_logs', {}),
      /: Athena failed \(user error \d+\): COLUMN_NOT_FOUND: line 1:8: .*nosuch.* \(query [\w-]+\)\nLINE 1:$/,
    );
  });
  await t.test('a missing table names the setting and the ddl command', async () => {
    await assert.rejects(
      source(stratus, { table: 'nope' }).execute(window, 'SELECT 1 AS x FROM cloudtrail_logs', {}),
      /the table is not in the catalog .* create it with `trailbook athena ddl --bucket s3:\/\/…`, or set --athena-table/,
    );
  });
  await t.test('an unknown workgroup names the setting', async () => {
    await assert.rejects(
      source(stratus, { workgroup: 'nope' }).execute(window, 'SELECT eventName FROM cloudtrail_logs LIMIT 1', {}),
      /--athena-workgroup/,
    );
  });
  await t.test('a query over 262,144 bytes names the {{…}} list that made it so, before anything starts', async () => {
    const values = Array.from({ length: 15_000 }, (_, i) => `'AKIA${String(i).padStart(16, '0')}'`).join(', ');
    const template = 'SELECT eventName FROM cloudtrail_logs WHERE userIdentity.accessKeyId IN ({{keys.key}})';
    const at = template.indexOf('{{keys.key}}');
    const sql = template.replace('{{keys.key}}', values);
    const count = starts(stratus);
    await assert.rejects(
      source(stratus).execute(window, sql, {
        cell: { runbook: 'r.md', cell: 'big', template, references: [{ text: '{{keys.key}}', start: at, end: at + 12 }] },
      }),
      /over Athena's limit of 262,144: \{\{keys\.key\}\} alone became [\d.]+ KB of values/,
    );
    assert.equal(starts(stratus), count);
  });
  await t.test('a cost bound above the limit refuses before the query starts; under it, the bound is in the notes', async () => {
    const files = readdirSync(stratusDir()).filter((f) => /\.json(\.gz)?$/.test(f));
    const bytes = files.reduce((n, f) => n + statSync(join(stratusDir(), f)).size, 0);
    const count = starts(stratus);
    const listings = stratus.endpoint.calls.filter((c) => c.action === 'ListObjectsV2').length;
    await assert.rejects(
      source(stratus, { maxScanBytes: 1 }).execute(window, 'SELECT count(*) AS n FROM cloudtrail_logs', {}),
      new RegExp(
        `not started: the query could scan up to [\\d.]+ KB \\(${files.length} objects in the window's partitions\\), about \\$0\\.\\d+, above the limit of 1 B: choose a shorter window or fewer accounts and regions, or raise --max-scan`,
      ),
    );
    assert.equal(starts(stratus), count, 'no query started');
    assert.ok(stratus.endpoint.calls.filter((c) => c.action === 'ListObjectsV2').length > listings, 'the bound came from an S3 listing');
    const allowed = await source(stratus, { maxScanBytes: bytes }).execute(window, 'SELECT count(*) AS n FROM cloudtrail_logs', {});
    assert.equal(allowed.scan!.boundBytes, bytes);
    assert.match(itemAt(allowed.notes, 0), new RegExp(`\\(bound before it started: [\\d.]+ KB in ${files.length} objects\\)$`));
  });
  await t.test('throttling is retried with backoff, then said as such', async () => {
    // The generated bed allows one query at a time; one started and never polled holds the slot.
    const holder = new AthenaClient({
      endpoint: generated.endpoint.url,
      region: generated.endpoint.region,
      credentials: generated.endpoint.credentials,
    });
    await holder.send(
      new StartQueryExecutionCommand({
        QueryString: 'SELECT count(*) FROM cloudtrail_logs',
        QueryExecutionContext: { Database: 'default' },
        WorkGroup: 'primary',
      }),
    );
    const count = generated.endpoint.calls.filter((c) => c.action === 'StartQueryExecution').length;
    await assert.rejects(
      source(generated, { throttleRetries: 2 }).execute(
        parseWindow('2025-03-01T00:00:00Z/2025-03-10T00:00:00Z'),
        'SELECT count(*) AS n FROM cloudtrail_logs',
        {},
      ),
      /Athena is throttling StartQueryExecution \(TooManyRequestsException\) and still was after retries with backoff/,
    );
    // The first try and two retries, all with the same token.
    assert.equal(generated.endpoint.calls.filter((c) => c.action === 'StartQueryExecution').length, count + 3);
    holder.destroy();
  });
});

test('CellRun carries the scan into the evidence report, JSON and Markdown', async () => {
  const text = ['# Count', '', '```cloudtrail id=count', 'SELECT count(*) AS n FROM cloudtrail_logs', '```', ''].join('\n');
  const runs: CellRun[] = await runRunbook(parseRunbook(text, 'count.md'), { store, source: source(stratus), window: STRATUS_WINDOW });
  assert.equal(itemAt(runs, 0).status, 'ok');
  assert.equal(itemAt(itemAt(runs, 0).rows, 0)[0], 310);
  const scan = itemAt(runs, 0).scan!;
  assert.ok(stratus.endpoint.executions.includes(scan.queryId));
  assert.equal(scan.pricePerTb, 5);
  assert.ok(scan.costUsd! > 0 && scan.scannedBytes > 0);
  const report = buildEvidence({
    runbookPath: 'count.md',
    runbookText: text,
    runbook: { title: 'Count' },
    runs,
    source: describeSource({ kind: 'athena', workgroup: 'primary', database: 'default', table: 'cloudtrail_logs', region: 'us-east-1' }),
    git: { repository: false, reason: 'a test' },
    startedAt: new Date(),
    finishedAt: new Date(),
    secrets: [],
  });
  assert.deepEqual(itemAt(report.cells, 0).scan, scan);
  assert.equal(
    report.run.source.label,
    'Athena workgroup primary default.cloudtrail_logs in us-east-1 (credentials from the environment or the default profile)',
  );
  assert.match(
    evidenceMarkdown(report),
    new RegExp(`- Scanned: ${scan.scannedBytes} bytes, ${scan.costUsd!.toFixed(5)} USD \\(athena query \`${scan.queryId}\`\\)`),
  );
});
