// Which account (and which principal) credentials belong to: STS GetCallerIdentity, which
// every principal may call. The account keys rate limits and caches, and is named in
// every result so that a reader knows which account an empty result is about.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { stsEndpointFor } from './endpointOverride';

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export interface CallerIdentityOptions {
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Default us-east-1. */
  readonly region?: string;
  /** The endpoint override; STS goes there only if it is loopback (endpointOverride.ts), else to AWS's STS. */
  readonly endpoint?: string;
  readonly signal?: AbortSignal;
}

/** Errors are the SDK's (ExpiredToken, InvalidClientTokenId, network); callers explain them. */
export async function getCallerIdentity(options: CallerIdentityOptions): Promise<CallerIdentity> {
  // Exported on its own: whoever calls it gets the same rule as a session.
  const endpoint = stsEndpointFor(options.endpoint);
  const client = new STSClient({
    region: options.region ?? 'us-east-1',
    credentials: options.credentials,
    maxAttempts: 2,
    ...(endpoint ? { endpoint } : {}),
  });
  try {
    const output = await client.send(new GetCallerIdentityCommand({}), options.signal ? { abortSignal: options.signal } : {});
    if (!output.Account) throw new Error('STS GetCallerIdentity answered without an account');
    return { account: output.Account, arn: output.Arn ?? '', userId: output.UserId ?? '' };
  } finally {
    client.destroy();
  }
}
