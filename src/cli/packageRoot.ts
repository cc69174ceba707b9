import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of Trailbook's package.json, from the bundle (out/) or the sources (src/cli/). */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'trailbook') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find Trailbook's package.json above ${from}`);
  }
}
