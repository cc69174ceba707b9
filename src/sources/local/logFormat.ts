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

const SNIFF_BYTES = 16 * 1024;

function classify(head: string): Sniffed {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return { problem: 'the file is empty' };
  if (text.startsWith('[')) return { format: 'array' };
  if (text.startsWith('{')) {
    const firstKey = /^\{\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
    return { format: firstKey === 'Records' ? 'records' : 'objects' };
  }
  return { problem: `not JSON: it starts with ${JSON.stringify(text.slice(0, 20))}` };
}

export async function sniffLogFormat(path: string, size: number): Promise<Sniffed> {
  if (size === 0) return { problem: 'the file is empty (0 bytes)' };
  if (isCloudTrailDeliveryName(path)) return { format: 'records' };
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        // A prefix of a gzip stream: inflate what is there without asking for its end.
        head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      } catch (error) {
        return { problem: `corrupt gzip (${(error as Error).message})` };
      }
      if (head.length === 0) return { problem: 'corrupt or truncated gzip: nothing could be decompressed' };
    }
    return classify(head.toString('utf8'));
  } finally {
    await handle.close();
  }
}
