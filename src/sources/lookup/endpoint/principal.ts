// Who may call the local endpoint. Each principal is one access key with the account it
// belongs to; the flags stand in for what IAM and STS would decide in a real account, so
// tests can reach every refusal LookupEvents can give without an AWS account.

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
  /** What GetCallerIdentity answers; default an IAM user named after the key. */
  readonly arn?: string;
  /** Epoch milliseconds after which the credentials are refused as expired (sessions from AssumeRole). */
  readonly expiresAt?: number;
}

export const arnOf = (principal: Principal): string => principal.arn ?? `arn:aws:iam::${principal.account}:user/${principal.accessKeyId}`;

/** The principal that `trailbook serve-cloudtrail` configures, printed for the user to copy. */
export const LOCAL_PRINCIPAL: Principal = {
  accessKeyId: 'AKIDTRAILBOOKLOCAL',
  secretAccessKey: 'trailbook-local-secret',
  account: '123456789012',
};
