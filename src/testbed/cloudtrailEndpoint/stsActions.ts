// The two STS actions Trailbook needs: GetCallerIdentity (which account the credentials
// belong to) and AssumeRole (profiles with role_arn, optionally behind an MFA code). The
// checks are the ones a person meets in AWS: an unknown role or a missing or wrong MFA code
// is AccessDenied, and malformed parameters are ValidationError.
import { randomBytes } from 'node:crypto';
import { AwsError } from './awsError';
import { arnOf } from './principal';
import type { Sessions } from './sessions';
import type { Caller } from './verifySignature';

/** A role that principals of the endpoint may assume (the trust policy, reduced to MFA or not). */
export interface EndpointRole {
  /** `arn:aws:iam::ACCOUNT:role/NAME`: the session belongs to ACCOUNT. */
  readonly arn: string;
  /** The trust policy requires MFA with this device: AssumeRole must send it and a valid code. */
  readonly mfaSerial?: string;
}

export interface StsContext {
  readonly roles: readonly EndpointRole[];
  /** The one MFA code the endpoint accepts (tests choose it). */
  readonly mfaCode?: string;
  readonly sessions: Sessions;
  /** Sessions last this long whatever was asked (tests of renewal); AWS's own rules otherwise. */
  readonly sessionSeconds?: number;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MAX_SESSION_SECONDS = 3600;

export const STS_VERSION = '2011-06-15';

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function assumeRole(params: URLSearchParams, caller: Caller, context: StsContext): Record<string, unknown> {
  const roleArn = required(params, 'RoleArn');
  const sessionName = required(params, 'RoleSessionName');
  if (!SESSION_NAME.test(sessionName)) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const seconds = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : MAX_SESSION_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 900) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  }
  if (seconds > MAX_SESSION_SECONDS)
    throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

  const notAuthorized = `User: ${arnOf(caller.principal)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
  const role = context.roles.find((r) => r.arn === roleArn);
  const parts = ROLE_ARN.exec(roleArn);
  if (!role || !parts) throw new AwsError('AccessDenied', notAuthorized);
  if (role.mfaSerial !== undefined) {
    const serial = params.get('SerialNumber');
    const code = params.get('TokenCode');
    // Without MFA the trust policy's condition does not hold: the plain refusal.
    if (!serial || !code) throw new AwsError('AccessDenied', notAuthorized);
    if (serial !== role.mfaSerial || context.mfaCode === undefined || code !== context.mfaCode) {
      throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');
    }
  }
  const [, account, roleName] = parts as unknown as [string, string, string];
  const sessionArn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
  const session = context.sessions.issue(account, sessionArn, context.sessionSeconds ?? seconds);
  const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
  return {
    AssumedRoleUser: { AssumedRoleId: `${roleId}:${sessionName}`, Arn: sessionArn },
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt!).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}

/** Runs one STS action for a verified caller; the result element's fields. */
export function stsAction(
  params: URLSearchParams,
  caller: Caller,
  context: StsContext,
): { action: string; result: Record<string, unknown> } {
  const action = params.get('Action') ?? '';
  if (params.get('Version') !== STS_VERSION)
    throw new AwsError(
      'InvalidAction',
      `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
    );
  if (caller.principal.stsDenied) {
    throw new AwsError(
      'AccessDenied',
      `User: ${arnOf(caller.principal)} is not authorized to perform: sts:${action} with an explicit deny in a VPC endpoint policy`,
    );
  }
  switch (action) {
    case 'GetCallerIdentity': {
      const { principal } = caller;
      const arn = arnOf(principal);
      const userId = arn.includes(':assumed-role/')
        ? `AROA${principal.accessKeyId.slice(4, 20)}:${arn.slice(arn.lastIndexOf('/') + 1)}`
        : `AIDA${principal.accessKeyId.slice(4, 20)}`;
      return { action, result: { UserId: userId, Account: principal.account, Arn: arn } };
    }
    case 'AssumeRole':
      return { action, result: assumeRole(params, caller, context) };
    default:
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${action} for version ${STS_VERSION}: this endpoint serves GetCallerIdentity and AssumeRole`,
      );
  }
}
