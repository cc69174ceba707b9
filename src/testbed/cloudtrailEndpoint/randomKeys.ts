// Access keys shaped like AWS's: a four-letter kind (AKIA long-term, ASIA temporary) and 16
// characters of base32, and a 40-character secret. Random for every start and every
// session, so no key of this endpoint is ever published or guessable.
import { randomBytes } from 'node:crypto';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function randomAccessKeyId(kind: 'AKIA' | 'ASIA'): string {
  // 32 letters divide 256, so `b % 32` is uniform.
  return `${kind}${[...randomBytes(16)].map((b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('')}`;
}

export function randomSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}
