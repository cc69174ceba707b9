// What went wrong with LookupEvents, said so that a person can fix it. The SDK's own
// messages name codes; these name the permission, the command or the setting to change.
// The service's own words (its message, even its error code) are whatever the endpoint
// wrote: quoted bounded, escaped and scrubbed, never verbatim.
import type { ErrorKind } from '../../engine/errorKind';
import { AwsCredentialsError, credentialsExpired, scrub } from '../aws/credentialsError';
import { displayText } from '../aws/displayText';
import { CANCELLED_MESSAGE, isCancelled } from '../../protocol/cancelled';

export interface LookupErrorContext {
  readonly profile?: string;
  readonly endpoint?: string;
  readonly regions: readonly string[];
}

/** The kind of the failure explainLookupError words, where one step fixes it. */
export function lookupErrorKind(error: unknown, context: Pick<LookupErrorContext, 'profile'>): ErrorKind | undefined {
  if (error instanceof AwsCredentialsError) return error.errorKind;
  const name = (error as { name?: string }).name ?? '';
  return name === 'ExpiredTokenException' || name === 'ExpiredToken' ? credentialsExpired(context.profile ?? 'default') : undefined;
}

export function explainLookupError(error: unknown, context: LookupErrorContext): string {
  // Credentials that could not be had (or renewed mid-query) are explained where they are resolved.
  if (error instanceof AwsCredentialsError) return error.message;
  if (isCancelled(error)) return CANCELLED_MESSAGE;
  const name = (error as { name?: string }).name ?? '';
  const message = displayText(scrub((error as Error).message ?? String(error)));
  const profile = context.profile ?? 'default';
  switch (name) {
    case 'AccessDeniedException':
      return `LookupEvents was refused for profile ${profile}: its role or user needs the permission cloudtrail:LookupEvents (${message})`;
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return `the credentials of profile ${profile} have expired: run \`aws sso login --profile ${profile}\` (or renew the session) and run again`;
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return `AWS does not recognise the access key of profile ${profile}: check its credentials (${message})`;
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return `AWS rejected the request signature of profile ${profile}: check its secret key and this machine's clock (${message})`;
    case 'InvalidTimeRangeException':
      return `the window is not a valid LookupEvents time range: ${message}`;
    case 'CredentialsProviderError':
      return `no AWS credentials for profile ${profile}: ${message}`;
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return `cannot reach CloudTrail${context.endpoint ? ` at ${context.endpoint}` : ''} in ${context.regions.join(', ')}: check the network${context.endpoint ? ' and the endpoint' : ' and the region names'} (${message})`;
  }
  return `LookupEvents failed: ${name ? `${displayText(scrub(name), 80)}: ` : ''}${message}`;
}
