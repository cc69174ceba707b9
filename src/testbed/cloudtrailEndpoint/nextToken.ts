// NextToken: opaque to the caller, and bound to the request it continues. The token holds
// the offset of the next page and an HMAC, keyed by a random per-server secret, over that
// offset and the request's parameters. A token from another query (another attribute,
// time range, category, account or region), a forged offset or another server's token does
// not verify: InvalidNextTokenException, as AWS answers a token "used in a request with
// different parameters". MaxResults is left out: the offset is valid at any page size.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class NextTokens {
  private readonly key = randomBytes(32);

  issue(binding: string, offset: number): string {
    return Buffer.from(JSON.stringify({ o: offset, m: this.mac(binding, offset) })).toString('base64');
  }

  /** The offset the token continues from, or undefined when it does not belong to `binding`. */
  offsetOf(binding: string, token: string): number | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    } catch {
      return undefined;
    }
    const { o, m } = (parsed ?? {}) as { o?: unknown; m?: unknown };
    if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof m !== 'string') return undefined;
    const expected = Buffer.from(this.mac(binding, o));
    const given = Buffer.from(m);
    return expected.length === given.length && timingSafeEqual(expected, given) ? o : undefined;
  }

  private mac(binding: string, offset: number): string {
    return createHmac('sha256', this.key).update(`${binding}\n${offset}`).digest('base64url');
  }
}
