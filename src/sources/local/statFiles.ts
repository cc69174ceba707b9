// The size, time and type of every file a listing found, which decides whether the cache
// still holds it. On a trail of many small files this is most of a warm run: 146,305 `stat`
// calls took 0.7-1.0 s on one thread, most of it in the kernel. With more files than
// STAT_THREAD_FROM, two threads take half each: 0.47-0.57 s. This thread waits rather than
// doing a half itself: Node makes an object and four Dates of every stat, and at 146,305
// files that was 160 MB of garbage in the editor's host (or the CLI's heap), which it kept
// until its next full collection. The threads' script is a few lines of Node's own API,
// given as text, so that it needs no bundle of its own.
import { constants, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface FileFacts {
  readonly size: number;
  readonly mtimeMs: number;
  /** `st_mode`: the file's type is `mode & S_IFMT`. */
  readonly mode: number;
}

/** Fewer files than this are all done here: starting a thread (20-30 ms) would cost more than it saves. */
export const STAT_THREAD_FROM = 16_384;

const THREAD_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const paths = workerData;
const facts = new Float64Array(paths.length * 3);
const failed = [];
for (let i = 0; i < paths.length; i++) {
  try {
    const info = statSync(paths[i]);
    facts[3 * i] = info.size;
    facts[3 * i + 1] = Math.trunc(info.mtimeMs);
    facts[3 * i + 2] = info.mode;
  } catch (error) {
    failed.push([i, error.code || String(error.message)]);
  }
}
parentPort.postMessage({ facts, failed }, [facts.buffer]);
`;

/** Each path's facts, or why it could not be read (an error code such as ENOENT), in the order given. */
export async function statFiles(paths: readonly string[], threadFrom = STAT_THREAD_FROM): Promise<(FileFacts | string)[]> {
  if (paths.length === 0 || paths.length < threadFrom) return statHere(paths, 0, paths.length);
  const half = Math.ceil(paths.length / 2);
  // A thread that could not start or failed leaves its half to this one.
  const halves = await Promise.all([
    onThread(paths.slice(0, half)).catch(() => statHere(paths, 0, half)),
    onThread(paths.slice(half)).catch(() => statHere(paths, half, paths.length)),
  ]);
  return halves[0].concat(halves[1]);
}

/** An error's code (ENOENT, EACCES), or its message when it has none. */
export const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

async function statHere(paths: readonly string[], from: number, to: number): Promise<(FileFacts | string)[]> {
  const out: (FileFacts | string)[] = [];
  for (let i = from; i < to; i++) {
    // A pause now and then, so that a long listing does not hold the thread (the editor's host).
    if ((i - from) % 4096 === 4095) await new Promise((resolve) => setImmediate(resolve));
    try {
      const info = statSync(paths[i]!);
      out.push({ size: info.size, mtimeMs: Math.trunc(info.mtimeMs), mode: info.mode });
    } catch (error) {
      out.push(errorCode(error));
    }
  }
  return out;
}

function onThread(paths: string[]): Promise<(FileFacts | string)[]> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(THREAD_SCRIPT, { eval: true, workerData: paths });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the stat thread exited (${code}) before it answered`)));
    thread.once('message', ({ facts, failed }: { facts: Float64Array; failed: [number, string][] }) => {
      const out: (FileFacts | string)[] = [];
      for (let i = 0; i < paths.length; i++) out.push({ size: facts[3 * i]!, mtimeMs: facts[3 * i + 1]!, mode: facts[3 * i + 2]! });
      for (const [i, code] of failed) out[i] = code;
      resolve(out);
      void thread.terminate();
    });
  });
}

/** The file's type, for a file that is not a regular one, in words. */
export function kindOfMode(mode: number): string {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFIFO:
      return 'a FIFO (named pipe)';
    case constants.S_IFSOCK:
      return 'a socket';
    case constants.S_IFCHR:
      return 'a character device';
    case constants.S_IFBLK:
      return 'a block device';
    default:
      return 'an unknown kind of file';
  }
}

export const isRegularFile = (facts: FileFacts): boolean => (facts.mode & constants.S_IFMT) === constants.S_IFREG;
