// A search thread of valuePrefilter.ts: reads, inflates and searches whole log files, and
// answers for each whether it may hold a matching event. Synchronous on purpose: it is a
// thread of its own, and zlib's async API would hand a small file to the thread pool 16 KB
// at a time, with the search back on the main thread (one core did all the work, measured in
// docs/local-logs.md). Bundled as out/searchThread.js beside the CLI and the runtime.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import type { RequiredValues } from '../../engine/requiredValues';
import { searcher } from './textSearch';

export interface SearchSetup {
  readonly required: RequiredValues;
  /** The largest JSON text searched; a larger file is a candidate unsearched. */
  readonly maxBytes: number;
}

export interface FileToSearch {
  readonly path: string;
  readonly size: number;
}

const { required, maxBytes } = workerData as SearchSetup;
const search = searcher(required);

/** The file's JSON text as bytes (inflated if need be), or undefined when it cannot be had. */
function jsonText({ path, size }: FileToSearch): Buffer | undefined {
  // Compressed or not, a file this large holds more text than a search takes.
  if (size > maxBytes) return undefined;
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a file swapped for a FIFO since it was sniffed must not hang the search.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const raw = Buffer.allocUnsafe(stat.size);
    let read = 0;
    for (let n = 1; n > 0 && read < raw.length; read += n) n = readSync(fd, raw, read, raw.length - read, read);
    const bytes = raw.subarray(0, read);
    const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    // Past the cap inflating fails, and the file is read whole by the narrow read instead.
    // Searched as bytes: making them a string first took as long as the search.
    return gzipped ? gunzipSync(bytes, { maxOutputLength: maxBytes, chunkSize: outputChunk(bytes, maxBytes) }) : bytes;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The size of zlib's output buffer for this file: its inflated size as the gzip trailer
 * states it, so that most files inflate into one buffer rather than 16 KB pieces joined
 * after (inflating took a quarter less time over the bench's 8,147 files). The trailer is
 * the file's to say, and may lie or count only the last member: it only sizes a buffer,
 * kept between 64 KB and the cap, and inflating is right whatever it says.
 */
function outputChunk(gzipped: Buffer, cap: number): number {
  const stated = gzipped.length >= 18 ? gzipped.readUInt32LE(gzipped.length - 4) : 0;
  return Math.min(Math.max(stated + 1, 64 * 1024), cap);
}

parentPort?.on('message', (files: FileToSearch[]) => {
  parentPort?.postMessage(
    files.map((file) => {
      const text = jsonText(file);
      return text === undefined || search(text);
    }),
  );
});
