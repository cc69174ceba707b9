// Who may call the local endpoint. Each principal is one access key with the account it
// belongs to; the flags stand in for what IAM and STS would decide in a real account, so
// tests can reach every refusal LookupEvents can give without an AWS account.
import { randomAccessKeyId, randomSecretAccessKey } from './randomKeys';

export interface Principal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials carry a token; the request must present the same one. */
  readonly sessionToken?: string;
  /** The account the key belongs to: rate limits are per account and region, as in AWS. */
  readonly account: string;
  /** The credentials have expired: every request gets ExpiredTokenException. */
  readonly expired?: boolean;
  /** The principal has no cloudtrail:LookupEvents permission: AccessDeniedException. */
  readonly denied?: boolean;
  /**
   * Every STS call of this principal is AccessDenied, as when an STS VPC endpoint policy
   * denies it: the one way GetCallerIdentity, which IAM policies cannot deny, gets a 403.
   */
  readonly stsDenied?: boolean;
  /** What GetCallerIdentity answers; default an IAM user named after the key. */
  readonly arn?: string;
  /** Epoch milliseconds after which the credentials are refused as expired (sessions from AssumeRole). */
  readonly expiresAt?: number;
}

export const arnOf = (principal: Principal): string => principal.arn ?? `arn:aws:iam::${principal.account}:user/${principal.accessKeyId}`;

/** The account of the principal `trailbook serve-cloudtrail` makes. */
export const LOCAL_ACCOUNT = '123456789012';

/**
 * The principal of one `trailbook serve-cloudtrail` start: fresh keys every time, printed
 * for the person or script that started it. Keys fixed in the source (as they once were)
 * let any program that can reach the port, a web page through DNS rebinding included, sign
 * requests and read the served events.
 */
export function localPrincipal(): Principal {
  return { accessKeyId: randomAccessKeyId('AKIA'), secretAccessKey: randomSecretAccessKey(), account: LOCAL_ACCOUNT };
}
