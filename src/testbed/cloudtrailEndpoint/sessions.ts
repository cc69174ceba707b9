// Temporary credentials that the endpoint's AssumeRole hands out. They become principals
// like the configured ones (same signature check, session token required, refused after
// their expiration), so a role session can call LookupEvents as it would in AWS.
import { randomBytes } from 'node:crypto';
import type { Principal } from './principal';
import { randomAccessKeyId, randomSecretAccessKey } from './randomKeys';

export class Sessions {
  private readonly issued: Principal[] = [];

  issue(account: string, arn: string, seconds: number, now: number = Date.now()): Principal {
    const session: Principal = {
      // ASIA marks temporary credentials in AWS.
      accessKeyId: randomAccessKeyId('ASIA'),
      secretAccessKey: randomSecretAccessKey(),
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
