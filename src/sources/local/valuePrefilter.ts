// Which log files can hold an event a cell returns, found by searching their raw text for
// the strings the cell's WHERE requires (engine/requiredValues.ts). Searching is about half
// the cost of reading the files with DuckDB, so a cold first answer whose values are rare
// (a detection's `eventName IN ('StopLogging', …)`) reads only the few files that hold
// them. Decompression runs on libuv's threads, the search on this one, so both cores work.
//
// It errs one way only, towards reading a file: a file that cannot be read or decompressed
// here, or is past the size a search takes (SEARCH_MAX_BYTES), is a candidate (the narrow read then meets the
// same problem and the full scan reports it), and so is any file that writes a character
// escaped (`\u0041`, `\/`), where a required string need not appear as written.
import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { RequiredValues } from '../../engine/requiredValues';
import { Cancelled } from '../../protocol/cancelled';
import type { LogFile } from './discover';

const inflate = promisify(gunzip);

/**
 * The largest JSON text searched; a larger file is a candidate unsearched. CloudTrail's own
 * files are a few MB; a few of this size in flight, each held twice (bytes and text), keep
 * the search's memory near the reader's.
 */
const SEARCH_MAX_BYTES = 64 * 1024 * 1024;

/** Files searched at once: enough to keep decompression on one thread while this one searches. */
const IN_FLIGHT = 3;

/**
 * Past this share of the bytes searched being candidates, reading them all is cheaper than
 * searching on: a search costs about half a read (docs/local-logs.md).
 */
const GIVE_UP_SHARE = 0.4;
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
  const search = searcher(required);
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const candidates: number[] = [];
  let next = 0;
  let filesDone = 0;
  let bytesDone = 0;
  let candidateBytes = 0;
  let gaveUp = false;
  const worker = async (): Promise<void> => {
    while (next < files.length && !gaveUp) {
      if (options.signal?.aborted) throw new Cancelled();
      const index = next;
      next += 1;
      const file = files[index]!;
      const text = await jsonText(file);
      if (text === undefined || search(text)) {
        candidates.push(index);
        candidateBytes += file.size;
      }
      filesDone += 1;
      bytesDone += file.size;
      if (filesDone >= GIVE_UP_AFTER_FILES && bytesDone >= bytesTotal * GIVE_UP_AFTER && candidateBytes > bytesDone * GIVE_UP_SHARE)
        gaveUp = true;
      options.onProgress?.({ filesDone, bytesDone });
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, files.length) }, worker));
  if (options.signal?.aborted) throw new Cancelled();
  return gaveUp ? undefined : candidates.sort((a, b) => a - b);
}

/** A file's JSON text as latin1 (one character a byte), or undefined when it cannot be had. */
async function jsonText({ path, size }: LogFile): Promise<string | undefined> {
  // Compressed or not, a file this large holds more text than a search takes.
  if (size > SEARCH_MAX_BYTES) return undefined;
  try {
    // O_NONBLOCK: a file swapped for a FIFO since it was sniffed must not hang the search.
    const raw = await readFile(path, { flag: constants.O_RDONLY | constants.O_NONBLOCK });
    const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    if (!gzipped && raw.length > SEARCH_MAX_BYTES) return undefined;
    // Past the cap inflating fails, and the file is read whole by the narrow read instead.
    const json = gzipped ? await inflate(raw, { maxOutputLength: SEARCH_MAX_BYTES }) : raw;
    return json.toString('latin1');
  } catch {
    return undefined;
  }
}

/**
 * A test of a file's text: true when it holds, for every conjunct, one of its strings (as
 * UTF-8 bytes), or an escape that could spell one.
 */
export function searcher(required: RequiredValues): (latin1: string) => boolean {
  if (required.length === 0) return () => true;
  const conjunctsOf = new Map<string, number[]>();
  for (const [i, values] of required.entries()) {
    for (const value of values) {
      const bytes = Buffer.from(value, 'utf8').toString('latin1');
      conjunctsOf.set(bytes, [...(conjunctsOf.get(bytes) ?? []), i]);
    }
  }
  const escapes = ['\\u', '\\/'];
  const alternatives = [...escapes, ...[...conjunctsOf.keys()].sort((a, b) => b.length - a.length)];
  const pattern = alternatives.map((text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return (latin1) => {
    const found = new Regex(pattern);
    const met = new Set<number>();
    for (let match = found.next(latin1); match !== undefined; match = found.next(latin1)) {
      if (escapes.includes(match)) return true;
      for (const i of conjunctsOf.get(match) ?? []) met.add(i);
      if (met.size === required.length) return true;
    }
    return false;
  };
}

/** A global regular expression's matches, one at a time, overlapping ones included. */
class Regex {
  private readonly expression: RegExp;
  constructor(pattern: string) {
    this.expression = new RegExp(pattern, 'g');
  }
  next(text: string): string | undefined {
    const match = this.expression.exec(text);
    if (match === null) return undefined;
    // Step one character on, not past the match: `AB` and `BC` are both found in `ABC`.
    this.expression.lastIndex = match.index + 1;
    return match[0];
  }
}
