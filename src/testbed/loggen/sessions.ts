// Temporary credentials over time. A workload's role session lasts a while, then is
// renewed, and the renewal itself is a record (AssumeRole by ec2.amazonaws.com, a
// ConsoleLogin, AssumeRoleWithWebIdentity from CI…) whose response names the new key:
// the trail stays internally consistent for "what did this key do" investigations.
import { assumedRole, awsService, iamUserKey, newSessionKey, type Session } from './identities';
import { organisation, type AccountResources, type IamRole, type IamUser } from './org';
import type { Rng } from './prng';
import { makeRecord } from './record';
import { action } from './services/index';
import { consoleLogin } from './services/signin';
import { GLOBAL_REGION, type Timed, type UserIdentity } from './types';

export interface SessionSource {
  /** How long credentials live before the holder renews them. */
  ttl: number;
  mint(rng: Rng, created: number, ttl: number): Session;
  /** The record that handed out `s`; absent when that call is not in this trail
   *  (Identity Center portal logins happen outside the member accounts). */
  renew?: ((rng: Rng, s: Session) => Timed) | undefined;
  /** Console logins sometimes fail first (a mistyped MFA code). */
  failedRenewal?(rng: Rng, t: number): Timed;
}

export function roleSessionMinter(
  acct: AccountResources,
  r: IamRole,
  sessionName: (rng: Rng) => string,
  opts: { ec2?: boolean; invokedBy?: string; mfa?: boolean; ip?: (rng: Rng) => string } = {},
): SessionSource['mint'] {
  return (rng, created, ttl) => {
    const key = newSessionKey(rng);
    return {
      key,
      created,
      expires: created + ttl,
      identity: assumedRole(acct, r, sessionName(rng), key, created, opts),
      ip: opts.ip?.(rng),
    };
  };
}

/** An AWS service assuming a role for a workload (instance profile, Lambda, ECS task, Config). */
export function serviceAssumes(invokedBy: string): SessionSource['renew'] {
  const identity = awsService(invokedBy);
  return (rng, s) => {
    const acct = accountOf(s);
    return makeRecord(action('sts:AssumeRole'), {
      rng,
      time: s.created,
      acct,
      region: GLOBAL_REGION,
      identity,
      ip: invokedBy,
      ua: invokedBy,
      session: s,
    });
  };
}

/** An IAM user's key assuming a role (possibly in another account); logged in the caller's account. */
export function userAssumes(callerAcct: AccountResources, u: IamUser, ip: (rng: Rng) => string, ua: string): SessionSource['renew'] {
  const identity = iamUserKey(callerAcct, u);
  return (rng, s) =>
    makeRecord(action('sts:AssumeRole'), {
      rng,
      time: s.created,
      acct: callerAcct,
      region: GLOBAL_REGION,
      identity,
      ip: s.ip ?? ip(rng),
      ua,
      session: s,
    });
}

/** CI exchanging its OIDC token for role credentials. */
export function webIdentityAssumes(identity: UserIdentity, ua: string): SessionSource['renew'] {
  return (rng, s) =>
    makeRecord(action('sts:AssumeRoleWithWebIdentity'), {
      rng,
      time: s.created,
      acct: accountOf(s),
      region: GLOBAL_REGION,
      identity,
      ip: s.ip ?? '20.102.0.1',
      ua,
      session: s,
    });
}

export function federationToken(acct: AccountResources, broker: IamUser, ip: (rng: Rng) => string, ua: string): SessionSource['renew'] {
  const identity = iamUserKey(acct, broker);
  return (rng, s) =>
    makeRecord(action('sts:GetFederationToken'), {
      rng,
      time: s.created,
      acct,
      region: GLOBAL_REGION,
      identity,
      ip: ip(rng),
      ua,
      session: s,
    });
}

/** An IAM user signing in to the console, always with MFA in the clean trail. */
export function consoleSignIn(
  acct: AccountResources,
  u: IamUser,
  ip: (rng: Rng) => string,
  ua: string,
): Pick<SessionSource, 'renew' | 'failedRenewal'> {
  const identity: UserIdentity = {
    type: 'IAMUser',
    principalId: u.id,
    arn: `arn:aws:iam::${acct.account.id}:user/${u.name}`,
    accountId: acct.account.id,
    userName: u.name,
  };
  const mfaDevice = `arn:aws:iam::${acct.account.id}:mfa/${u.name}`;
  return {
    renew: (rng, s) =>
      consoleLogin(
        { rng, time: s.created, acct, region: GLOBAL_REGION, identity, ip: ip(rng), ua },
        { mfa: true, success: true, mfaDevice },
      ),
    failedRenewal: (rng, t) =>
      consoleLogin({ rng, time: t, acct, region: GLOBAL_REGION, identity, ip: ip(rng), ua }, { mfa: true, success: false, mfaDevice }),
  };
}

function accountOf(s: Session): AccountResources {
  const id = s.identity.accountId!;
  return organisation().byId.get(id)!;
}
