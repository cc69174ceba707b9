// Which log files can hold an event a cell returns, found by searching their raw text for
// the strings the cell's WHERE requires (engine/requiredValues.ts, textSearch.ts). A search
// costs about a third of reading the files with DuckDB, so a cold first answer whose values
// are rare (a detection's `eventName IN ('StopLogging', …)`) reads only the few files that
// hold them. Two threads (searchThread.ts) read, inflate and search, one a core.
//
// It errs one way only, towards reading a file: a file that cannot be read or inflated there,
// or is past the size a search takes (SEARCH_MAX_BYTES), is a candidate (the narrow read then
// meets the same problem and the full scan reports it), and so is any file that writes
// escaped (`\u0041`, `\/`) a character one of the strings holds: there a string need not
// appear as written (textSearch.ts).
// A search that fails as a whole (a thread that cannot start) reads every file.
import type { Worker } from 'node:worker_threads';
import type { RequiredValues } from '../../engine/requiredValues';
import { Cancelled } from '../../protocol/cancelled';
import { bundledThread } from './bundledScript';
import type { LogFile } from './discover';
import type { FileToSearch, SearchSetup } from './searchThread';

/** Threads searching: the two cores. */
const THREADS = 2;
/** Files a message: enough to make the messages' cost nothing beside a search. */
const FILES_A_MESSAGE = 32;

/**
 * The largest JSON text searched; a larger file is a candidate unsearched. CloudTrail's own
 * files are a few MB; two of this size in flight, each held twice (bytes and text), keep the
 * search's memory near the reader's.
 */
const SEARCH_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Past this share of the bytes searched being candidates, reading them all is cheaper than
 * searching on (a search costs about a third of a read).
 */
const GIVE_UP_SHARE = 0.5;
/** The share of the bytes, and the files, searched before giving up is considered: a few files say little of the rest. */
const GIVE_UP_AFTER = 0.1;
const GIVE_UP_AFTER_FILES = 16;

export interface PrefilterProgress {
  readonly filesDone: number;
  readonly bytesDone: number;
}

/**
 * The indices of `files` that may hold a matching event, in order; undefined when so many do
 * that searching costs more than it saves (every file is then read).
 */
export async function filesThatCanMatch(
  files: readonly LogFile[],
  required: RequiredValues,
  options: { signal?: AbortSignal | undefined; onProgress?: ((progress: PrefilterProgress) => void) | undefined } = {},
): Promise<number[] | undefined> {
  if (options.signal?.aborted) throw new Cancelled();
  if (required.length === 0 || files.length === 0) return files.map((_, i) => i);
  const setup: SearchSetup = { required, maxBytes: SEARCH_MAX_BYTES };
  const threads = Array.from({ length: Math.min(THREADS, Math.ceil(files.length / FILES_A_MESSAGE)) }, () =>
    bundledThread('searchThread', setup),
  );
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const candidates: number[] = [];
  let next = 0;
  let filesDone = 0;
  let bytesDone = 0;
  let candidateBytes = 0;
  let gaveUp = false;
  const searchOn = (thread: Worker): Promise<void> =>
    new Promise((done, fail) => {
      let sent: { index: number; file: LogFile }[] = [];
      const send = (): void => {
        if (gaveUp || next >= files.length) return done();
        const first = next;
        sent = files.slice(first, first + FILES_A_MESSAGE).map((file, i) => ({ index: first + i, file }));
        next += sent.length;
        thread.postMessage(sent.map(({ file }): FileToSearch => ({ path: file.path, size: file.size })));
      };
      thread.on('message', (found: boolean[]) => {
        sent.forEach(({ index, file }, i) => {
          if (found[i] !== false) {
            candidates.push(index);
            candidateBytes += file.size;
          }
          filesDone += 1;
          bytesDone += file.size;
        });
        if (filesDone >= GIVE_UP_AFTER_FILES && bytesDone >= bytesTotal * GIVE_UP_AFTER && candidateBytes > bytesDone * GIVE_UP_SHARE)
          gaveUp = true;
        options.onProgress?.({ filesDone, bytesDone });
        send();
      });
      thread.on('error', fail);
      thread.on('exit', () => fail(new Error('a search thread stopped before its files were searched')));
      send();
    });
  let cancel: (() => void) | undefined;
  const cancelled = new Promise<never>((_, fail) => (cancel = () => fail(new Cancelled())));
  options.signal?.addEventListener('abort', cancel!);
  try {
    await Promise.race([Promise.all(threads.map(searchOn)), cancelled]);
  } catch (error) {
    if (error instanceof Cancelled) throw error;
    // The search is a shortcut: without it every file is read, as it always was.
    return undefined;
  } finally {
    options.signal?.removeEventListener('abort', cancel!);
    for (const thread of threads) void thread.terminate();
  }
  return gaveUp ? undefined : candidates.sort((a, b) => a - b);
}
