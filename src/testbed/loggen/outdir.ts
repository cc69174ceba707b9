// Safe output for the CLI: never write into a folder the user owns, and replace a
// previous generated trail in one step. The new trail is built in DIR.tmp-…, next to
// DIR (same file system, so rename is cheap), then swapped in; a failed run leaves the
// old trail untouched.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, readManifest } from './manifest';

export class UnsafeOutputError extends Error {}

export interface StagedOutput {
  /** Where to generate. */
  tmp: string;
  /** Moves the generated trail into place (replacing a previous generated one). */
  commit(): Promise<void>;
  /** Removes the staging folder. */
  abort(): Promise<void>;
}

async function entries(dir: string): Promise<string[] | undefined> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new UnsafeOutputError(`${dir} exists and is not a directory`);
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function stageOutput(target: string): Promise<StagedOutput> {
  const dir = resolve(target);
  const existing = await entries(dir);
  if (existing && existing.length > 0 && !(await readManifest(dir))) {
    throw new UnsafeOutputError(
      `${dir} is not empty and was not written by the generator (no ${MANIFEST_FILE} from it); refusing to overwrite it`,
    );
  }
  await mkdir(dirname(dir), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const tmp = join(dirname(dir), `${basename(dir)}.tmp-${suffix}`);
  return {
    tmp,
    async commit() {
      const now = await entries(dir);
      if (now === undefined) {
        await rename(tmp, dir);
        return;
      }
      // Check again: the folder may have changed while the trail was being generated.
      if (now.length > 0 && !(await readManifest(dir))) {
        throw new UnsafeOutputError(`${dir} changed during generation and is no longer a generated trail; the new trail is left in ${tmp}`);
      }
      const old = join(dirname(dir), `${basename(dir)}.old-${suffix}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    },
    async abort() {
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
