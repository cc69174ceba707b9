// The listing's paths are what path.join makes of the log path given and each name under
// it, however the log path is written: they are the cache's keys, so a path written another
// way must not make the cache see new files.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { discoverLogFiles } from '../../src/sources/local/discover';
import { tempDir } from '../support/tempDir';

test('paths under a log path written with a trailing slash, ./, a doubled slash or .. are the joined ones', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'trail', 'us-east-1'), { recursive: true });
  writeFileSync(join(dir, 'trail', 'a.json'), '[]');
  writeFileSync(join(dir, 'trail', 'us-east-1', 'b.json'), '[]');
  const fromHere = relative(process.cwd(), dir);
  for (const given of [
    join(dir, 'trail'),
    `${join(dir, 'trail')}/`,
    `${dir}//trail`,
    `${dir}/trail/us-east-1/..`,
    `./${fromHere}/trail`,
    `${fromHere}/./trail/`,
  ]) {
    const { files } = await discoverLogFiles(given, ALL_TIME);
    assert.deepEqual(
      files.map((f) => f.path),
      [join(given, 'a.json'), join(given, 'us-east-1', 'b.json')],
      given,
    );
  }
});
