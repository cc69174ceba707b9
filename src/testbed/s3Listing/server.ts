// A local S3 that answers one call, ListObjectsV2 (path-style, GET /BUCKET?list-type=2), over
// local folders: what the Athena source's cost bound lists before a query starts, so it can
// be tested through the real @aws-sdk/client-s3 with no AWS account. SigV4 is verified with
// the CloudTrail endpoint's checker (scope service `s3`), loopback Host names only, keys made
// for each start. `denied` answers every listing with S3's AccessDenied.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from '../cloudtrailEndpoint/awsError';
import { checkLoopbackHost } from '../cloudtrailEndpoint/loopbackHost';
import { localPrincipal } from '../cloudtrailEndpoint/principal';
import { checkAuthorization, verifySignature } from '../cloudtrailEndpoint/verifySignature';
import { listBucketResult, listPage, objectsUnder, s3ErrorXml } from './listing';

export interface S3ListingOptions {
  /** Bucket name → the local folder whose files are its objects. */
  readonly buckets: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly region?: string;
  /** Every listing is refused with AccessDenied, as without s3:ListBucket. */
  readonly denied?: boolean;
}

export interface S3ListingEndpoint {
  readonly url: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  /** Every listing served: bucket, prefix, whether it had a continuation token. */
  readonly calls: readonly { readonly bucket: string; readonly prefix: string; readonly continued: boolean }[];
  close(): Promise<void>;
}

const MAX_KEYS = 1000;

/** S3's own refusals (REST/XML names, which the JSON services' AwsError does not list). */
class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export async function startS3ListingEndpoint(options: S3ListingOptions): Promise<S3ListingEndpoint> {
  const principal = localPrincipal();
  const region = options.region ?? 'us-east-1';
  const calls: { bucket: string; prefix: string; continued: boolean }[] = [];
  let port = 0;
  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(incoming.url ?? '/', 'http://local');
    const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    try {
      checkLoopbackHost(incoming.headers.host, port);
      // A GET carries no body; anything sent is refused rather than read.
      if (incoming.method !== 'GET' || url.searchParams.get('list-type') !== '2') {
        throw new S3Error('NotImplemented', 'this local S3 answers ListObjectsV2 only (GET /BUCKET?list-type=2)', 501);
      }
      const headers = Object.fromEntries(Object.entries(incoming.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
      const query = Object.fromEntries(url.searchParams.entries());
      const checked = checkAuthorization({ headers }, [principal], 's3');
      await verifySignature({ method: 'GET', path: url.pathname, query, headers, body: new Uint8Array() }, checked);
      if (options.denied) throw new S3Error('AccessDenied', 'Access Denied', 403);
      const folder = options.buckets[bucket];
      if (folder === undefined) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
      const prefix = url.searchParams.get('prefix') ?? '';
      const maxKeys = Math.min(Number(url.searchParams.get('max-keys') ?? MAX_KEYS) || MAX_KEYS, MAX_KEYS);
      const token = url.searchParams.get('continuation-token') ?? undefined;
      calls.push({ bucket, prefix, continued: token !== undefined });
      send(response, 200, listBucketResult(bucket, prefix, maxKeys, listPage(await objectsUnder(folder), prefix, maxKeys, token)));
    } catch (error) {
      // The checkers raise AwsError with the JSON services' names; S3 says a bad signature as SignatureDoesNotMatch.
      const e =
        error instanceof S3Error
          ? error
          : error instanceof AwsError
            ? new S3Error(error.code === 'InvalidSignatureException' ? 'SignatureDoesNotMatch' : error.code, error.message, error.code === 'MisdirectedRequest' ? 421 : 403)
            : new S3Error('InternalError', (error as Error).message, 500);
      send(response, e.status, s3ErrorXml(e.code, e.message, url.pathname));
    }
  };
  const server = createServer((incoming, response) => void handle(incoming, response));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey },
    region,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
