// How a scan's progress reads: files and bytes of those to read, and the time left at the
// rate so far once there is a rate to go on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanProgressText } from '../../src/sources/local/scanProgress';

const MB = 1024 * 1024;

test('files and bytes, then the time left at the rate so far', () => {
  assert.equal(
    scanProgressText('answering from the logs', {
      filesDone: 0,
      filesTotal: 8147,
      bytesDone: 0,
      bytesTotal: 169 * MB,
      events: 0,
      elapsedMs: 0,
    }),
    'answering from the logs: read 0/8,147 files (0/169 MB)',
  );
  // 42 of 169 MB in 3 s: 127 MB left at 14 MB/s is about 9.1 s, said in whole seconds.
  assert.equal(
    scanProgressText('writing the cache', {
      filesDone: 2000,
      filesTotal: 8147,
      bytesDone: 42 * MB,
      bytesTotal: 169 * MB,
      events: 250_000,
      elapsedMs: 3000,
    }),
    'writing the cache: read 2,000/8,147 files (42/169 MB), 250,000 events, about 10 s left',
  );
});

test('no estimate from too little (under 3% read, or under half a second) nor once done', () => {
  const p = { filesDone: 10, filesTotal: 8147, bytesDone: 2 * MB, bytesTotal: 169 * MB, events: 0, elapsedMs: 4000 };
  assert.doesNotMatch(scanProgressText('parsing', p), /left/);
  assert.doesNotMatch(scanProgressText('parsing', { ...p, bytesDone: 100 * MB, elapsedMs: 200 }), /left/);
  assert.doesNotMatch(scanProgressText('parsing', { ...p, filesDone: 8147, bytesDone: 169 * MB }), /left/);
  assert.equal(
    scanProgressText('parsing', { ...p, bytesDone: 512 * 1024, bytesTotal: 3 * MB }),
    'parsing: read 10/8,147 files (0.5/3 MB), about 20 s left',
  );
});
