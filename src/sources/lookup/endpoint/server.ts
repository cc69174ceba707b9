// A CloudTrail endpoint on loopback, for tests, e2e runs and the demo: real HTTP, AWS's
// JSON 1.1 protocol, SigV4 on every request, LookupEvents' page size and rate limit. The
// AWS SDK (and the AWS CLI with --endpoint-url) talk to it as to the real service, so the
// LookupEvents backend is exercised end to end without an AWS account.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './awsError';
import { loadLookupEvents } from './loadEvents';
import type { LookupEvent } from './lookupEvent';
import { lookupPage } from './lookupPage';
import { parseLookupRequest } from './lookupRequest';
import { NextTokens } from './nextToken';
import type { Principal } from './principal';
import { RateLimiter, type RequestLog } from './rateLimiter';
import { verifySignature } from './verifySignature';

export interface CloudTrailEndpointOptions {
  /** A log file or folder, read as a local run reads it. */
  readonly logsPath: string;
  readonly principals: readonly Principal[];
  /** Default 0: any free port. */
  readonly port?: number;
  /** LookupEvents requests a second per account and region (default 2, AWS's limit). */
  readonly rateLimit?: number;
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

// The target the service model declares (what botocore and the AWS CLI send), and the
// short form that the schema-based JS SDK v3 sends (`serviceTarget.operation`): AWS takes both.
const LOOKUP_EVENTS_TARGETS = new Set(['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'CloudTrail_20131101.LookupEvents']);
const CONTENT_TYPE = 'application/x-amz-json-1.1';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: string, errorType?: string): void {
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(body);
}

async function handle(
  request: IncomingMessage,
  events: readonly LookupEvent[],
  principals: readonly Principal[],
  limiter: RateLimiter,
  tokens: NextTokens,
): Promise<string> {
  const body = await readBody(request);
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
  // Authentication comes first, as in AWS: an unsigned caller learns nothing else.
  const caller = await verifySignature({ method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body }, principals);
  if (caller.principal.denied) {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${caller.principal.account}:user/${caller.principal.accessKeyId} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
    );
  }
  if (request.method !== 'POST' || !LOOKUP_EVENTS_TARGETS.has(headers['x-amz-target'] ?? '')) {
    throw new AwsError('UnknownOperationException', `this endpoint serves LookupEvents only, not ${headers['x-amz-target'] || 'a request without X-Amz-Target'}`);
  }
  if (!limiter.admit(caller.principal.account, caller.region)) throw new AwsError('ThrottlingException', 'Rate exceeded');
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'the request body is not JSON');
  }
  const lookup = parseLookupRequest(input, `${caller.principal.account}/${caller.region}`);
  return JSON.stringify(lookupPage(events, lookup, tokens));
}

export async function startCloudTrailEndpoint(options: CloudTrailEndpointOptions): Promise<CloudTrailEndpoint> {
  const events = await loadLookupEvents(options.logsPath);
  const limiter = new RateLimiter(options.rateLimit ?? 2);
  const tokens = new NextTokens();
  const server = createServer((request, response) => {
    handle(request, events, options.principals, limiter, tokens).then(
      (body) => send(response, 200, body),
      (error: unknown) => {
        if (error instanceof AwsError) send(response, error.status, error.body(), error.code);
        else send(response, 500, JSON.stringify({ __type: 'InternalFailure', message: (error as Error).message }), 'InternalFailure');
      },
    );
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
