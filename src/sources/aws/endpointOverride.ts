// Another endpoint than AWS's (`--endpoint`, the `trailbook.endpoint` setting) decides where
// signed requests, and with temporary credentials their session token, are sent. So the one
// rule, checked here and nowhere else: an override is https, or plain http to this machine's
// loopback; and STS, whose AssumeRole is signed with a profile's long-term key, goes to an
// override only when it is loopback (the local endpoint of `trailbook serve-cloudtrail`).
// For an https override elsewhere (a proxy, a VPC endpoint), STS stays AWS's own.
import { displayText } from './displayText';

/** The host names that are this machine and nothing else, as WHATWG URL writes them. */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', '[::1]', 'localhost']);

export class EndpointOverrideError extends Error {
  override readonly name = 'EndpointOverrideError';
}

export interface EndpointOverride {
  /** Where CloudTrail requests go: the value as given (trimmed). */
  readonly cloudTrail: string;
  /** Where STS requests go: the override when it is loopback, else undefined (AWS's regional STS). */
  readonly sts?: string;
  readonly loopback: boolean;
}

/**
 * True for a host name WHATWG URL produced that is exactly loopback. `127.0.0.1.evil.com`,
 * `localhost.`, `[::ffff:127.0.0.1]` (written `[::ffff:7f00:1]`) and 127.0.0.2 are not:
 * only the three names every resolver and URL parser agree on.
 */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase());
}

/** The value with any user:password@ removed, bounded and with control characters escaped, for messages. */
function shown(value: string): string {
  return displayText(value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@'), 200);
}

/**
 * Checks an endpoint override and says where CloudTrail and STS requests go. `what` names
 * where the value came from (`--endpoint`, `the trailbook.endpoint setting`) for the error.
 */
export function checkEndpointOverride(value: string, what = 'the endpoint override'): EndpointOverride {
  const text = value.trim();
  const fail = (why: string): never => {
    throw new EndpointOverrideError(`${what} ${shown(text)}: ${why}`);
  };
  // WHATWG URL drops tabs and line breaks and encodes the rest; the value is also shown in
  // labels and notes. Printable ASCII only, so what is shown is what is used.
  if (text === '') fail('is empty: give a URL such as https://cloudtrail.example.internal or http://127.0.0.1:4599, or no override at all');
  if (!/^[\x21-\x7e]+$/.test(text)) fail('must be printable ASCII without spaces (write a non-ASCII host name in its xn-- form)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('is not a URL: give one such as https://cloudtrail.example.internal or http://127.0.0.1:4599');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must be an https:// URL (or http:// to 127.0.0.1, [::1] or localhost)');
  if (url.username !== '' || url.password !== '')
    fail('must not carry a user name or password (user@host): AWS requests are signed, give the host alone');
  if (url.search !== '' || url.hash !== '') fail('must not carry a query (?) or fragment (#): give the scheme, host, port and path only');
  // WHATWG URL rewrites `http://0x7f000001` and `http://127.1` as 127.0.0.1; other parsers
  // (botocore's, a proxy's) read those as host names to look up. Only a host written the
  // way it is parsed counts, so every tool reading the same setting agrees where it goes.
  // A default port (`:443`) is dropped from url.host, so it may follow the prefix.
  const prefix = `${url.protocol}//${url.host}`;
  const rest = text.slice(prefix.length);
  const writtenAsParsed = text.toLowerCase().startsWith(prefix) && (url.port === '' ? /^(?::\d+)?(?:$|\/)/ : /^(?:$|\/)/).test(rest);
  const loopback = isLoopbackHostname(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    fail(
      'plain http is allowed only to this machine (http://127.0.0.1:PORT, http://[::1]:PORT or http://localhost:PORT): ' +
        'requests carry your session token and signatures. Use https://, or run the endpoint on this machine',
    );
  }
  if (!writtenAsParsed) fail(`write the host as ${url.host} (the form every URL parser reads the same way)`);
  return { cloudTrail: text, loopback, ...(loopback ? { sts: text } : {}) };
}

/** Where STS goes for an override (undefined: AWS's own); throws EndpointOverrideError for a refused one. */
export function stsEndpointFor(endpoint: string | undefined): string | undefined {
  return endpoint === undefined ? undefined : checkEndpointOverride(endpoint).sts;
}
