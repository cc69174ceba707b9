import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$TRAILBOOK_CACHE_DIR`, else the XDG cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRAILBOOK_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trailbook');
}

/** One cache folder per log folder, so unrelated investigations never share state. */
export function cacheDirFor(cacheDir: string, logsPath: string): string {
  const key = createHash('sha256').update(resolve(logsPath)).digest('hex').slice(0, 16);
  return join(cacheDir, `local-${key}`);
}
