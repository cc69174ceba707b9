// An error as an AWS JSON 1.1 service sends it: HTTP 400, the code in the body's `__type`
// and in the x-amzn-ErrorType header (the SDK reads either), the text in `message`.
// Codes are AWS's own names, so the SDK raises the same exception classes it would
// against the real service and code under test cannot tell the difference.

export type AwsErrorCode =
  | 'InvalidLookupAttributesException'
  | 'InvalidTimeRangeException'
  | 'InvalidMaxResultsException'
  | 'InvalidNextTokenException'
  | 'InvalidEventCategoryException'
  | 'ThrottlingException'
  // S3's throttling answer (503), which the SDK's retry backs off from.
  | 'SlowDown'
  | 'UnrecognizedClientException'
  // What JSON-protocol services answer for a signature that does not verify (S3's
  // SignatureDoesNotMatch is the REST/XML name); the SDK treats it as a clock-skew error.
  | 'InvalidSignatureException'
  | 'IncompleteSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'ExpiredTokenException'
  | 'AccessDeniedException'
  | 'UnknownOperationException'
  | 'SerializationException'
  // STS (AWS Query protocol) names its refusals differently; see stsXml.ts.
  | 'AccessDenied'
  | 'InvalidAction'
  | 'MissingParameter'
  | 'ValidationError'
  | 'InternalFailure'
  // Athena (src/testbed/athenaEndpoint): a request it will not take, and its concurrency limit.
  | 'InvalidRequestException'
  | 'TooManyRequestsException'
  | 'MetadataException'
  // S3's REST/XML names, for the Athena endpoint's ListObjectsV2 over its log folder.
  | 'NoSuchBucket'
  | 'InvalidRequest'
  | 'InvalidArgument'
  | 'InvalidAccessKeyId'
  | 'SignatureDoesNotMatch'
  // Refusals of the endpoint itself, before any AWS logic: a body past the cap (413) and a
  // Host header that is not this machine's loopback (421, as for a request meant elsewhere).
  | 'RequestEntityTooLarge'
  | 'MisdirectedRequest';

export class AwsError extends Error {
  constructor(
    readonly code: AwsErrorCode,
    message: string,
    readonly status = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  body(): string {
    return JSON.stringify({ __type: this.code, message: this.message });
  }
}
