// A cell whose rows pass the limit runs once, into the kept table: its answer (the first
// rows) is read from there and equals what the query streamed alone gives, columns
// included; a result within the limit keeps nothing; the SQL guard stands as for any cell.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { KeptResult } from '../../src/engine/keptResult';
import { runQuery, type CellValue } from '../../src/engine/query';
import { generateTrail } from '../../src/testbed/loggen';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { openStore, scannedTrail } from '../support/store';
import { parseRunbook } from '../../src/runbook/parse';
import { runRunbook } from '../../src/app/runbookRunner';
import { tempDir } from '../support/tempDir';

const EVENTS = 3_000;

const trail = scannedTrail(EVENTS, 21);

const SQL = 'SELECT eventTime, eventName, userIdentity, eventName, errorCode FROM cloudtrail_logs ORDER BY eventTime DESC, eventID';

test('over the limit: the first rows, their columns and the batches equal the query streamed alone, and the whole result is kept', async () => {
  const { store, scope } = await trail;
  const batches: CellValue[][] = [];
  const { result, kept } = await KeptResult.run(store, scope, SQL, { limit: 1_000, onRows: (rows) => batches.push(...rows) });
  const alone = await runQuery(store, scope, SQL, { limit: 1_000 });
  assert.deepEqual(result.columns, alone.columns);
  assert.deepEqual(
    result.columns,
    ['eventTime', 'eventName', 'userIdentity', 'eventName:1', 'errorCode'],
    'duplicate names as a streamed result gives them',
  );
  assert.deepEqual(result.rows, alone.rows);
  assert.deepEqual(batches, alone.rows);
  assert.equal(result.truncated, true);
  assert.ok(kept !== undefined);
  assert.equal(kept.rowCount, EVENTS);
  const summary = await kept.summarize();
  assert.deepEqual(summary.columns, result.columns);
  assert.equal(summary.rowCount, EVENTS);
  const whole = await runQuery(store, scope, SQL);
  assert.deepEqual(await kept.page(0, EVENTS), whole.rows);
  kept.close();
});

test('one run, not two: a value the query draws at random is the same in the answer and in the kept table', async () => {
  const { store, scope } = await trail;
  const { result, kept } = await KeptResult.run(store, scope, 'SELECT random() AS draw, eventID FROM cloudtrail_logs', { limit: 10 });
  assert.deepEqual(await kept!.page(0, 10), result.rows);
  kept!.close();
});

test('a result column named rowid does not hide the row numbers paging and sorting read', async () => {
  const { store, scope } = await trail;
  const sql = 'SELECT eventID AS rowid, eventTime, eventName AS RowId FROM cloudtrail_logs ORDER BY eventTime, eventID';
  const { result, kept } = await KeptResult.run(store, scope, sql, { limit: 100 });
  const whole = await runQuery(store, scope, sql);
  assert.deepEqual(result.columns, whole.columns);
  assert.deepEqual(result.rows, whole.rows.slice(0, 100));
  assert.deepEqual(await kept!.page(1_000, 50), whole.rows.slice(1_000, 1_050));
  const summary = await kept!.summarize();
  assert.deepEqual(summary.columns, whole.columns);
  assert.equal(summary.rowCount, EVENTS);
  kept!.close();
});

test('within the limit: every row, not truncated, nothing kept', async () => {
  const { store, scope } = await trail;
  const { result, kept } = await KeptResult.run(store, scope, SQL, { limit: EVENTS });
  assert.equal(kept, undefined);
  assert.equal(result.truncated, false);
  assert.deepEqual(result.rows, (await runQuery(store, scope, SQL)).rows);
});

test('the SQL guard stands: a query that names a file is refused as any cell’s is, and keeps nothing', async () => {
  const { store, scope } = await trail;
  const hostile = "SELECT * FROM read_text('/etc/passwd')";
  const alone = await runQuery(store, scope, hostile).then(
    () => 'ran',
    (error: Error) => error.message,
  );
  await assert.rejects(KeptResult.run(store, scope, hostile, { limit: 10 }), (error: Error) => error.message === alone);
  assert.notEqual(alone, 'ran');
});

test('a cancelled run says so', async () => {
  const { store, scope } = await trail;
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(KeptResult.run(store, scope, SQL, { limit: 10, signal: controller.signal }), { name: 'Cancelled' });
});

test('the runner keeps a cell’s whole result when asked and its rows pass the limit; otherwise it keeps none', async () => {
  const store = await openStore();
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: 600, seed: 22 });
  const text =
    '# Kept\n\n```cloudtrail id=many\nSELECT eventTime, eventName FROM cloudtrail_logs ORDER BY eventTime, eventID\n```\n\n```cloudtrail id=few\nSELECT eventName FROM cloudtrail_logs GROUP BY eventName ORDER BY eventName LIMIT 3\n```\n';
  const runbook = parseRunbook(text, 'kept.md');
  const source = new LocalLogsSource(store, join(root, 'trail'));
  const [many, few] = await runRunbook(runbook, { store, source, limit: 100, keepBeyondLimit: true });
  assert.equal(many!.truncated, true);
  assert.equal(many!.rows.length, 100);
  assert.equal(many!.kept?.rowCount, 600);
  assert.deepEqual(await many!.kept!.page(0, 100), many!.rows);
  assert.equal(few!.kept, undefined);
  many!.kept!.close();
  const [plain] = await runRunbook(runbook, { store, source, limit: 100, cellIds: ['many'] });
  assert.equal(plain!.truncated, true);
  assert.equal(plain!.kept, undefined, 'the CLI does not ask: nothing is kept');
  assert.deepEqual(plain!.rows, many!.rows);
});
