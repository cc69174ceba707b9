// Temporary credentials that the endpoint's AssumeRole hands out. They become principals
// like the configured ones (same signature check, session token required, refused after
// their expiration), so a role session can call LookupEvents as it would in AWS.
import { randomBytes } from 'node:crypto';
import type { Principal } from './principal';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function accessKeyId(): string {
  // ASIA marks temporary credentials in AWS; the rest is 16 base32-like characters.
  return `ASIA${[...randomBytes(16)].map((b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('')}`;
}

export class Sessions {
  private readonly issued: Principal[] = [];

  issue(account: string, arn: string, seconds: number, now: number = Date.now()): Principal {
    const session: Principal = {
      accessKeyId: accessKeyId(),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      account,
      arn,
      expiresAt: now + seconds * 1000,
    };
    this.issued.push(session);
    return session;
  }

  all(): readonly Principal[] {
    return this.issued;
  }
}
