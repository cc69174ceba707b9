// statFiles: what statSync says of each path, in the order given, whether a thread took
// half of them or not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { statFiles, type FileFacts } from '../../src/sources/local/statFiles';
import { tempDir } from '../support/tempDir';

function aFolder(): string[] {
  const dir = tempDir();
  const paths: string[] = [];
  for (let i = 0; i < 9; i++) {
    const path = join(dir, `f${i}.json`);
    writeFileSync(path, 'x'.repeat(i * 7));
    // A time with a fraction of a millisecond, which both ways must cut alike.
    utimesSync(path, 1_700_000_000.123456 + i, 1_700_000_000.987654 + i);
    paths.push(path);
  }
  spawnSync('mkfifo', [join(dir, 'pipe.json')]);
  // In the second half, which the thread takes: a pipe, a file that is not there, a folder.
  paths.splice(6, 0, join(dir, 'pipe.json'), join(dir, 'gone.json'), dir);
  return paths;
}

function expected(path: string): FileFacts | string {
  try {
    const info = statSync(path);
    return { size: info.size, mtimeMs: Math.trunc(info.mtimeMs), mode: info.mode };
  } catch (error) {
    return (error as NodeJS.ErrnoException).code!;
  }
}

test('two threads stat a half each: the same facts, order and failures as this thread alone', async () => {
  const paths = aFolder();
  const onTwo = await statFiles(paths, 2);
  const onOne = await statFiles(paths, paths.length + 1);
  assert.deepEqual(onTwo, paths.map(expected));
  assert.deepEqual(onOne, onTwo);
  assert.equal(onTwo[7], 'ENOENT');
  assert.equal((onTwo[6] as FileFacts).mode & constants.S_IFMT, constants.S_IFIFO);
  assert.equal((onTwo[8] as FileFacts).mode & constants.S_IFMT, constants.S_IFDIR);
  assert.equal((onTwo[3] as FileFacts).size, 21);
});

test('nothing to stat starts no thread and gives no facts', async () => {
  assert.deepEqual(await statFiles([], 0), []);
});
