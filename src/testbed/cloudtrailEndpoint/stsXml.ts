// STS speaks the AWS Query protocol: form-encoded requests, XML answers in the 2011-06-15
// namespace, and errors as an ErrorResponse whose Code the SDK turns into its exception
// class. The authentication refusals shared with CloudTrail have other names here
// (InvalidClientTokenId, not UnrecognizedClientException), so they are renamed on the way out.
import type { AwsError } from './awsError';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const QUERY_CODES: Record<string, { code: string; status: number }> = {
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403 },
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403 },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400 },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403 },
  ExpiredTokenException: { code: 'ExpiredToken', status: 403 },
  AccessDenied: { code: 'AccessDenied', status: 403 },
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** `{ Arn: 'x', Credentials: { … } }` as nested elements, in the order given. */
export function xmlElements(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) =>
        `<${name}>${typeof value === 'object' && value !== null ? xmlElements(value as Record<string, unknown>) : escapeXml(String(value))}</${name}>`,
    )
    .join('');
}

export function stsResponse(action: string, result: Record<string, unknown>, requestId: string): string {
  return (
    `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${xmlElements(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function stsError(error: AwsError, requestId: string): { status: number; body: string; code: string } {
  const mapped = QUERY_CODES[error.code] ?? { code: error.code, status: error.status };
  return {
    status: mapped.status,
    code: mapped.code,
    body:
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${mapped.code}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
