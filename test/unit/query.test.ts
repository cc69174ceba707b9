// Queries stream in batches, stop at the row limit and say so, and stop at once when
// cancelled; anything but a SELECT over cloudtrail_logs is refused before it runs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileIdPredicate, runQuery, type QueryScope } from '../../src/engine/query';
import { Cancelled } from '../../src/protocol/cancelled';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { generateTrail } from '../../src/testbed/loggen';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

async function stratusScope(): Promise<{ store: Awaited<ReturnType<typeof openStore>>; scope: QueryScope }> {
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, stratusDir(), ALL_TIME);
  return { store, scope: { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME } };
}

test('a row limit stops the stream and marks the result truncated', async () => {
  const { store, scope } = await stratusScope();
  const limited = await runQuery(store, scope, 'SELECT eventID FROM cloudtrail_logs', { limit: 25 });
  assert.equal(limited.rows.length, 25);
  assert.equal(limited.truncated, true);
  const whole = await runQuery(store, scope, 'SELECT eventID FROM cloudtrail_logs', { limit: 310 });
  assert.equal(whole.rows.length, 310);
  assert.equal(whole.truncated, false);
});

test('rows arrive in batches through onRows, adding up to the result', async () => {
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: 6_000, seed: 3 });
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, join(root, 'trail'), ALL_TIME);
  const batches: number[] = [];
  const result = await runQuery(
    store,
    { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME },
    'SELECT eventID, eventTime FROM cloudtrail_logs',
    {
      onRows: (rows, columns) => {
        assert.deepEqual(columns, ['eventID', 'eventTime']);
        batches.push(rows.length);
      },
    },
  );
  assert.ok(batches.length > 1, `expected several batches, got ${batches.join(', ')}`);
  assert.equal(
    batches.reduce((a, b) => a + b, 0),
    6_000,
  );
  assert.equal(result.rows.length, 6_000);
});

test('a cancelled query stops with Cancelled', async () => {
  const { store, scope } = await stratusScope();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(runQuery(store, scope, 'SELECT * FROM cloudtrail_logs', { signal: controller.signal }), Cancelled);
  const slow = new AbortController();
  const running = runQuery(
    store,
    scope,
    'SELECT count(*) FROM cloudtrail_logs a, cloudtrail_logs b, cloudtrail_logs c, cloudtrail_logs d',
    { signal: slow.signal },
  );
  setTimeout(() => slow.abort(), 50);
  await assert.rejects(running, Cancelled);
});

test('only one SELECT over cloudtrail_logs may run', async () => {
  const { store, scope } = await stratusScope();
  const refused: Array<[string, RegExp]> = [
    ["SELECT * FROM read_text('/etc/hostname')", /table function read_text is not available/],
    ["SELECT * FROM '/etc/hostname'", /table name "\/etc\/hostname" is not a plain name/],
    ['SELECT * FROM store.files', /unknown table store\.files/],
    ['DROP VIEW cloudtrail_logs', /only SELECT statements/],
    ['SELECT 1; SELECT 2', /exactly one SELECT statement; this one has 2/],
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /only SELECT statements/],
  ];
  for (const [sql, message] of refused) await assert.rejects(runQuery(store, scope, sql), message, sql);
  const allowed = await runQuery(
    store,
    scope,
    `WITH names AS (SELECT DISTINCT eventName FROM cloudtrail_logs) SELECT count(*) FROM names, unnest([1, 2]) AS t(x)`,
  );
  assert.ok(Number(itemAt(allowed.rows, 0)[0]) > 0);
});

test('file ids become ranges, so a scope of thousands of files stays a short predicate', () => {
  assert.equal(fileIdPredicate([]), 'FALSE');
  assert.equal(fileIdPredicate([5, 1, 2, 3, 4, 9, 11, 12]), '(_file BETWEEN 1 AND 5 OR _file IN (9, 11, 12))');
  assert.equal(fileIdPredicate([7]), '(_file IN (7))');
  assert.equal(fileIdPredicate([4, 5]), '(_file IN (4, 5))');
  assert.equal(fileIdPredicate([1, 3, 4, 5, 9, 10, 11, 12, 20]), '(_file BETWEEN 3 AND 5 OR _file BETWEEN 9 AND 12 OR _file IN (1, 20))');
  assert.equal(
    fileIdPredicate(
      Array.from({ length: 8000 }, (_, i) => i + 1),
      'id',
    ),
    '(id BETWEEN 1 AND 8000)',
  );
});
