// A CloudTrail endpoint on loopback, for tests, e2e runs and the demo: real HTTP, AWS's
// JSON 1.1 protocol, SigV4 on every request, LookupEvents' page size and rate limit. The
// AWS SDK (and the AWS CLI with --endpoint-url) talk to it as to the real service, so the
// LookupEvents backend is exercised end to end without an AWS account. The same port also
// answers the bit of STS that credentials need (GetCallerIdentity, AssumeRole), told apart
// by protocol: STS requests are form-encoded with an Action, CloudTrail's carry X-Amz-Target.
// Anything that can reach the port may call it (other local users, a web page), so it serves
// loopback Host names only, authenticates from the headers before reading a body, and reads
// at most MAX_BODY_BYTES of one.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './awsError';
import { loadLookupEvents } from './loadEvents';
import { lookupAction } from './lookupAction';
import type { LookupEvent } from './lookupEvent';
import { NextTokens } from './nextToken';
import type { Principal } from './principal';
import { RateLimiter, type RequestLog } from './rateLimiter';
import { Sessions } from './sessions';
import { stsAction, type EndpointRole, type StsContext } from './stsActions';
import { stsError, stsResponse } from './stsXml';
import { checkAuthorization, verifySignature, type Authorization } from './verifySignature';
import { readCappedBody } from './cappedBody';
import { checkLoopbackHost } from './loopbackHost';

export interface CloudTrailEndpointOptions {
  /** A log file or folder, read as a local run reads it. */
  readonly logsPath: string;
  readonly principals: readonly Principal[];
  /** Default 0: any free port. */
  readonly port?: number;
  /** LookupEvents requests a second per account and region (default 2, AWS's limit). */
  readonly rateLimit?: number;
  /** Roles that STS AssumeRole grants to any principal (default none). */
  readonly roles?: readonly EndpointRole[];
  /** The MFA code AssumeRole accepts for roles that require MFA. */
  readonly mfaCode?: string;
  /**
   * Serve each account its own events, as AWS does: a principal sees only the events whose
   * recipientAccountId is its account (an organisation's logs split back into its accounts).
   * Default false: every principal sees every event, as one account.
   */
  readonly eventsByAccount?: boolean;
  /**
   * How long AssumeRole's credentials last, in seconds, whatever DurationSeconds asked (AWS's
   * floor is 900): short-lived sessions, so tests see credentials renewed during one fetch.
   */
  readonly sessionSeconds?: number;
}

export interface EndpointStats {
  /** Served and throttled LookupEvents requests of one account and region. */
  requests(account: string, region: string): RequestLog;
  /** How many events the endpoint serves (all categories). */
  readonly events: number;
  /** The accounts the events belong to (their recipientAccountId), sorted. */
  readonly accounts: readonly string[];
  /** AssumeRole calls answered with credentials, per account of the role. */
  assumedRoles(account: string): number;
}

export interface CloudTrailEndpoint {
  /** `http://127.0.0.1:PORT`, the SDK's `endpoint` or the CLI's `--endpoint-url`. */
  readonly url: string;
  readonly stats: EndpointStats;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function send(response: ServerResponse, status: number, body: string, contentType: string, errorType?: string, close = false): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    // A refusal before the body is read ends the connection: the rest of that body is never read.
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(body);
}

export interface Received {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

type RequestHead = Omit<Received, 'body'>;

/** STS's Query protocol: a form-encoded POST (or a GET with the query string), no X-Amz-Target. */
function isStsRequest(request: RequestHead): boolean {
  if (request.headers['x-amz-target']) return false;
  if (request.method === 'GET') return request.url.searchParams.has('Action');
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function headOf(incoming: IncomingMessage): RequestHead {
  return {
    method: incoming.method ?? 'GET',
    url: new URL(incoming.url ?? '/', 'http://localhost'),
    headers: Object.fromEntries(
      Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
    ),
  };
}

/** An error in the protocol the caller speaks: STS's XML, or CloudTrail's JSON. */
function sendError(response: ServerResponse, error: unknown, sts: boolean, requestId: string, close = false): void {
  const failure = error instanceof AwsError ? error : new AwsError('InternalFailure', (error as Error).message, 500);
  if (sts) {
    const xml = stsError(failure, requestId);
    send(response, xml.status, xml.body, 'text/xml', undefined, close);
  } else {
    send(response, failure.status, failure.body(), CONTENT_TYPE, failure.code, close);
  }
}

export async function startCloudTrailEndpoint(options: CloudTrailEndpointOptions): Promise<CloudTrailEndpoint> {
  const events = await loadLookupEvents(options.logsPath);
  const byAccount = new Map<string, LookupEvent[]>();
  // Filtering keeps the newest-first order, so paging is the same as over one account.
  for (const event of events) {
    const account = event.account ?? '';
    const list = byAccount.get(account) ?? [];
    list.push(event);
    byAccount.set(account, list);
  }
  const eventsOf = (account: string): readonly LookupEvent[] => (options.eventsByAccount ? (byAccount.get(account) ?? []) : events);
  const limiter = new RateLimiter(options.rateLimit ?? 2);
  const tokens = new NextTokens();
  const sessions = new Sessions();
  const sts: StsContext = {
    roles: options.roles ?? [],
    sessions,
    ...(options.mfaCode !== undefined ? { mfaCode: options.mfaCode } : {}),
    ...(options.sessionSeconds !== undefined ? { sessionSeconds: options.sessionSeconds } : {}),
  };
  const principals = (): Principal[] => [...options.principals, ...sessions.all()];
  let port = 0;

  // In AWS's order, and nothing read before it is due: the Host, then who signed (headers
  // only), then a bounded body, then the signature over it, then the action.
  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const head = headOf(incoming);
    const isSts = isStsRequest(head);
    const requestId = randomUUID();
    let authorization: Authorization;
    let body: Buffer;
    try {
      checkLoopbackHost(incoming.headers.host, port);
      authorization = checkAuthorization(head, principals(), isSts ? 'sts' : 'cloudtrail');
      body = await readCappedBody(incoming);
    } catch (error) {
      sendError(response, error, isSts, requestId, true);
      return;
    }
    const received: Received = { ...head, body };
    try {
      const caller = await verifySignature(
        { method: head.method, path: head.url.pathname, query: Object.fromEntries(head.url.searchParams), headers: head.headers, body },
        authorization,
      );
      if (isSts) {
        const params = received.method === 'GET' ? received.url.searchParams : new URLSearchParams(body.toString('utf8'));
        const { action, result } = stsAction(params, caller, sts);
        send(response, 200, stsResponse(action, result, requestId), 'text/xml');
      } else {
        send(response, 200, await lookupAction(received, caller, eventsOf(caller.principal.account), limiter, tokens), CONTENT_TYPE);
      }
    } catch (error) {
      sendError(response, error, isSts, requestId);
    }
  };
  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      if (!response.headersSent) send(response, 500, '', 'text/plain', undefined, true);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: {
      requests: (account, region) => limiter.logFor(account, region),
      events: events.length,
      accounts: [...byAccount.keys()].filter((account) => account !== '').sort(),
      assumedRoles: (account) => sessions.all().filter((session) => session.account === account).length,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
