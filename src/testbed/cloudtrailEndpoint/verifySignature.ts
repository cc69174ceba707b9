// SigV4 on every request, checked the way AWS checks it: find the principal by the access
// key in the credential scope, sign the received request again with its secret (same
// X-Amz-Date, same signed headers, same body) and compare. The same library the SDK signs
// with does the signing, so the server cannot drift from what clients send.
// Two steps, so that nobody unknown makes the server read a body: `checkAuthorization` needs
// only the headers (key, token, scope, date) and runs before the body is read;
// `verifySignature` needs the body too.
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError } from './awsError';
import type { Principal } from './principal';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** Header names in lower case, as node gives them. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface Caller {
  readonly principal: Principal;
  /** The region of the credential scope: the one the client signed for. */
  readonly region: string;
}

/** AWS refuses a signature dated more than five minutes from its own clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** `20240731T130624Z` to a Date, or undefined. */
function amzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** What the headers said, checked: whose key, for which region and service, signed when. */
export interface Authorization {
  readonly principal: Principal;
  readonly region: string;
  readonly service: string;
  readonly date: Date;
  readonly authorization: string;
  readonly signedHeaders: readonly string[];
}

/**
 * The headers alone: a known key, its session token, a credential scope for `service`
 * (`cloudtrail` or `sts`) and today, a date within five minutes. Throws the AwsError AWS
 * would answer.
 */
export function checkAuthorization(
  request: Pick<ReceivedRequest, 'headers'>,
  principals: readonly Principal[],
  service: string,
  now: Date = new Date(),
): Authorization {
  const authorization = request.headers.authorization;
  if (!authorization) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parts = AUTHORIZATION.exec(authorization);
  if (!parts)
    throw new AwsError(
      'IncompleteSignatureException',
      `Authorization header requires a valid AWS4-HMAC-SHA256 Credential, SignedHeaders and Signature.`,
    );
  const [, accessKeyId, scopeDay, region, scopeService, signedHeaderList] = parts as unknown as string[];

  const principal = principals.find((p) => p.accessKeyId === accessKeyId);
  if (!principal) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (principal.sessionToken !== undefined && request.headers['x-amz-security-token'] !== principal.sessionToken) {
    throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }

  const dateHeader = request.headers['x-amz-date'];
  const date = amzDate(dateHeader);
  if (!date || dateHeader === undefined)
    throw new AwsError('IncompleteSignatureException', 'The request must carry an X-Amz-Date header in the form YYYYMMDDTHHMMSSZ.');
  if (scopeService !== service || scopeDay !== dateHeader.slice(0, 8)) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to a valid date and the service ${service}.`);
  }
  if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS) {
    throw new AwsError(
      'InvalidSignatureException',
      `Signature expired: ${request.headers['x-amz-date']} is more than 5 minutes from the server time ${now.toISOString()}.`,
    );
  }

  return { principal, region: region!, service, date, authorization, signedHeaders: signedHeaderList!.split(';') };
}

/** A signed x-amz-content-sha256 stands for the body in the signature: it must be the body's hash. */
function checkPayloadHash(request: ReceivedRequest): void {
  const claimed = request.headers['x-amz-content-sha256'];
  if (claimed === undefined) return;
  const actual = createHash('sha256').update(request.body).digest('hex');
  if (claimed !== actual) {
    // UNSIGNED-PAYLOAD and streaming forms are S3's; a JSON or Query call signs its body.
    throw new AwsError(
      'InvalidSignatureException',
      'The x-amz-content-sha256 header is not the hex SHA-256 of the request body: send the body that was signed, with its hash or without that header.',
    );
  }
}

/** The whole request, once its body is read: the signature over method, path, query, signed headers and body. */
export async function verifySignature(request: ReceivedRequest, checked: Authorization, now: Date = new Date()): Promise<Caller> {
  const { principal, region, service, date, authorization, signedHeaders: signed } = checked;
  checkPayloadHash(request);
  const headers = Object.fromEntries(
    signed.flatMap((name) => {
      const value = request.headers[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  const signer = new SignatureV4({
    service,
    region,
    credentials: {
      accessKeyId: principal.accessKeyId,
      secretAccessKey: principal.secretAccessKey,
      ...(principal.sessionToken !== undefined ? { sessionToken: principal.sessionToken } : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
    // The signer would add an x-amz-content-sha256 header of its own; the JS SDK sends and
    // signs one, botocore (the AWS CLI) does not. Sign only what the client sent.
    applyChecksum: false,
  });
  const resigned = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: '', path: request.path, query: request.query, headers, body: request.body },
    // Sign exactly what the client said it signed, even headers the signer would skip.
    { signingDate: date, signableHeaders: new Set(signed) },
  );
  if (resigned.headers.authorization !== authorization) {
    throw new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  if (principal.expired || (principal.expiresAt !== undefined && principal.expiresAt <= now.getTime()))
    throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
  return { principal, region };
}
