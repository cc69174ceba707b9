// How a cold scan hands its files to the ingest worker (src/sources/local/ingest.ts): past a
// few megabytes, in at least two batches, so that the two in flight (one DuckDB thread each)
// keep both cores busy; and a batch that runs out of memory beside another is read again
// alone, which needs DuckDB's out-of-memory error told from a file's fault. Real DuckDB, real
// files, the real worker.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { ingestLogFiles, isOutOfMemory } from '../../src/sources/local/ingest';
import { generateTrail } from '../../src/testbed/loggen';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';

test('a scan of more than 4 MB of logs is read in at least two batches, every event once', async () => {
  const trail = join(tempDir(), 'trail');
  // Level 1 and a single day: files of about 10 KB, so that 600 of them pass 4 MB.
  await generateTrail({ outDir: trail, events: 40_000, seed: 7, days: 1, gzipLevel: 1 });
  const files = (await discoverLogFiles(trail, ALL_TIME)).files.slice(0, 600);
  const bytes = files.reduce((sum, file) => sum + statSync(file.path).size, 0);
  assert.ok(bytes > 4 * 1024 * 1024, `the files must pass 4 MB: ${bytes} bytes`);
  assert.ok(bytes < 48 * 1024 * 1024 && files.length < 1000, 'few enough for one batch by the size and count limits alone');
  const events = files.reduce(
    (sum, file) => sum + (JSON.parse(gunzipSync(readFileSync(file.path)).toString()) as { Records: unknown[] }).Records.length,
    0,
  );
  const store = await openStore({ cacheDir: tempDir() });
  const ingest = await ingestLogFiles(store, files);
  assert.ok(ingest.batchFiles.length >= 2, `${ingest.batchFiles.length} batch(es) for ${files.length} files`);
  assert.equal(ingest.eventsParsed, events);
  assert.deepEqual(ingest.problems, []);
  const [[stored]] = (
    await store.writer.runAndReadAll(
      `SELECT count(DISTINCT (_file, _record))::INTEGER FROM read_parquet([${ingest.batchFiles.map((f) => `'${f}'`).join(', ')}])`,
    )
  ).getRowsJS() as [[number]];
  assert.equal(stored, events, 'every event stored once');
});

test('DuckDB’s out-of-memory error is told from a file’s fault (a batch that meets it beside another is read again alone)', async () => {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '8MB', threads: '1' });
  const db = await instance.connect();
  const error = await db.run('SELECT count(*) FROM (SELECT i % 1000000 AS k, list(i) AS l FROM range(5000000) t(i) GROUP BY k)').then(
    () => undefined,
    (caught: Error) => caught,
  );
  db.closeSync();
  instance.closeSync();
  assert.ok(error, 'the statement must run out of 8 MB');
  assert.ok(isOutOfMemory(error.message), error.message);
  // What the reader says of a bad file is not taken for it.
  for (const message of [
    'Invalid Input Error: Malformed JSON in file "a.json", at byte 12 in record/value 1: unexpected character.',
    'IO Error: No files found that match the pattern "b.json"',
    'Conversion Error: Could not convert string "Out of Memory Error" to INT32',
  ])
    assert.equal(isOutOfMemory(message), false, message);
});
