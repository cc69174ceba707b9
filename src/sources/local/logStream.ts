// Opening a log file and reading it as a stream of JSON bytes (decompressed, for gzip),
// never more than a CloudTrail log file can hold. Log files are attacker-shaped input: a
// 1 MB gzip can expand to gigabytes, a sparse file can claim 2 GB in 4 KB of disk, and a
// name ending in .json can be a FIFO (opening it would wait forever) or a device.
import { constants as fs } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { kindOfMode } from './statFiles';

/**
 * The most JSON one log file may hold. AWS documents no maximum: CloudTrail delivers each
 * account and region's events about every five minutes, so a file holds minutes of one
 * region's activity, a few MB of JSON usually and tens of MB for the busiest accounts.
 * 256 MB is several times that, and still what a reader that holds a whole
 * `{"Records": [...]}` file as one JSON value (DuckDB's, JSON.parse) can afford per thread.
 * Anything larger is not a CloudTrail log file, and is refused before it costs memory.
 */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;
const MAX_LOG_MB = MAX_LOG_BYTES / 1024 / 1024;

/** Why a file cannot be read as a log, in words fit to show beside its path. */
export class LogFileProblem extends Error {}

/** Reading a whole file: large reads, few calls. Sniffing asks for small ones. */
const CHUNK_BYTES = 256 * 1024;

const megabytes = (bytes: number): string => `${Math.ceil(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;

export interface LogStream {
  readonly compressed: boolean;
  /** The JSON bytes in order; throws LogFileProblem when the file is past the cap or corrupt. */
  chunks(): AsyncGenerator<Buffer>;
  close(): Promise<void>;
}

/**
 * Opens `path` for reading as a log. O_NONBLOCK, so that a FIFO does not block the open
 * (it is then refused by its type); the type is checked on the open handle, so a file
 * swapped after discovery is judged by what is actually read.
 */
export async function openLogStream(path: string, chunkBytes = CHUNK_BYTES): Promise<LogStream> {
  let handle: FileHandle;
  try {
    handle = await open(path, fs.O_RDONLY | fs.O_NONBLOCK);
  } catch (error) {
    throw new LogFileProblem(`cannot open the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new LogFileProblem(`${kindOfMode(info.mode)}, not a regular file: not read`);
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    const compressed = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    if (!compressed && info.size > MAX_LOG_BYTES) {
      throw new LogFileProblem(`the file is ${megabytes(info.size)}, past ${MAX_LOG_MB} MB: not a CloudTrail log file`);
    }
    return {
      compressed,
      chunks: () => (compressed ? gunzipChunks(handle, chunkBytes) : plainChunks(handle, chunkBytes)),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function* plainChunks(handle: FileHandle, chunkBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
    if (bytesRead === 0) return;
    total += bytesRead;
    // The size was checked at open; a file that grows while it is read is held to it too.
    if (total > MAX_LOG_BYTES) throw new LogFileProblem(`the file grew past ${MAX_LOG_MB} MB while it was read: not a CloudTrail log file`);
    yield buffer.subarray(0, bytesRead);
  }
}

async function* gunzipChunks(handle: FileHandle, chunkBytes: number): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: chunkBytes });
  const input = handle.createReadStream({ start: 0, highWaterMark: chunkBytes, autoClose: false });
  input.pipe(gunzip);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      // Stop inflating at the cap: a gzip bomb costs what the cap allows, not what it claims.
      if (total > MAX_LOG_BYTES) {
        throw new LogFileProblem(`expands past ${MAX_LOG_MB} MB when decompressed: not a CloudTrail log file`);
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof LogFileProblem) throw error;
    // zlib's own words ("unexpected end of file", "invalid block type") name the fault
    // without quoting the data.
    throw new LogFileProblem(`corrupt or truncated gzip (${(error as Error).message})`);
  } finally {
    input.unpipe(gunzip);
    input.destroy();
    gunzip.destroy();
  }
}
