// The ingest worker's sandbox is the deepest folder holding every file it is given
// (sources/local/commonFolder.ts). It works each folder out once for paths that share all but
// their last name: it must give what working out every path does, for paths of every shape.
import assert from 'node:assert/strict';
import { dirname, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { commonFolders } from '../../src/sources/local/commonFolder';

/** The plain definition: each path resolved, its folder split, the common start kept. */
function plainCommonFolder(paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  const split = (path: string): string[] => dirname(resolve(path)).split(sep);
  let common = split(paths[0]!);
  for (const path of paths.slice(1)) {
    const parts = split(path);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i += 1;
    common = common.slice(0, i);
  }
  return [common.join(sep) || sep];
}

test('the same folder as resolving every path, for paths of every shape', () => {
  const sets: string[][] = [
    [],
    ['/logs/a.json'],
    ['/logs/2024/01/a.json', '/logs/2024/01/b.json', '/logs/2024/02/c.json'],
    ['/logs/ab/x.json', '/logs/ac/y.json'],
    ['/logs/a/x.json', '/logs/a/../b/y.json'],
    ['/logs/a/x.json', '/logs/a/b/..', '/logs/a/c/.'],
    ['/logs/a/b/x.json', '/logs/a/b/..', '/logs/a/b/.'],
    ['/logs/a/x.json', '/logs/a/b/'],
    ['/logs/a\\b.json', '/logs/a\\c.json', '/logs/d.json'],
    ['/logs//a/x.json', '/logs/./a/y.json'],
    ['relative/a.json', 'relative/sub/b.json'],
    ['/x.json', '/logs/y.json'],
    ['/logs/a/x.json', '/other/y.json'],
  ];
  for (const paths of sets) assert.deepEqual(commonFolders(paths), plainCommonFolder(paths), JSON.stringify(paths));
  // Many paths over a few folders, as a trail has them.
  const trail = Array.from(
    { length: 3000 },
    (_, i) => `/logs/AWSLogs/1/CloudTrail/r${i % 7}/2024/01/${String(i % 28).padStart(2, '0')}/f${i}.json.gz`,
  );
  assert.deepEqual(commonFolders(trail), ['/logs/AWSLogs/1/CloudTrail']);
  assert.deepEqual(
    commonFolders([...trail, '/logs/AWSLogs/1/CloudTrail/r0/..']),
    plainCommonFolder([...trail, '/logs/AWSLogs/1/CloudTrail/r0/..']),
  );
});
