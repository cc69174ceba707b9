// File names are not patterns. DuckDB's reader takes `*`, `?` and `[...]` in a path for a
// glob: `a[1].json.gz` read as it was named would read `a1.json.gz` (twice, with its own
// entry) and never itself. Every file is read once, as itself, under its own name.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sqlString } from '../../src/engine/sqlText';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { runQuery } from '../../src/engine/query';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { ingestLogFiles } from '../../src/sources/local/ingest';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';

const record = (eventID: string): Record<string, unknown> => ({
  eventVersion: '1.09',
  eventTime: '2024-07-31T13:00:00Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListUsers',
  awsRegion: 'us-east-1',
  eventID,
});

/** Folders and files whose names are globs that match their neighbours. */
const NAMES = [
  'a[1].json.gz',
  'a1.json.gz',
  'e*.json.gz',
  'ex.json.gz',
  'q?.json.gz',
  'qq.json.gz',
  'b[!x].json',
  'by.json',
  '[c]/d.json.gz',
  'c/d.json.gz',
  '**/f.json.gz',
  'g/f.json.gz',
];

async function eventsByFile(dir: string): Promise<Map<string, string[]>> {
  const store = await openStore();
  const readAgain: string[] = [];
  const files = (await discoverLogFiles(dir, ALL_TIME)).files;
  const ingest = await ingestLogFiles(store, files, { onReadAgainAlone: (paths, why) => readAgain.push(`${paths.join(', ')}: ${why}`) });
  assert.deepEqual(ingest.problems, []);
  assert.deepEqual(readAgain, [], 'every batch read at once, none file by file');
  const pathOf = new Map([...(await store.catalogue.knownFiles())].map(([path, file]) => [file.id, path.slice(dir.length + 1)]));
  const rows = (
    await store.writer.runAndReadAll(
      `SELECT _file, eventID FROM read_parquet([${ingest.batchFiles.map(sqlString).join(', ')}]) ORDER BY eventID`,
    )
  ).getRowsJS() as [number, string][];
  const byFile = new Map<string, string[]>();
  for (const [id, eventID] of rows) byFile.set(pathOf.get(id)!, [...(byFile.get(pathOf.get(id)!) ?? []), eventID]);
  return byFile;
}

for (const [how, count] of [
  ['as they are', 1],
  ['from packs (many small files)', 9],
] as const) {
  test(`names with glob characters are read as themselves, once (${how})`, async () => {
    const dir = tempDir();
    const expected = new Map<string, string[]>();
    for (const name of NAMES) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      // A file of several names (from packs): the same events under `name` and `name`'s copies.
      for (let copy = 0; copy < count; copy++) {
        const file = copy === 0 ? name : name.replace(/(\.json(\.gz)?)$/, `-${copy}$1`);
        const events = [record(`${file}#0`), record(`${file}#1`)];
        const text = name.endsWith('.gz') ? gzipSync(JSON.stringify({ Records: events })) : JSON.stringify(events);
        writeFileSync(join(dir, file), text);
        expected.set(file, [`${file}#0`, `${file}#1`]);
      }
    }
    const byFile = await eventsByFile(dir);
    assert.deepEqual(new Map([...byFile].sort()), new Map([...expected].sort()));
  });
}

test('a log folder and a cache folder whose own names are globs: each file read once, the cache read back', async () => {
  const dir = tempDir();
  const root = join(dir, 'trail[1]');
  const expected: string[] = [];
  for (const folder of [root, join(dir, 'trail1')]) {
    mkdirSync(folder);
    const ids = (file: string, count: number): string[] =>
      Array.from({ length: count }, (_, i) => `${folder}/${file}#${i}-${randomUUID()}`);
    // Ten small files, read from packs, and one too large to pack, read by DuckDB where it is.
    for (const [file, count] of [...Array.from({ length: 10 }, (_, i) => [`f${i}.json.gz`, 1] as const), ['big.json.gz', 1500] as const]) {
      const events = ids(file, count);
      writeFileSync(join(folder, file), gzipSync(JSON.stringify({ Records: events.map(record) })));
      if (folder === root) expected.push(...events);
    }
  }
  const store = await openStore({ cacheDir: join(dir, 'cache[*]') });
  const readAgain: string[] = [];
  for (const run of ['cold', 'warm']) {
    const { ingest } = await scanLocalLogs(store, root, ALL_TIME, { onReadAgainAlone: (paths) => readAgain.push(...paths) });
    assert.deepEqual(readAgain, [], 'every batch read at once, none file by file');
    assert.deepEqual(ingest.problems, [], run);
    const rows = (
      await runQuery(
        store,
        { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME },
        'SELECT eventID FROM cloudtrail_logs ORDER BY eventID',
      )
    ).rows;
    assert.deepEqual(
      rows.map(([id]) => id),
      [...expected].sort(),
      run,
    );
  }
});
