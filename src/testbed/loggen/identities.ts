// userIdentity blocks for each kind of caller. Built once per credential (key or
// session) and shared by every record that uses it: JSON.stringify writes a shared
// object each time, and not rebuilding it is a large part of the generator's speed.
import { awsId } from './ids';
import type { AccountResources, IamRole, IamUser } from './org';
import { roleArn, userArn } from './org';
import type { Rng } from './prng';
import { isoSeconds } from './time';
import type { UserIdentity } from './types';

/** A long-term access key (AKIA…) used without a session: no sessionContext at all,
 *  which detections read as "no MFA". */
export function iamUserKey(acct: AccountResources, u: IamUser): UserIdentity {
  return {
    type: 'IAMUser',
    principalId: u.id,
    arn: userArn(acct, u),
    accountId: acct.account.id,
    accessKeyId: u.accessKeyId,
    userName: u.name,
  };
}

/** An IAM user's console session: temporary ASIA key, MFA as signed in. */
export function iamUserSession(acct: AccountResources, u: IamUser, key: string, created: number, mfa: boolean): UserIdentity {
  return {
    type: 'IAMUser',
    principalId: u.id,
    arn: userArn(acct, u),
    accountId: acct.account.id,
    accessKeyId: key,
    userName: u.name,
    sessionContext: {
      attributes: { creationDate: isoSeconds(created), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
}

export function assumedRole(
  acct: AccountResources,
  r: IamRole,
  sessionName: string,
  key: string,
  created: number,
  opts: { mfa?: boolean; ec2?: boolean; invokedBy?: string } = {},
): UserIdentity {
  const identity: UserIdentity = {
    type: 'AssumedRole',
    principalId: `${r.id}:${sessionName}`,
    arn: `arn:aws:sts::${acct.account.id}:assumed-role/${r.name}/${sessionName}`,
    accountId: acct.account.id,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: r.id, arn: roleArn(acct, r), accountId: acct.account.id, userName: r.name },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(created), mfaAuthenticated: opts.mfa ? 'true' : 'false' },
    },
  };
  // Instance-profile credentials carry the IMDS version that delivered them.
  if (opts.ec2) identity.sessionContext!.ec2RoleDelivery = '2.0';
  if (opts.invokedBy) identity.invokedBy = opts.invokedBy;
  return identity;
}

export function federatedUser(acct: AccountResources, broker: IamUser, name: string, key: string, created: number): UserIdentity {
  return {
    type: 'FederatedUser',
    principalId: `${acct.account.id}:${name}`,
    arn: `arn:aws:sts::${acct.account.id}:federated-user/${name}`,
    accountId: acct.account.id,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: {
        type: 'IAMUser',
        principalId: broker.id,
        arn: userArn(acct, broker),
        accountId: acct.account.id,
        userName: broker.name,
      },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(created), mfaAuthenticated: 'false' },
    },
  };
}

export const GITHUB_OIDC = 'token.actions.githubusercontent.com';

export function webIdentityUser(acct: AccountResources, subject: string): UserIdentity {
  const provider = `arn:aws:iam::${acct.account.id}:oidc-provider/${GITHUB_OIDC}`;
  return {
    type: 'WebIdentityUser',
    principalId: `${provider}:sts.amazonaws.com:${subject}`,
    userName: subject,
    identityProvider: provider,
  };
}

/** A call an AWS service makes on its own behalf (assuming a service role, …). */
export function awsService(invokedBy: string): UserIdentity {
  return { type: 'AWSService', invokedBy };
}

export function root(acct: AccountResources, key?: string, created?: number, mfa?: boolean): UserIdentity {
  const identity: UserIdentity = {
    type: 'Root',
    principalId: acct.account.id,
    arn: `arn:aws:iam::${acct.account.id}:root`,
    accountId: acct.account.id,
  };
  if (key !== undefined && created !== undefined) {
    identity.accessKeyId = key;
    identity.sessionContext = { attributes: { creationDate: isoSeconds(created), mfaAuthenticated: mfa ? 'true' : 'false' } };
  }
  return identity;
}

/** Temporary credentials: what an AssumeRole response hands out and later calls use. */
export interface Session {
  key: string;
  created: number;
  expires: number;
  identity: UserIdentity;
  /** Where the holder calls from, when that is fixed for the session (one CI runner). */
  ip?: string | undefined;
}

export function newSessionKey(rng: Rng): string {
  return awsId(rng, 'ASIA');
}
