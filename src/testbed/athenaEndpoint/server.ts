// The Athena endpoint on loopback: real HTTP, AWS JSON 1.1, SigV4 on every request, the
// same hardening as the CloudTrail endpoint (loopback Host names only, who signed checked
// from the headers before a body is read, bodies capped, fresh keys every start) and the
// same parts (../cloudtrailEndpoint). `@aws-sdk/client-athena` with `endpoint: url` talks to
// it as to Athena. The same port answers S3's ListObjectsV2 over the `logsDir` folder
// (path-style, signed for s3), told apart as S3 is: a GET without X-Amz-Target.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from '../cloudtrailEndpoint/awsError';
import { readCappedBody } from '../cloudtrailEndpoint/cappedBody';
import { checkLoopbackHost } from '../cloudtrailEndpoint/loopbackHost';
import { NextTokens } from '../cloudtrailEndpoint/nextToken';
import { localPrincipal } from '../cloudtrailEndpoint/principal';
import { RateLimiter } from '../cloudtrailEndpoint/rateLimiter';
import { checkAuthorization, verifySignature } from '../cloudtrailEndpoint/verifySignature';
import { ACTIONS, athenaAction, DEFAULT_WORK_GROUPS, type ActionContext, type AthenaAction, type WorkGroup } from './athenaActions';
import type { AthenaBackend } from './backend';
import { QueryExecutions } from './queryExecutions';
import { DEFAULT_SERVED_TABLE, type ServedTable } from './servedTable';
import { MAX_QUERY_BYTES } from './statementText';
import { isCatalogStatement, TableCatalog } from './tableCatalog';
import { asS3Error, dayFolderPrefix, listLogObjects, listObjectsV2, LOGS_BUCKET, s3ErrorXml, type S3Object } from './s3Listing';

export interface AthenaEndpointOptions {
  readonly backend: AthenaBackend;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Queries that may be queued or running at once (default 5); past it, TooManyRequestsException. */
  readonly maxConcurrent?: number;
  /** The region printed for clients; the endpoint answers a signature for any region. */
  readonly region?: string;
  /** The table queries name (default `default.cloudtrail_logs` in `awsdatacatalog`). */
  readonly table?: ServedTable;
  /** Default one, `primary`, with an output location. */
  readonly workGroups?: readonly WorkGroup[];
  /** API calls a second, all actions together (default 100): past it, ThrottlingException. */
  readonly rateLimit?: number;
  /** The log folder served as the S3 bucket `trailbook-local-logs` (ListObjectsV2), for the source's cost bound. */
  readonly logsDir?: string;
}

export interface AthenaEndpointCall {
  readonly action: string;
  readonly queryExecutionId?: string;
}

export interface AthenaEndpoint {
  /** `http://127.0.0.1:PORT`: the SDK's `endpoint`. */
  readonly url: string;
  /** Made for this start; the only key the endpoint accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  /** Every signed call, in order (refused ones too): what tests read to see a Stop or a second Start. */
  readonly calls: readonly AthenaEndpointCall[];
  /** QueryExecutionIds the backend was given, in order: a start answered from its token adds none. */
  readonly executions: readonly string[];
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** A QueryString of 262,144 bytes, JSON-escaped (\u0000 forms are six bytes each), fits. */
const MAX_BODY_BYTES = 6 * MAX_QUERY_BYTES + 64 * 1024;

function send(response: ServerResponse, status: number, body: string, errorType?: string, close = false): void {
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: unknown, close = false): void {
  const failure = error instanceof AwsError ? error : new AwsError('InternalFailure', (error as Error).message, 500);
  send(response, failure.status, failure.body(), failure.code, close);
}

function sendS3(response: ServerResponse, status: number, xml: string, close = false): void {
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amz-request-id': randomUUID(),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(xml);
}

function sendS3Error(response: ServerResponse, error: unknown, resource: string, close = false): void {
  const failure = asS3Error(error instanceof AwsError ? error : new AwsError('InternalFailure', (error as Error).message, 500));
  sendS3(response, failure.status, s3ErrorXml(failure, randomUUID(), resource), close);
}

/** S3's REST protocol: no X-Amz-Target, a GET. */
const isS3Request = (method: string, headers: Record<string, string>): boolean =>
  headers['x-amz-target'] === undefined && (method === 'GET' || method === 'HEAD');

function headers(incoming: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
  );
}

function actionOf(target: string | undefined): AthenaAction {
  const m = /^AmazonAthena\.(\w+)$/.exec(target ?? '');
  const action = m?.[1];
  if (!action || !(ACTIONS as readonly string[]).includes(action)) {
    throw new AwsError(
      'UnknownOperationException',
      `${target === undefined ? 'No X-Amz-Target' : `X-Amz-Target ${JSON.stringify(target.slice(0, 100))}`}: this endpoint answers AmazonAthena.${ACTIONS.join(', AmazonAthena.')}`,
    );
  }
  return action as AthenaAction;
}

export async function startAthenaEndpoint(options: AthenaEndpointOptions): Promise<AthenaEndpoint> {
  const principal = localPrincipal();
  const s3Tokens = new NextTokens();
  let objects: Promise<S3Object[]> | undefined;
  const logObjects = (): Promise<S3Object[]> =>
    (objects ??= options.logsDir === undefined ? Promise.resolve([]) : listLogObjects(options.logsDir));
  // The starting table's location, from the folder's layout (s3Listing.ts).
  const folderLocation = async (): Promise<Record<string, string>> => {
    const prefix = dayFolderPrefix(await logObjects());
    return prefix === undefined
      ? { location: `s3://${LOGS_BUCKET}/` }
      : { 'storage.location.template': `s3://${LOGS_BUCKET}/${prefix}\${timestamp}` };
  };
  const catalog = new TableCatalog(options.table ?? DEFAULT_SERVED_TABLE, options.backend.partitionColumns, folderLocation);
  const queries = new QueryExecutions(
    {
      // DDL changes the catalog (only CREATE EXTERNAL TABLE gets past the start); everything else runs on the engine.
      execute: async (query, signal) =>
        isCatalogStatement(query.sql) ? catalog.execute(query.sql, query.database) : options.backend.execute(query, signal),
    },
    options.maxConcurrent ?? 5,
  );
  const context: ActionContext = {
    backend: options.backend,
    queries,
    workGroups: options.workGroups ?? DEFAULT_WORK_GROUPS,
    catalog,
    tokens: new NextTokens(),
  };
  const limiter = new RateLimiter(options.rateLimit ?? 100);
  const calls: AthenaEndpointCall[] = [];
  let port = 0;

  // As the CloudTrail endpoint: the Host, who signed (headers only), a bounded body, the signature, the action.
  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const head = { method: incoming.method ?? 'GET', url: new URL(incoming.url ?? '/', 'http://localhost'), headers: headers(incoming) };
    if (isS3Request(head.method, head.headers)) return handleS3(incoming, head, response);
    let body: Buffer;
    let authorization: ReturnType<typeof checkAuthorization>;
    try {
      checkLoopbackHost(incoming.headers.host, port);
      authorization = checkAuthorization(head, [principal], 'athena');
      body = await readCappedBody(incoming, MAX_BODY_BYTES);
    } catch (error) {
      sendError(response, error, true);
      return;
    }
    let action = '';
    let queryExecutionId: string | undefined;
    try {
      const caller = await verifySignature(
        { method: head.method, path: head.url.pathname, query: Object.fromEntries(head.url.searchParams), headers: head.headers, body },
        authorization,
      );
      action = actionOf(head.headers['x-amz-target']);
      if (!limiter.admit(caller.principal.account, caller.region)) throw new AwsError('ThrottlingException', 'Rate exceeded');
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch (error) {
        throw new AwsError('SerializationException', 'The request body is not JSON', 400, { cause: error });
      }
      if (typeof parsed.QueryExecutionId === 'string') queryExecutionId = parsed.QueryExecutionId;
      const result = await athenaAction(context, action as AthenaAction, parsed);
      if (typeof result.QueryExecutionId === 'string') queryExecutionId = result.QueryExecutionId;
      calls.push({ action, ...(queryExecutionId !== undefined ? { queryExecutionId } : {}) });
      send(response, 200, JSON.stringify(result));
    } catch (error) {
      if (action !== '') calls.push({ action, ...(queryExecutionId !== undefined ? { queryExecutionId } : {}) });
      sendError(response, error);
    }
  };
  const handleS3 = async (
    incoming: IncomingMessage,
    head: { method: string; url: URL; headers: Record<string, string> },
    response: ServerResponse,
  ): Promise<void> => {
    const resource = head.url.pathname;
    let authorization: ReturnType<typeof checkAuthorization>;
    let body: Buffer;
    try {
      checkLoopbackHost(incoming.headers.host, port);
      authorization = checkAuthorization(head, [principal], 's3');
      body = await readCappedBody(incoming);
    } catch (error) {
      sendS3Error(response, error, resource, true);
      return;
    }
    try {
      const caller = await verifySignature(
        { method: head.method, path: head.url.pathname, query: Object.fromEntries(head.url.searchParams), headers: head.headers, body },
        authorization,
      );
      // S3 says so as S3 does (503 SlowDown), which the SDK's retry knows to back off from.
      if (!limiter.admit(caller.principal.account, caller.region)) throw new AwsError('SlowDown', 'Please reduce your request rate.', 503);
      calls.push({ action: 'ListObjectsV2' });
      sendS3(response, 200, listObjectsV2(head.url.pathname, head.url.searchParams, await logObjects(), s3Tokens));
    } catch (error) {
      sendS3Error(response, error, resource);
    }
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      if (!response.headersSent) send(response, 500, '', undefined, true);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey },
    region: options.region ?? 'us-east-1',
    calls,
    executions: queries.started,
    close: () =>
      new Promise<void>((resolve, reject) => {
        queries.stopAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
