// The cache: what was parsed is kept by path, size and mtime; a warm run parses nothing,
// a changed file is parsed again, and a cancelled scan leaves nothing half-written.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { generateTrail } from '../../src/testbed/loggen';
import { Cancelled } from '../../src/protocol/cancelled';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { writeS3Trail } from '../support/s3Trail';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

function days(n: number): string {
  const root = tempDir();
  const events = Array.from({ length: n }, (_, i) => {
    const day = String(i + 1).padStart(2, '0');
    return { folder: `2024/07/${day}`, eventTime: `2024-07-${day}T12:00:00Z`, eventName: `Day${day}`, eventID: `e${day}` };
  });
  writeS3Trail(root, events);
  return root;
}

test('a warm run reads no file, and gives the same answer', async () => {
  const root = days(5);
  const cacheDir = join(tempDir(), 'cache');
  const store = await openStore({ cacheDir });
  const cold = await scanLocalLogs(store, root, ALL_TIME);
  assert.equal(cold.ingest.filesParsed, 5);
  const warm = await scanLocalLogs(store, root, ALL_TIME);
  assert.equal(warm.ingest.filesParsed, 0);
  assert.equal(warm.ingest.filesCached, 5);
  assert.deepEqual(warm.ingest.fileIds, cold.ingest.fileIds);
  assert.deepEqual(await query(store, root, 'SELECT count(*) FROM cloudtrail_logs'), [[5]]);
});

test('the cache survives the process: a new store on the same file parses nothing', async () => {
  const root = days(3);
  const cacheDir = join(tempDir(), 'cache');
  const first = await openStore({ cacheDir });
  await scanLocalLogs(first, root, ALL_TIME);
  first.close();
  const second = await openStore({ cacheDir });
  const again = await scanLocalLogs(second, root, ALL_TIME);
  assert.equal(again.ingest.filesParsed, 0);
  assert.deepEqual(await query(second, root, 'SELECT count(*) FROM cloudtrail_logs'), [[3]]);
});

test('a changed file is parsed again and its old events are gone', async () => {
  const root = days(3);
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const { discovery } = await scanLocalLogs(store, root, ALL_TIME);
  const changed = itemAt(discovery.files, 1).path;
  const records = [
    { eventTime: '2024-07-02T13:00:00Z', eventName: 'Replaced', eventID: 'r1' },
    { eventTime: '2024-07-02T14:00:00Z', eventName: 'Replaced', eventID: 'r2' },
  ];
  writeFileSync(changed, gzipSync(JSON.stringify({ Records: records })));
  utimesSync(changed, new Date(), new Date(Date.now() + 5000));
  const second = await scanLocalLogs(store, root, ALL_TIME);
  assert.equal(second.ingest.filesParsed, 1);
  assert.deepEqual(await query(store, root, 'SELECT eventName, count(*) FROM cloudtrail_logs GROUP BY ALL ORDER BY 1'), [
    ['Day01', 1],
    ['Day03', 1],
    ['Replaced', 2],
  ]);
});

test('a cancelled scan keeps nothing partial, and the next run completes it', async () => {
  const root = days(20);
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(scanLocalLogs(store, root, ALL_TIME, { signal: controller.signal }), Cancelled);
  const files = await store.writer.runAndReadAll('SELECT count(*) FROM store.files');
  assert.equal(Number(itemAt(files.getRowsJS(), 0)[0]), 0);
  assert.deepEqual(readdirSync(store.eventsDir), [], 'no events file without its committed batch');
  const next = await scanLocalLogs(store, root, ALL_TIME);
  assert.deepEqual(next.ingest.problems, []);
  assert.deepEqual(await query(store, root, 'SELECT count(*) FROM cloudtrail_logs'), [[20]]);
});

test('a cache locked by another process: this run reads the logs without it and says why', async () => {
  const root = days(2);
  const cacheDir = join(tempDir(), 'cache');
  const holder = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `
    const { EventStore } = require(${JSON.stringify(resolve(__dirname, '../../src/engine/eventStore'))});
    EventStore.open({ cacheDir: ${JSON.stringify(cacheDir)} }).then(() => { console.log('holding'); setTimeout(() => {}, 60000); });
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await once(holder.stdout!, 'data');
    const second = await openStore({ cacheDir });
    assert.match(second.cacheNote ?? '', /in use by another Trailbook process: this run parses the logs without it/);
    assert.deepEqual(await query(second, root, 'SELECT count(*) FROM cloudtrail_logs'), [[2]]);
  } finally {
    holder.kill();
  }
});

test('cancelled while parsing: what is stored is whole, and the next run completes it', async () => {
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: 20_000, seed: 7 });
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  await assert.rejects(scanLocalLogs(store, join(root, 'trail'), ALL_TIME, { signal: controller.signal }), Cancelled);
  const listed = (await store.writer.runAndReadAll('SELECT id FROM store.batches'))
    .getRowsJS()
    .map(([id]) => store.batchPath(id as number));
  assert.deepEqual(
    readdirSync(store.eventsDir)
      .map((name) => join(store.eventsDir, name))
      .sort(),
    listed.sort(),
  );
  const next = await scanLocalLogs(store, join(root, 'trail'), ALL_TIME);
  assert.deepEqual(next.ingest.problems, []);
  assert.deepEqual(await query(store, join(root, 'trail'), 'SELECT count(*) FROM cloudtrail_logs'), [[20_000]]);
});

test('a cache folder that moved, or is named by a relative path, is still whole', async () => {
  const root = days(3);
  const parent = tempDir();
  const first = await openStore({ cacheDir: join(parent, 'cache') });
  await scanLocalLogs(first, root, ALL_TIME);
  first.close();
  renameSync(join(parent, 'cache'), join(parent, 'moved'));
  const second = await openStore({ cacheDir: relative(process.cwd(), join(parent, 'moved')) });
  const again = await scanLocalLogs(second, root, ALL_TIME);
  assert.equal(again.ingest.filesParsed, 0);
  assert.deepEqual(await query(second, root, 'SELECT count(*) FROM cloudtrail_logs'), [[3]]);
});

test('a file changed twice never brings back events of an earlier version', async () => {
  const root = days(3);
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const { discovery } = await scanLocalLogs(store, root, ALL_TIME);
  const last = itemAt(discovery.files, 2).path;
  const rewrite = (name: string, bump: number): void => {
    writeFileSync(last, gzipSync(JSON.stringify({ Records: [{ eventTime: '2024-07-03T13:00:00Z', eventName: name, eventID: name }] })));
    utimesSync(last, new Date(), new Date(Date.now() + bump));
  };
  rewrite('Second', 5000);
  await scanLocalLogs(store, root, ALL_TIME);
  rewrite('Third', 10000);
  await scanLocalLogs(store, root, ALL_TIME);
  assert.deepEqual(await query(store, root, 'SELECT eventName FROM cloudtrail_logs ORDER BY eventName'), [['Day01'], ['Day02'], ['Third']]);
});
