// LookupEvents for a verified caller: its permission, the operation named by X-Amz-Target,
// the account's rate limit, then one page of events.
import { AwsError } from './awsError';
import type { LookupEvent } from './lookupEvent';
import { lookupPage } from './lookupPage';
import { parseLookupRequest } from './lookupRequest';
import type { NextTokens } from './nextToken';
import type { RateLimiter } from './rateLimiter';
import type { Received } from './server';
import type { Caller } from './verifySignature';

// The target the service model declares (what botocore and the AWS CLI send), and the
// short form that the schema-based JS SDK v3 sends (`serviceTarget.operation`): AWS takes both.
const LOOKUP_EVENTS_TARGETS = new Set([
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
  'CloudTrail_20131101.LookupEvents',
]);

export async function lookupAction(
  request: Received,
  caller: Caller,
  events: readonly LookupEvent[],
  limiter: RateLimiter,
  tokens: NextTokens,
): Promise<string> {
  const { headers, body } = request;
  if (caller.principal.denied) {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${caller.principal.account}:user/${caller.principal.accessKeyId} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
    );
  }
  if (request.method !== 'POST' || !LOOKUP_EVENTS_TARGETS.has(headers['x-amz-target'] ?? '')) {
    throw new AwsError(
      'UnknownOperationException',
      `this endpoint serves LookupEvents only, not ${headers['x-amz-target'] || 'a request without X-Amz-Target'}`,
    );
  }
  if (!limiter.admit(caller.principal.account, caller.region)) throw new AwsError('ThrottlingException', 'Rate exceeded');
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AwsError('SerializationException', 'the request body is not JSON', 400, { cause: error });
  }
  const lookup = parseLookupRequest(input, `${caller.principal.account}/${caller.region}`);
  return JSON.stringify(lookupPage(events, lookup, tokens));
}
