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
  if (size === 0) return { problem: 'the file is empty (0 bytes)' };
  // Not even opened: reading it (vetLogFile) checks that it holds what its name says.
  if (isCloudTrailDeliveryName(path)) return { format: 'records' };
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

/** Files sniffed at once: their first bytes are a few small reads each. */
const SNIFF_CONCURRENCY = 16;

/** Each file's format, in order, a few at a time; a file that cannot be opened is a problem, not an error. */
export async function sniffLogFormats(files: readonly { path: string; size: number }[], signal?: AbortSignal): Promise<Sniffed[]> {
  const sniffed: Sniffed[] = [];
  for (let i = 0; i < files.length; i += SNIFF_CONCURRENCY) {
    if (signal?.aborted) throw new Cancelled();
    sniffed.push(
      ...(await Promise.all(
        files
          .slice(i, i + SNIFF_CONCURRENCY)
          .map((file) => sniffLogFormat(file.path, file.size).catch((error: Error): Sniffed => ({ problem: error.message }))),
      )),
    );
  }
  return sniffed;
}
