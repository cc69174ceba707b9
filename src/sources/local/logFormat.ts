// Which of the JSON shapes CloudTrail logs come in a file holds. Decided from the first
// bytes only (decompressed, for .gz), so classifying thousands of files stays cheap.
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { isCloudTrailDeliveryName } from './discover';

/**
 * - `records`: `{"Records": [...]}`, what CloudTrail delivers to S3;
 * - `array`: a plain JSON array of records (exports, the Stratus Red Team logs);
 * - `objects`: records one after another, NDJSON or pretty-printed.
 */
export type LogFormat = 'records' | 'array' | 'objects';

export type Sniffed = { readonly format: LogFormat } | { readonly problem: string };

const SNIFF_BYTES = 1024;

/** The format, a problem, or undefined when `head` is too short to tell and more exists. */
function classify(head: string, complete: boolean): Sniffed | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return complete ? { problem: 'the file holds no JSON (empty or only whitespace)' } : undefined;
  if (text.startsWith('[')) return { format: 'array' };
  if (text.startsWith('{')) {
    const firstKey = /^\{\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
    if (firstKey === undefined && !complete) return undefined;
    return { format: firstKey === 'Records' ? 'records' : 'objects' };
  }
  return { problem: `not JSON: it starts with ${JSON.stringify(text.slice(0, 20))}` };
}

export async function sniffLogFormat(path: string, size: number): Promise<Sniffed> {
  if (size === 0) return { problem: 'the file is empty (0 bytes)' };
  if (isCloudTrailDeliveryName(path)) return { format: 'records' };
  const handle = await open(path, 'r');
  try {
    // Read a little, and more only while what was read says nothing yet (leading
    // whitespace, or a compressed block that has not produced output).
    for (let want = SNIFF_BYTES; ; want *= 4) {
      const buffer = Buffer.alloc(Math.min(want, size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      let head = buffer.subarray(0, bytesRead);
      if (head[0] === 0x1f && head[1] === 0x8b) {
        try {
          // A prefix of a gzip stream: inflate what is there without asking for its end.
          head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
        } catch (error) {
          return { problem: `corrupt gzip (${(error as Error).message})` };
        }
      }
      const complete = bytesRead >= size;
      if (complete && head.length === 0 && buffer[0] === 0x1f) {
        return { problem: 'corrupt or truncated gzip: nothing could be decompressed' };
      }
      const sniffed = classify(head.toString('utf8'), complete);
      if (sniffed) return sniffed;
    }
  } finally {
    await handle.close();
  }
}
