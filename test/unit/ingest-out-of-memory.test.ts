// A batch that runs out of memory beside another batch is not its files' fault: the scan
// reads it again alone (src/sources/local/ingest.ts, ingestBatch), and only if it fails
// again are its files suspected. Real DuckDB, real files, the real worker, and a real
// out-of-memory error: the worker's memory limit is lowered until two batches at once do
// not fit and one does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { ingestLogFiles, isOutOfMemory } from '../../src/sources/local/ingest';
import { sqlString } from '../../src/engine/sqlText';
import { generateTrail } from '../../src/testbed/loggen';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';

/**
 * Where one batch fits and two at once do not. DuckDB's JSON reader reserves a buffer of
 * twice maximum_object_size (2 × 256 MB, see MAX_LOG_BYTES) for as long as a statement
 * scans, so two statements at once need more than 1,074 MB before they have read a byte.
 * Measured on this trail (half of it a batch), 2026-12-06: one batch alone needed 650–700 MB
 * (it failed at 650 MB, fitted at 700 MB); two at once ran out of memory at every limit up to
 * 1,200 MB and fitted at 1,300 MB. 900 MB leaves about a third either way.
 */
const LIMIT = '900MB';

test('a batch that runs out of memory beside another is read again alone: every event once, no file suspected', async () => {
  const trail = join(tempDir(), 'trail');
  // 40,000 events of one day: 1,114 small files, 10 MB of gzip, two batches of 557 files.
  const generated = await generateTrail({ outDir: trail, events: 40_000, seed: 7, days: 1, gzipLevel: 1 });
  const files = (await discoverLogFiles(trail, ALL_TIME)).files;
  assert.equal(files.length, generated.files);

  const readAgain: { paths: readonly string[]; why: string }[] = [];
  const store = await openStore({ cacheDir: tempDir() });
  const ingest = await ingestLogFiles(store, files, {
    workerMemoryLimit: LIMIT,
    onReadAgainAlone: (paths, why) => void readAgain.push({ paths, why }),
  });

  // The out-of-memory error happened, and its batch was read again, whole, alone.
  assert.ok(readAgain.length >= 1, `no batch was read again alone: none ran out of ${LIMIT} beside the other, or none was retried`);
  for (const { paths, why } of readAgain) {
    assert.ok(isOutOfMemory(why), why);
    assert.ok(paths.length >= Math.floor(files.length / 2), `${paths.length} of ${files.length} files read again: not a whole batch`);
  }
  // No file was suspected: each batch became one Parquet file (a batch split in halves, or a
  // file read record by record by the careful reader, writes Parquet files of its own), and
  // no file has a problem.
  assert.equal(ingest.batchFiles.length, 2, `${ingest.batchFiles.length} Parquet files for two batches`);
  assert.deepEqual(ingest.problems, []);
  // Every event stored exactly once.
  assert.equal(ingest.eventsParsed, generated.events);
  const [[rows, distinct]] = (
    await store.writer.runAndReadAll(
      `SELECT count(*)::INTEGER, count(DISTINCT (_file, _record))::INTEGER
       FROM read_parquet([${ingest.batchFiles.map(sqlString).join(', ')}])`,
    )
  ).getRowsJS() as [[number, number]];
  assert.equal(rows, generated.events, 'every event stored');
  assert.equal(distinct, generated.events, 'no event stored twice');
});
