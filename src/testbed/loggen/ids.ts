// Identifiers in the shapes AWS uses (uuid-like event ids, AKIA/ASIA access keys,
// resource ids…), all drawn from the seeded PRNG so a trail is reproducible.
import type { Rng } from './prng';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Access key ids use base32 after the prefix.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function hex8(w: number): string {
  return HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
}

/** A version-4 UUID: CloudTrail's eventID and most services' requestID. */
export function uuid(rng: Rng): string {
  const a = hex8(rng.u32());
  const b = hex8(rng.u32());
  const c = hex8(rng.u32());
  const d = hex8(rng.u32());
  const variant = '89ab'[rng.u32() & 3];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export function hex(rng: Rng, length: number): string {
  let out = '';
  while (out.length < length) out += hex8(rng.u32());
  return out.slice(0, length);
}

function fromAlphabet(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

export const upperAlnum = (rng: Rng, n: number): string => fromAlphabet(rng, UPPER_ALNUM, n);
export const mixedAlnum = (rng: Rng, n: number): string => fromAlphabet(rng, MIXED_ALNUM, n);
export const base64ish = (rng: Rng, n: number): string => fromAlphabet(rng, BASE64, n);

/** IAM unique ids and access keys: a 4-letter prefix (AKIA long-term key, ASIA
 *  temporary key, AIDA user, AROA role) and 16 base32 characters. */
export function awsId(rng: Rng, prefix: 'AKIA' | 'ASIA' | 'AIDA' | 'AROA' | 'ANPA'): string {
  return prefix + fromAlphabet(rng, BASE32, 16);
}

/** EC2-style ids: i-0123456789abcdef0, sg-…, vol-… (17 hex digits). */
export function ec2Id(rng: Rng, prefix: string): string {
  return `${prefix}-0${hex(rng, 16)}`;
}

/** An STS session token: long, opaque, base64. Kept shorter than the real ~800
 *  characters because random text does not compress and would dominate file size. */
export function sessionToken(rng: Rng): string {
  return 'IQoJb3JpZ2luX2Vj' + base64ish(rng, 240);
}
