// A CloudTrail endpoint on loopback, for tests, e2e runs and the demo: real HTTP, AWS's
// JSON 1.1 protocol, SigV4 on every request, LookupEvents' page size and rate limit. The
// AWS SDK (and the AWS CLI with --endpoint-url) talk to it as to the real service, so the
// LookupEvents backend is exercised end to end without an AWS account. The same port also
// answers the bit of STS that credentials need (GetCallerIdentity, AssumeRole), told apart
// by protocol: STS requests are form-encoded with an Action, CloudTrail's carry X-Amz-Target.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './awsError';
import { loadLookupEvents } from './loadEvents';
import { lookupAction } from './lookupAction';
import { NextTokens } from './nextToken';
import type { Principal } from './principal';
import { RateLimiter, type RequestLog } from './rateLimiter';
import { Sessions } from './sessions';
import { stsAction, type EndpointRole, type StsContext } from './stsActions';
import { stsError, stsResponse } from './stsXml';
import { verifySignature, type Caller } from './verifySignature';

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
}

export interface EndpointStats {
  /** Served and throttled LookupEvents requests of one account and region. */
  requests(account: string, region: string): RequestLog;
  /** How many events the endpoint serves (all categories). */
  readonly events: number;
}

export interface CloudTrailEndpoint {
  /** `http://127.0.0.1:PORT`, the SDK's `endpoint` or the CLI's `--endpoint-url`. */
  readonly url: string;
  readonly stats: EndpointStats;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: string, contentType: string, errorType?: string): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(body);
}

export interface Received {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** STS's Query protocol: a form-encoded POST (or a GET with the query string), no X-Amz-Target. */
function isStsRequest(request: Received): boolean {
  if (request.headers['x-amz-target']) return false;
  if (request.method === 'GET') return request.url.searchParams.has('Action');
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

async function authenticate(request: Received, principals: readonly Principal[], service: string): Promise<Caller> {
  const { method, url, headers, body } = request;
  // Authentication comes first, as in AWS: an unsigned caller learns nothing else.
  return verifySignature({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body }, principals, service);
}

export async function startCloudTrailEndpoint(options: CloudTrailEndpointOptions): Promise<CloudTrailEndpoint> {
  const events = await loadLookupEvents(options.logsPath);
  const limiter = new RateLimiter(options.rateLimit ?? 2);
  const tokens = new NextTokens();
  const sessions = new Sessions();
  const sts: StsContext = { roles: options.roles ?? [], sessions, ...(options.mfaCode !== undefined ? { mfaCode: options.mfaCode } : {}) };
  const principals = (): Principal[] => [...options.principals, ...sessions.all()];
  const server = createServer((incoming, response) => {
    void (async () => {
      const body = await readBody(incoming);
      const received: Received = {
        method: incoming.method ?? 'GET',
        url: new URL(incoming.url ?? '/', 'http://localhost'),
        headers: Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')])),
        body,
      };
      const requestId = randomUUID();
      if (isStsRequest(received)) {
        try {
          const caller = await authenticate(received, principals(), 'sts');
          const params = received.method === 'GET' ? received.url.searchParams : new URLSearchParams(body.toString('utf8'));
          const { action, result } = stsAction(params, caller, sts);
          send(response, 200, stsResponse(action, result, requestId), 'text/xml');
        } catch (error) {
          const failure = stsError(error instanceof AwsError ? error : new AwsError('InternalFailure', (error as Error).message, 500), requestId);
          send(response, failure.status, failure.body, 'text/xml');
        }
        return;
      }
      try {
        const caller = await authenticate(received, principals(), 'cloudtrail');
        send(response, 200, await lookupAction(received, caller, events, limiter, tokens), CONTENT_TYPE);
      } catch (error) {
        if (error instanceof AwsError) send(response, error.status, error.body(), CONTENT_TYPE, error.code);
        else send(response, 500, JSON.stringify({ __type: 'InternalFailure', message: (error as Error).message }), CONTENT_TYPE, 'InternalFailure');
      }
    })().catch(() => {
      if (!response.headersSent) send(response, 500, '', 'text/plain');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: { requests: (account, region) => limiter.logFor(account, region), events: events.length },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
