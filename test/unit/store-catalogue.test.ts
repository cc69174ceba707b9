// The store's catalogue with real DuckDB and real Parquet files: forgetting, ids that are
// never reused, fetches stored as what they are, and compaction (small batches merged, a
// changed file's dead rows dropped) that keeps every answer and survives a crash.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventStore } from '../../src/engine/eventStore';
import { runQuery } from '../../src/engine/query';
import { DEFAULT_COMPACTION, writeCompacted } from '../../src/engine/store/compaction';
import { knownFiles, type KnownFile } from '../../src/engine/store/logFiles';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { storeFetch } from '../../src/sources/lookup/fetchedEvents';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const FETCH = { account: '111122223333', region: 'us-east-1', attribute: '' };

/** `n` fetches of `perFetch` events each, one batch each: what a store gathers over many LookupEvents runs. */
async function smallFetches(store: EventStore, n: number, perFetch: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = Date.UTC(2024, 6, 1) + i * 3_600_000;
    const texts = Array.from({ length: perFetch }, (_, j) =>
      JSON.stringify(cloudTrailRecord(new Date(start + j * 1000).toISOString().replace('.000Z', 'Z'), { eventName: `Call${i % 7}` })),
    );
    ids.push((await storeFetch(store, { ...FETCH, start, end: start + 3_600_000 }, texts)).id);
  }
  return ids;
}

async function rowsOf(store: EventStore, ids: readonly number[], sql: string): Promise<unknown[][]> {
  return (await runQuery(store, { fileIds: ids, batchFiles: await store.catalogue.batchFilesOf(ids), window: ALL_TIME }, sql)).rows;
}

const EVERY_EVENT = 'SELECT eventID, eventTime, eventName, recipientAccountId FROM cloudtrail_logs ORDER BY eventID';
const eventsFiles = (store: EventStore): string[] => readdirSync(store.eventsDir).sort();

test('a fetch is stored with its account, region and range; a record that does not fit is reported, the others stored', async () => {
  const store = await openStore();
  const texts = [
    JSON.stringify(cloudTrailRecord('2024-07-01T00:00:01Z', { recipientAccountId: undefined })),
    JSON.stringify(cloudTrailRecord('2024-07-01T00:00:02Z', { resources: { ARN: 'not a list' } })),
    '{"eventTime": "2024-07-01T00:00:03Z", ',
    JSON.stringify(cloudTrailRecord('2024-07-01T00:00:04Z', { recipientAccountId: '999988887777' })),
  ];
  const stored = await storeFetch(store, { ...FETCH, start: 0, end: 1 }, texts);
  assert.equal(stored.events, 2);
  assert.deepEqual([...stored.foreign], [['999988887777', 1]]);
  const problems = await store.catalogue.problemsOf([stored.id]);
  assert.deepEqual(
    problems.map((p) => [p.record, p.path]),
    [
      [2, undefined],
      [3, undefined],
    ],
  );
  assert.match(itemAt(problems, 0).message, /^record 2: resources is an object, expected a list$/);
  assert.match(itemAt(problems, 1).message, /^record 3: CloudTrailEvent is not JSON/);
  // The record without recipientAccountId gets the account it was fetched from; the other is kept as written.
  assert.deepEqual(await rowsOf(store, [stored.id], 'SELECT recipientAccountId FROM cloudtrail_logs ORDER BY eventTime'), [
    ['111122223333'],
    ['999988887777'],
  ]);
  const [kept] = await store.catalogue.keptRanges(FETCH, { start: 0, end: 1 });
  assert.equal(kept, undefined, 'not kept until the range is whole');
  await store.catalogue.keepFetches([stored.id]);
  assert.deepEqual(await store.catalogue.keptRanges(FETCH, { start: 0, end: 1 }), [{ start: 0, end: 1, id: stored.id }]);
});

test('forgetting removes a fetch, its problems and the batch left with nothing; ids are never given again, even after a reopen', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const store = await openStore({ cacheDir });
  const [first, second] = await smallFetches(store, 2, 3);
  const firstBatch = itemAt(await store.catalogue.batchFilesOf([first!]), 0);
  await store.catalogue.forget([first!]);
  assert.deepEqual(await store.catalogue.batchFilesOf([first!]), []);
  assert.equal(existsSync(firstBatch), false, 'a batch of forgotten members only is removed');
  assert.equal((await rowsOf(store, [second!], EVERY_EVENT)).length, 3);
  const next = await store.catalogue.reserveIds(1);
  assert.ok(next > second!, `id ${next} after ${second}`);
  store.close();
  const again = await openStore({ cacheDir });
  assert.ok((await again.catalogue.reserveIds(1)) > next, 'a reserved id is not given again after a reopen');
});

test('many small batches are merged into one: every answer the same, the old files gone once the store closes', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const store = await openStore({ cacheDir });
  const ids = await smallFetches(store, 40, 5);
  const before = await rowsOf(store, ids, EVERY_EVENT);
  const counts = 'SELECT eventName, count(*) FROM cloudtrail_logs GROUP BY eventName ORDER BY eventName';
  const countsBefore = await rowsOf(store, ids, counts);
  const oldFiles = await store.catalogue.batchFilesOf(ids);
  assert.equal(oldFiles.length, 40);

  const plan = await store.catalogue.compactionPlan();
  assert.deepEqual(
    plan.groups.map((g) => g.length),
    [40],
  );
  const done = await store.catalogue.compact(plan);
  assert.deepEqual(done, { batchesBefore: 40, batchesAfter: 1, deadRowsDropped: 0 });
  assert.equal((await store.catalogue.batchFilesOf(ids)).length, 1);
  assert.deepEqual(await rowsOf(store, ids, EVERY_EVENT), before);
  assert.deepEqual(await rowsOf(store, ids, counts), countsBefore);
  // A scope handed out before compaction still reads its files until the store closes.
  const earlier = await runQuery(store, { fileIds: ids, batchFiles: oldFiles, window: ALL_TIME }, EVERY_EVENT);
  assert.deepEqual(earlier.rows, before);
  assert.deepEqual((await store.catalogue.compactionPlan()).groups, [], 'nothing left to do');

  store.close();
  assert.ok(
    oldFiles.every((path) => !existsSync(path)),
    'replaced files are removed at close',
  );
  const reopened = await openStore({ cacheDir });
  assert.deepEqual(await rowsOf(reopened, ids, EVERY_EVENT), before);
  assert.equal(eventsFiles(reopened).length, 1);
});

test("a changed log file's dead rows in a shared batch are dropped by compaction; answers stay the same", async () => {
  const logs = tempDir();
  const write = (name: string, times: readonly string[], eventName: string): void =>
    writeFileSync(join(logs, name), JSON.stringify({ Records: times.map((t) => cloudTrailRecord(t, { eventName })) }));
  write('a.json', ['2024-07-01T00:00:01Z', '2024-07-01T00:00:02Z'], 'Kept');
  write('b.json', ['2024-07-01T00:00:03Z', '2024-07-01T00:00:04Z'], 'Old');
  write('c.json', ['2024-07-01T00:00:05Z'], 'Kept');
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const first = await scanLocalLogs(store, logs, ALL_TIME);
  assert.equal(first.ingest.batchFiles.length, 1, 'the three files share one batch');
  const shared = itemAt(first.ingest.batchFiles, 0);

  write('b.json', ['2024-07-01T00:00:06Z'], 'New');
  utimesSync(join(logs, 'b.json'), new Date(), new Date(Date.now() + 5000));
  const second = await scanLocalLogs(store, logs, ALL_TIME);
  assert.equal(second.ingest.filesParsed, 1);
  const answer = async (): Promise<unknown[][]> => {
    const { ingest } = await scanLocalLogs(store, logs, ALL_TIME);
    return (
      await runQuery(
        store,
        { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME },
        'SELECT eventName, eventTime FROM cloudtrail_logs ORDER BY eventTime',
      )
    ).rows;
  };
  const before = await answer();
  assert.deepEqual(
    before.map(([name]) => name),
    ['Kept', 'Kept', 'Kept', 'New'],
  );
  const rowsIn = async (paths: readonly string[]): Promise<number> =>
    Number(
      itemAt(
        (await store.writer.runAndReadAll(`SELECT count(*) FROM read_parquet([${paths.map((p) => `'${p}'`).join(', ')}])`)).getRowsJS(),
        0,
      )[0],
    );
  assert.equal(await rowsIn([shared]), 5, 'the old events of b.json are still in the shared batch');

  const plan = await store.catalogue.compactionPlan();
  assert.equal(plan.deadRows, 2);
  await store.catalogue.compact(plan);
  assert.deepEqual(await answer(), before);
  const { ingest } = await scanLocalLogs(store, logs, ALL_TIME);
  assert.equal(await rowsIn(ingest.batchFiles), 4, 'no dead row is left in any batch');
  assert.deepEqual(ingest.problems, []);
});

test('a crash between writing a merged file and committing it leaves nothing counted: the next open removes the file', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const store = await openStore({ cacheDir });
  const ids = await smallFetches(store, 3, 4);
  const before = await rowsOf(store, ids, EVERY_EVENT);
  const filesBefore = eventsFiles(store);
  const group = itemAt(
    (await store.catalogue.compactionPlan({ smallBatchRows: 100, smallBatchesToMerge: 2, deadShare: 0.25, mergedBatchRows: 1000 })).groups,
    0,
  );
  assert.equal(group.length, 3);
  const merged = store.catalogue.reserveBatch();
  await writeCompacted(
    store.writer,
    group,
    group.map((id) => store.catalogue.batchPath(id)),
    merged.parquet,
  );
  assert.ok(existsSync(merged.parquet));
  // The process dies here: no commit.
  store.close();

  const reopened = await openStore({ cacheDir });
  assert.deepEqual(eventsFiles(reopened), filesBefore, 'the uncommitted file is gone, the batches it would have replaced are not');
  assert.deepEqual(await rowsOf(reopened, ids, EVERY_EVENT), before);
  // Its id may be given again, to a batch that is then committed whole.
  await reopened.catalogue.compact(
    await reopened.catalogue.compactionPlan({ smallBatchRows: 100, smallBatchesToMerge: 2, deadShare: 0.25, mergedBatchRows: 1000 }),
  );
  assert.deepEqual(await rowsOf(reopened, ids, EVERY_EVENT), before);
});

test('a run tidies the store first: enough small batches are merged before it reads them', async () => {
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const ids = await smallFetches(store, 33, 2);
  // Kept: a fetch never kept is forgotten by the same tidying (the run that made it is over).
  await store.catalogue.keepFetches(ids);
  const before = await rowsOf(store, ids, EVERY_EVENT);
  const tidied = await store.catalogue.tidy();
  assert.deepEqual(tidied.compacted, { batchesBefore: 33, batchesAfter: 1, deadRowsDropped: 0 });
  assert.deepEqual(await rowsOf(store, ids, EVERY_EVENT), before);
  assert.deepEqual((await store.catalogue.tidy()).compacted, undefined, 'one small batch is not worth a rewrite');
});

test('the catalogue gives back every file as recorded, whatever its path holds, past 65,536 files', async () => {
  const store = await openStore({ cacheDir: tempDir() });
  const awkward = [
    '/logs/a,b.json',
    '/logs/new\nline.json',
    '/logs/tab\there.json',
    '/logs/quote\'"s.json',
    '/logs/ünï código.json.gz',
    '/logs/ .json',
  ];
  const many = Array.from({ length: 70_000 }, (_, i) => `/logs/many/${i}.json.gz`);
  const paths = [...awkward, ...many];
  const ids = await store.catalogue.reserveIds(paths.length);
  // Recorded as files with no batch, in one statement (addUnreadable writes a problem each).
  await store.catalogue.addBatch(
    { files: paths.map((path, i) => ({ id: ids + i, path, size: i * 7, mtimeMs: 1_700_000_000_000 + i, format: 'records' })) },
    undefined,
  );
  const known = await store.catalogue.knownFiles();
  assert.equal(known.size, paths.length);
  paths.forEach((path, i) => assert.deepEqual(known.get(path), { id: ids + i, size: i * 7, mtimeMs: 1_700_000_000_000 + i }, path));
});

test('the catalogue answers knownFiles from memory until its next write, and every write is seen', async () => {
  const store = await openStore({ cacheDir: tempDir() });
  const logs = tempDir();
  writeFileSync(join(logs, 'a.json'), JSON.stringify({ Records: [cloudTrailRecord('2024-07-31T13:00:00Z')] }));
  await scanLocalLogs(store, logs, ALL_TIME);
  const first = await store.catalogue.knownFiles();
  assert.deepEqual([...first.keys()], [join(logs, 'a.json')]);
  assert.equal(await store.catalogue.knownFiles(), first, 'nothing written: the same answer');
  // Every run tidies first (a new run for each of the editor's cells): with nothing to forget or merge, it writes nothing.
  assert.deepEqual(await store.catalogue.tidy(), {});
  assert.equal(await store.catalogue.knownFiles(), first, 'a tidy that changed nothing: the same answer');

  const id = await store.catalogue.reserveIds(1);
  await store.catalogue.addUnreadable([{ file: { id, path: '/elsewhere/b.json', size: 1, mtimeMs: 1 }, problem: { message: 'x' } }]);
  assert.deepEqual([...(await store.catalogue.knownFiles()).keys()].sort(), ['/elsewhere/b.json', join(logs, 'a.json')].sort());

  await store.catalogue.forget([first.get(join(logs, 'a.json'))!.id]);
  assert.deepEqual([...(await store.catalogue.knownFiles()).keys()], ['/elsewhere/b.json']);

  writeFileSync(join(logs, 'c.json'), JSON.stringify({ Records: [cloudTrailRecord('2024-07-31T13:01:00Z')] }));
  await scanLocalLogs(store, logs, ALL_TIME);
  assert.deepEqual([...(await store.catalogue.knownFiles()).keys()].sort(), [
    '/elsewhere/b.json',
    join(logs, 'a.json'),
    join(logs, 'c.json'),
  ]);
});

/** Counts the catalogue's reads of its files (knownFiles' query) on the store's connection. */
function countFileReads(store: EventStore): { count: number } {
  const reads = { count: 0 };
  const connection = store.writer as unknown as { runAndReadAll: (sql: string, ...rest: unknown[]) => Promise<unknown> };
  const original = connection.runAndReadAll.bind(connection);
  connection.runAndReadAll = (sql, ...rest) => {
    if (/string_agg\(.*FROM store\.files/s.test(sql)) reads.count += 1;
    return original(sql, ...rest);
  };
  return reads;
}

test('the files remembered follow the writes that add or forget files, so a scan leaves nothing to read again', async () => {
  const store = await openStore({ cacheDir: tempDir() });
  const logs = tempDir();
  const reads = countFileReads(store);
  /** What is remembered equals the catalogue's rows, and came without reading them. */
  const remembered = async (what: string): Promise<ReadonlyMap<string, KnownFile>> => {
    const before = reads.count;
    const known = await store.catalogue.knownFiles();
    assert.equal(reads.count, before, `${what}: answered from memory`);
    assert.deepEqual(new Map(known), await knownFiles(store.writer), `${what}: the catalogue's rows`);
    return known;
  };
  const record = (minute: number): string => JSON.stringify({ Records: [cloudTrailRecord(`2024-07-31T13:0${minute}:00Z`)] });
  writeFileSync(join(logs, 'a.json'), record(0));
  writeFileSync(join(logs, 'b.json'), record(1));
  writeFileSync(join(logs, 'broken.json'), '{"Records": [');
  assert.equal((await store.catalogue.knownFiles()).size, 0);
  assert.equal(reads.count, 1);

  await scanLocalLogs(store, logs, ALL_TIME);
  const scanned = await remembered('after a cold scan (commits and an unreadable file)');
  assert.deepEqual([...scanned.keys()].sort(), ['a.json', 'b.json', 'broken.json'].map((name) => join(logs, name)).sort());

  // Fetches stored, then forgotten unkept by a tidy: the files are untouched and still remembered.
  await smallFetches(store, 2, 3);
  assert.equal((await store.catalogue.tidy()).compacted, undefined);
  await remembered('after fetches stored and forgotten');

  writeFileSync(join(logs, 'c.json'), record(3));
  await scanLocalLogs(store, logs, ALL_TIME);
  assert.ok((await remembered('after a new file')).has(join(logs, 'c.json')));

  // A changed file: its old row forgotten, a new one committed under a new id.
  const scannedAsHandedOut = new Map(scanned);
  writeFileSync(join(logs, 'a.json'), `${record(2)}\n`);
  utimesSync(join(logs, 'a.json'), new Date(), new Date(Date.now() + 60_000));
  await scanLocalLogs(store, logs, ALL_TIME);
  const changed = await remembered('after a changed file');
  assert.notEqual(changed.get(join(logs, 'a.json'))!.id, scanned.get(join(logs, 'a.json'))!.id);
  assert.deepEqual(new Map(scanned), scannedAsHandedOut, 'a map handed out before is not changed by later writes');

  await store.catalogue.forget([changed.get(join(logs, 'b.json'))!.id]);
  assert.ok(!(await remembered('after a file forgotten')).has(join(logs, 'b.json')));

  // Compaction is not followed: the files are read again, once.
  const plan = await store.catalogue.compactionPlan({ ...DEFAULT_COMPACTION, smallBatchesToMerge: 2 });
  assert.equal(plan.groups.length, 1, 'the last two scans left two small batches');
  await store.catalogue.compact(plan);
  const before = reads.count;
  assert.deepEqual(new Map(await store.catalogue.knownFiles()), await knownFiles(store.writer));
  assert.equal(reads.count, before + 2, 'read again after compaction (and once by the check)');
});
