// SigV4 on every request, checked the way AWS checks it: find the principal by the access
// key in the credential scope, sign the received request again with its secret (same
// X-Amz-Date, same signed headers, same body) and compare. The same library the SDK signs
// with does the signing, so the server cannot drift from what clients send.
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

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** `20240731T130624Z` to a Date, or undefined. */
function amzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `service` is the one the credential scope must name: `cloudtrail` or `sts`. */
export async function verifySignature(request: ReceivedRequest, principals: readonly Principal[], service: string, now: Date = new Date()): Promise<Caller> {
  const authorization = request.headers.authorization;
  if (!authorization) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parts = AUTHORIZATION.exec(authorization);
  if (!parts) throw new AwsError('IncompleteSignatureException', `Authorization header requires a valid AWS4-HMAC-SHA256 Credential, SignedHeaders and Signature.`);
  const [, accessKeyId, scopeDay, region, scopeService, signedHeaderList] = parts as unknown as string[];

  const principal = principals.find((p) => p.accessKeyId === accessKeyId);
  if (!principal) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (principal.sessionToken !== undefined && request.headers['x-amz-security-token'] !== principal.sessionToken) {
    throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }

  const date = amzDate(request.headers['x-amz-date']);
  if (!date) throw new AwsError('IncompleteSignatureException', 'The request must carry an X-Amz-Date header in the form YYYYMMDDTHHMMSSZ.');
  if (scopeService !== service || scopeDay !== request.headers['x-amz-date']!.slice(0, 8)) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to a valid date and the service ${service}.`);
  }
  if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS) {
    throw new AwsError('InvalidSignatureException', `Signature expired: ${request.headers['x-amz-date']} is more than 5 minutes from the server time ${now.toISOString()}.`);
  }

  const signed = signedHeaderList!.split(';');
  const headers = Object.fromEntries(signed.filter((name) => request.headers[name] !== undefined).map((name) => [name, request.headers[name]!]));
  const signer = new SignatureV4({
    service,
    region: region!,
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
  if (principal.expired || (principal.expiresAt !== undefined && principal.expiresAt <= now.getTime())) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
  return { principal, region: region! };
}
