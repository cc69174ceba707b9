// Small gzip log files are read from packs (src/sources/local/packedLogs.ts): their bytes
// copied into one scratch file between markers of the worker's own. A pack must store
// exactly what reading the files one by one stores, and a file must not be able to use the
// packing to add events under another file's name, to hide another file's events, or to
// have its own dropped. Real DuckDB, real files, the real worker.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../src/engine/sqlText';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { writeBulkBatch } from '../../src/sources/local/batchWrite';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { ingestLogFiles } from '../../src/sources/local/ingest';
import { PACK_MAX_BYTES, PACK_MAX_FILE_BYTES, PACK_MIN_FILES, packSmallLogs, removePack } from '../../src/sources/local/packedLogs';
import { generateTrail } from '../../src/testbed/loggen';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';

async function duck(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  return instance.connect();
}

/** Every stored row, as JSON text, sorted: what a batch holds, to compare two batches. */
async function rowsOf(db: DuckDBConnection, parquet: string): Promise<string[]> {
  const reader = await db.runAndReadAll(
    `SELECT to_json(b)::VARCHAR FROM read_parquet(${sqlString(parquet)}) AS b ORDER BY _file, _record, eventID`,
  );
  return reader.getRowsJS().map(([row]) => row as string);
}

/** A folder of `count` CloudTrail-named gzip files of `perFile` records each; eventIDs say file and record. */
function smallFiles(count: number, perFile: number): string {
  const dir = join(tempDir(), 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '07', '31');
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < count; f++) {
    const records = Array.from({ length: perFile }, (_, r) =>
      cloudTrailRecord(`2024-07-31T13:${String(f % 60).padStart(2, '0')}:${String(r % 60).padStart(2, '0')}Z`, {
        eventID: `file-${f}-record-${r}`,
      }),
    );
    writeFileSync(join(dir, name(f)), gzipSync(JSON.stringify({ Records: records })));
  }
  return dir;
}

const name = (f: number): string =>
  `111122223333_CloudTrail_us-east-1_20240731T13${String(f % 60).padStart(2, '0')}Z_f${String(f).padStart(4, '0')}.json.gz`;

/**
 * eventIDs by the path of the file they are stored under, after a whole scan of `dir`. In
 * record order, then eventID: a file of two JSON values numbers each value's records from 1.
 */
async function eventsByFile(dir: string): Promise<{ byFile: Map<string, string[]>; problems: string[] }> {
  const store = await openStore({ cacheDir: tempDir() });
  const files = (await discoverLogFiles(dir, ALL_TIME)).files;
  const ingest = await ingestLogFiles(store, files);
  const known = await store.catalogue.knownFiles();
  const pathOf = new Map([...known].map(([path, file]) => [file.id, path]));
  const byFile = new Map<string, string[]>();
  if (ingest.batchFiles.length > 0) {
    const rows = (
      await store.writer.runAndReadAll(
        `SELECT _file, eventID FROM read_parquet([${ingest.batchFiles.map(sqlString).join(', ')}]) ORDER BY _file, _record, eventID`,
      )
    ).getRowsJS() as [number, string][];
    for (const [id, eventID] of rows) {
      const path = pathOf.get(id)!;
      byFile.set(path, [...(byFile.get(path) ?? []), eventID]);
    }
  }
  return { byFile, problems: ingest.problems.map((p) => `${p.path}: ${p.message}`) };
}

test('a batch read from a pack stores exactly what reading its files one by one stores', async () => {
  const dir = smallFiles(40, 3);
  const files = readdirSync(dir).map((file, id) => ({ id: id + 1, path: join(dir, file) }));
  const scratch = tempDir();
  const db = await duck();
  const packed = join(tempDir(), 'packed.parquet');
  const asTheyAre = join(tempDir(), 'as-they-are.parquet');
  await writeBulkBatch(db, files, 'records', packed, scratch);
  await writeBulkBatch(db, files, 'records', asTheyAre);
  const rows = await rowsOf(db, packed);
  assert.equal(rows.length, 120);
  assert.deepEqual(rows, await rowsOf(db, asTheyAre));
  assert.deepEqual(readdirSync(scratch), [], 'the pack is removed once read');
});

test('a pack is made of small gzip files only; more than PACK_MAX_BYTES of them make several packs, read alike', async () => {
  const trail = join(tempDir(), 'trail');
  // Level 1: files of about 10 KB, so that 600 of them pass 4 MB.
  await generateTrail({ outDir: trail, events: 40_000, seed: 11, days: 1, gzipLevel: 1 });
  const files = (await discoverLogFiles(trail, ALL_TIME)).files.slice(0, 600).map((file, id) => ({ id: id + 1, path: file.path }));
  const plain = join(tempDir(), 'plain.json');
  writeFileSync(plain, JSON.stringify({ Records: [cloudTrailRecord('2024-07-31T13:00:00Z', { eventID: 'plain' })] }));
  const scratch = tempDir();
  const small = files.filter((file) => statSync(file.path).size <= PACK_MAX_FILE_BYTES);
  const packing = packSmallLogs([...files, { id: 9999, path: plain }], scratch);
  try {
    assert.ok(packing.pack, 'the small gzip files are packed');
    assert.ok(packing.pack.paths.length >= 2, `${packing.pack.paths.length} pack(s) for more than ${PACK_MAX_BYTES} bytes`);
    assert.ok(small.length > PACK_MIN_FILES && small.length < files.length, `${small.length} of ${files.length} files are small`);
    assert.deepEqual(packing.pack.files, small);
    assert.deepEqual(
      packing.asTheyAre.map((f) => f.path),
      [...files.filter((file) => !small.includes(file)).map((f) => f.path), plain],
      'a file too large, or not gzip, is read as it is',
    );
  } finally {
    removePack(packing.pack);
  }
  const db = await duck();
  const packed = join(tempDir(), 'packed.parquet');
  const asTheyAre = join(tempDir(), 'as-they-are.parquet');
  await writeBulkBatch(db, files, 'records', packed, scratch);
  await writeBulkBatch(db, files, 'records', asTheyAre);
  assert.deepEqual(await rowsOf(db, packed), await rowsOf(db, asTheyAre));
  assert.deepEqual(packSmallLogs(files.slice(0, PACK_MIN_FILES - 1), scratch).pack, undefined, 'too few files to pack');
  // A file listed larger than packs take is not opened to find out (its size as listed is taken).
  const listedLarge = small
    .slice(0, PACK_MIN_FILES + 1)
    .map((file, i): { id: number; path: string; size?: number } => (i === 0 ? { ...file, size: PACK_MAX_FILE_BYTES + 1 } : file));
  const sized = packSmallLogs(listedLarge, scratch);
  removePack(sized.pack);
  assert.deepEqual(
    sized.asTheyAre.map((f) => f.path),
    [listedLarge[0]!.path],
  );
  assert.equal(sized.pack?.files.length, PACK_MIN_FILES);
});

/**
 * Files whose text tries to end its value early and start one of its own (with markers
 * it guesses), or to run on into the next file's, each placed among honest files.
 */
const HOSTILE: Record<string, string> = {
  'a value of its own after the file': `{"Records":[]}]}\n{"_tb":"0:3","v":[{"Records":[{"eventID":"injected"}]}`,
  'a value of its own, with no markers': `{"Records":[]}]}\n{"v":[{"Records":[{"eventID":"injected"}]}`,
  'its end guessed': `{"Records":[{"eventID":"hostile-0"}]},{"_end":"0:3"}]}\n{"_tb":"0:3","v":[{"Records":[{"eventID":"injected"}]}`,
  'a list of its own after the file': `{"Records":[{"eventID":"hostile-0"}]}],"x":[{"Records":[{"eventID":"injected"}]}`,
  'an open string to take in what follows': `{"Records":[{"eventID":"hostile-0","x":"`,
  'an open object to take in what follows': `{"Records":[{"eventID":"hostile-0"}],"x":{"y":`,
  'markers of its own inside': `{"Records":[{"eventID":"hostile-0"}],"_tb":"0:3","_end":"0:3","v":[{"Records":[{"eventID":"injected"}]}]}`,
  'a second value': `{"Records":[{"eventID":"hostile-0"}]}\n{"Records":[{"eventID":"hostile-1"}]}`,
  'a marker after the value': `{"Records":[{"eventID":"hostile-0"}]},{"_end":"0:2"}`,
  'a key after the value': `{"Records":[{"eventID":"hostile-0"}]},"x":1`,
  'a value after the value': `{"Records":[{"eventID":"hostile-0"}]},1`,
  'an object after the value': `{"Records":[{"eventID":"hostile-0"}]},{"Records":[{"eventID":"hostile-1"}]}`,
  'null for its value': 'null',
  'an object without Records': '{"a":1}',
  'an empty object': '{}',
  'records under another name': '{"records":[{"eventID":"hostile-0"}]}',
  'Records that are null': '{"Records":null}',
  'Records that are not a list': '{"Records":{"eventID":"hostile-0"}}',
  'records that are not objects': '{"Records":["hostile-0",1]}',
  'a list for its value': '[{"eventID":"hostile-0"}]',
};

for (const [shape, text] of Object.entries(HOSTILE)) {
  test(`a packed file with ${shape} stores what it stores read alone, and nothing under another file's name`, async () => {
    const dir = smallFiles(20, 2);
    // Between honest files, in path order.
    const hostileName = name(10).replace('_f0010', '_f0010a');
    const hostile = join(dir, hostileName);
    writeFileSync(hostile, gzipSync(text));
    const alone = join(tempDir(), hostileName);
    writeFileSync(alone, gzipSync(text));

    const { byFile, problems } = await eventsByFile(dir);
    const read = await eventsByFile(alone);
    for (let f = 0; f < 20; f++)
      assert.deepEqual(byFile.get(join(dir, name(f))), [`file-${f}-record-0`, `file-${f}-record-1`], `file ${f}`);
    assert.deepEqual(byFile.get(hostile) ?? [], read.byFile.get(alone) ?? [], 'the hostile file stores what it stores alone');
    assert.equal(byFile.size, 20 + (read.byFile.size > 0 ? 1 : 0), 'events under no other file');
    assert.deepEqual(
      problems.map((p) => p.replace(hostile, 'FILE')),
      read.problems.map((p) => p.replace(alone, 'FILE')),
      'the same problems are told',
    );
  });
}
