// Which of the JSON shapes CloudTrail logs come in a file holds. Decided from the first
// bytes only (decompressed, for .gz), so classifying thousands of files stays cheap.
import { isCloudTrailDeliveryName } from './discover';
import { looksLikeExport } from './exportShapes';
import { LogFileProblem, openLogStream } from './logStream';
import { Cancelled } from '../../protocol/cancelled';

/**
 * - `records`: `{"Records": [...]}`, what CloudTrail delivers to S3;
 * - `array`: a plain JSON array of records (exports, the Stratus Red Team logs);
 * - `objects`: records one after another, NDJSON or pretty-printed.
 */
export type LogFormat = 'records' | 'array' | 'objects';

/**
 * `careful`: an array whose first bytes look like another tool's export (exportShapes.ts),
 * for the careful reader, which unwraps it. `objects` files always go there.
 */
export type Sniffed = { readonly format: LogFormat; readonly careful?: true } | { readonly problem: string };

/**
 * How far to look for the first key. A log's first key comes within a few bytes; a file
 * that is still only whitespace this far in is not a log (and a gzip of nothing but
 * spaces must not be inflated to its end to find that out).
 */
export const SNIFF_LIMIT = 64 * 1024;

/** The level at which a format's records are objects (see jsonDepth). */
export function recordDepth(format: LogFormat): number {
  return format === 'records' ? 2 : format === 'array' ? 1 : 0;
}

/**
 * The format, a problem, or undefined when `head` is too short to tell and more exists.
 * Problems never quote the file: a "log" can be a link to any file, and its first bytes
 * are nobody's business in an error message.
 */
export function classify(head: string, complete: boolean): Sniffed | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') {
    if (complete) return { problem: 'the file holds no JSON (empty or only whitespace)' };
    return head.length >= SNIFF_LIMIT
      ? { problem: `no JSON in the first ${SNIFF_LIMIT / 1024} KB, only whitespace: not a log file` }
      : undefined;
  }
  if (text.startsWith('[')) return looksLikeExport(text) ? { format: 'array', careful: true } : { format: 'array' };
  if (text.startsWith('{')) {
    const firstKey = /^\{\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
    if (firstKey === undefined && !complete && head.length < SNIFF_LIMIT) return undefined;
    return { format: firstKey === 'Records' ? 'records' : 'objects' };
  }
  return { problem: 'not JSON: it does not start with "{" or "["' };
}

export async function sniffLogFormat(path: string, size: number): Promise<Sniffed> {
  const byName = sniffedByName(path, size);
  if (byName) return byName;
  let stream;
  try {
    // Small reads: the first key is within the first few bytes of any log.
    stream = await openLogStream(path, 4096);
  } catch (error) {
    if (error instanceof LogFileProblem) return { problem: error.message };
    throw error;
  }
  try {
    let head = Buffer.alloc(0);
    for await (const chunk of stream.chunks()) {
      head = Buffer.concat([head, chunk.subarray(0, SNIFF_LIMIT - head.length)]);
      const sniffed = classify(head.toString('utf8'), false);
      if (sniffed) return sniffed;
    }
    if (stream.compressed && head.length === 0) return { problem: 'corrupt or truncated gzip: nothing could be decompressed' };
    return classify(head.toString('utf8'), true)!;
  } catch (error) {
    if (error instanceof LogFileProblem) return { problem: error.message };
    throw error;
  } finally {
    await stream.close();
  }
}

const DELIVERED: Sniffed = Object.freeze({ format: 'records' });
const EMPTY: Sniffed = Object.freeze({ problem: 'the file is empty (0 bytes)' });

/** What a file is without opening it, when its size or name says. */
function sniffedByName(path: string, size: number): Sniffed | undefined {
  if (size === 0) return EMPTY;
  // Not even opened: reading it (vetLogFile) checks that it holds what its name says.
  return isCloudTrailDeliveryName(path) ? DELIVERED : undefined;
}

/** Files sniffed at once: their first bytes are a few small reads each. */
const SNIFF_CONCURRENCY = 16;

/**
 * Each file's format, in order; a file that cannot be opened is a problem, not an error.
 * Those named as CloudTrail delivers them are told apart without a promise each (at 146,305
 * files, a promise and an answer a file were 100 MB of garbage for the editor's host); the
 * others are opened a few at a time.
 */
export async function sniffLogFormats(files: readonly { path: string; size: number }[], signal?: AbortSignal): Promise<Sniffed[]> {
  const sniffed: Sniffed[] = new Array<Sniffed>(files.length);
  const toOpen: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const byName = sniffedByName(files[i]!.path, files[i]!.size);
    if (byName) sniffed[i] = byName;
    else toOpen.push(i);
  }
  for (let from = 0; from < toOpen.length; from += SNIFF_CONCURRENCY) {
    if (signal?.aborted) throw new Cancelled();
    const round = toOpen.slice(from, from + SNIFF_CONCURRENCY);
    const answers = await Promise.all(
      round.map((i) => sniffLogFormat(files[i]!.path, files[i]!.size).catch((error: Error): Sniffed => ({ problem: error.message }))),
    );
    round.forEach((i, j) => (sniffed[i] = answers[j]!));
  }
  if (signal?.aborted) throw new Cancelled();
  return sniffed;
}
