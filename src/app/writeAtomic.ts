import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes `chunks` through a temporary file and a rename, as they come (a whole kept result is
 * never one string): a reader sees the old file or the complete new one, never half of it.
 */
export async function writeChunksAtomic(path: string, chunks: AsyncIterable<string>): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await pipeline(Readable.from(chunks), createWriteStream(temporary));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
