// Whether a stream of bytes is valid UTF-8, chunk by chunk. JSON is UTF-8; readers that
// meet other bytes replace them with U+FFFD (JSON.parse after Buffer.toString) without a
// word, so a log with mangled bytes would show values that are not what the file holds.
// The check is native (buffer.isUtf8); only a chunk that fails is walked byte by byte,
// to say where.
import { isUtf8 } from 'node:buffer';

/** Bytes a character of `lead` takes in all, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The offset of the first byte that is not valid UTF-8 (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const length = sequenceLength(lead);
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k += 1) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return i;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return -1;
}

/**
 * Checks chunks in order. A character split between two chunks is held back (at most
 * three bytes) and checked with the next one.
 */
export class Utf8Check {
  private held: Buffer = Buffer.alloc(0);

  /** The offset in `chunk` of the first invalid byte (negative: it began in the previous chunk), or undefined. */
  push(chunk: Buffer): number | undefined {
    const bytes = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const whole = bytes.length - incompleteTail(bytes);
    this.held = Buffer.from(bytes.subarray(whole));
    const body = bytes.subarray(0, whole);
    if (isUtf8(body)) return undefined;
    return firstInvalidUtf8(body) - (bytes.length - chunk.length);
  }

  /** True when the stream ended in the middle of a character. */
  endsTruncated(): boolean {
    return this.held.length > 0;
  }
}

/** How many bytes at the end of `bytes` begin a character that is not complete yet. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = sequenceLength(byte);
    return length > back ? back : 0;
  }
  return 0;
}
