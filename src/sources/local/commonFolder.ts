// The folder the ingest worker may read: the deepest one holding every log file it is given.
// It is the worker's sandbox (lockedDuckDB.ts), so it must be exactly the files' common
// ancestor: never wider than needed, never missing one.
import { dirname, resolve, sep } from 'node:path';

/** The one folder that holds every path (its deepest common ancestor), as the worker's allowed folder. */
export function commonFolders(paths: readonly string[]): string[] {
  // No paths, no folder: the worker may read nothing.
  if (paths.length === 0) return [];
  let common: string[] | undefined;
  for (const folder of foldersOf(paths)) {
    const parts = folder.split(sep);
    if (!common) {
      common = parts;
      continue;
    }
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i += 1;
    common = common.slice(0, i);
  }
  return [common!.join(sep) || sep];
}

/**
 * Each path's folder as `dirname(resolve(path))`, worked out once for the paths that share all
 * but a plain last name (146,305 paths, one at a time, took 0.28 s; a trail has a few hundred
 * folders). The text before the last `/` or `\` is the key: a name after it holds neither, so
 * on every platform such paths share their folder, unless the name is `.`, `..` or empty.
 */
function foldersOf(paths: readonly string[]): Set<string> {
  const folders = new Set<string>();
  const done = new Set<string>();
  // Indexed: run a few times a scan over every path, before V8 optimises it.
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
    const name = path.slice(cut);
    if (name === '' || name === '.' || name === '..') {
      folders.add(dirname(resolve(path)));
      continue;
    }
    const before = path.slice(0, cut);
    if (done.has(before)) continue;
    done.add(before);
    folders.add(dirname(resolve(path)));
  }
  return folders;
}
