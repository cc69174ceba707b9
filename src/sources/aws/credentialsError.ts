// Why credentials could not be had, said as what to do next. Every message passes through
// `scrub`, so a key, secret or token that an underlying error happened to quote is never
// shown, logged or stored; the secrets the caller knows (the profiles' keys, the session's
// token) are removed by value, since a server's error text may echo them back. What a server
// wrote is quoted bounded and with control and bidi characters escaped (displayText).
// For the same reason it keeps no `cause`: the underlying error's text is not scrubbed.
import type { ErrorKind } from '../../engine/errorKind';
import { displayText } from './displayText';
import { isCancelled } from '../../protocol/cancelled';
import type { AwsConfigFiles, ProfileKind } from './profiles';

export class AwsCredentialsError extends Error {
  override readonly name = 'AwsCredentialsError';
  constructor(
    message: string,
    /** The profile concerned; undefined for credentials from the environment. */
    readonly profile?: string,
    readonly errorKind?: ErrorKind,
  ) {
    super(scrub(message));
  }
}

const SECRET_NAMES =
  /(aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken|secret|token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

/** A secret key or session token: a long run of mixed-case base64 (a path has more slashes). */
function looksSecret(run: string): boolean {
  return /\d/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run) && (run.match(/\//g) ?? []).length <= 2;
}

/** Each known secret (a key, a token) replaced wherever it occurs; short values are left (they would blank ordinary words). */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let redacted = text;
  for (const secret of secrets) if (secret !== undefined && secret.length >= 8) redacted = redacted.split(secret).join('…');
  return redacted;
}

/** Blanks anything shaped like a secret or token assignment, and long base64 runs. */
export function scrub(text: string): string {
  return text.replace(SECRET_NAMES, '$1$2…').replace(/[A-Za-z0-9+/]{40,}={0,2}/g, (run) => (looksSecret(run) ? '…' : run));
}

export interface CredentialsErrorContext {
  readonly profile?: string;
  readonly kind?: ProfileKind | 'environment' | 'chain';
  readonly files: AwsConfigFiles;
  readonly mfaSerial?: string;
  readonly roleArn?: string;
  /** The STS call that failed, named in the message (a GetCallerIdentity refusal is no AssumeRole). */
  readonly operation?: 'GetCallerIdentity' | 'AssumeRole';
  /** Secrets known to the caller, removed from the message by value. */
  readonly secrets?: readonly (string | undefined)[];
}

export function describeWho(profile: string | undefined): string {
  return profile === undefined ? 'the credentials in the environment (AWS_ACCESS_KEY_ID)' : `profile ${profile}`;
}

const NETWORK = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|getaddrinfo|socket hang up/;

/** What `aws sso login --profile` fixes: the messages below say so, and the kind lets a face offer it. */
export function credentialsExpired(profile: string): ErrorKind {
  return { kind: 'credentialsExpired', profile };
}

export function ssoLoginMessage(profile: string, what: string): string {
  return `${what}: run \`aws sso login --profile ${profile}\` and try again`;
}

export function expiredMessage(profile: string | undefined): string {
  return profile === undefined
    ? 'the credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN) have expired: export new ones, or unset them and choose a profile, and run again'
    : `the credentials of profile ${profile} have expired: run \`aws sso login --profile ${profile}\` (or renew the session) and run again`;
}

/**
 * The error a person sees. Failures that are not about credentials (the network, a
 * cancelled run) come back unchanged, for the caller to explain in its own terms.
 */
export function explainCredentialsError(error: unknown, context: CredentialsErrorContext): Error {
  if (error instanceof AwsCredentialsError) return error;
  const name = (error as { name?: string }).name ?? '';
  const raw = String((error as Error)?.message ?? error);
  const { profile, operation } = context;
  const who = describeWho(profile);
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
  if (isCancelled(error) || NETWORK.test(code) || NETWORK.test(raw)) return error as Error;
  // What the server (or the SDK) said, as a quote inside our own sentence: which call, bounded, escaped.
  const message = `${operation ? `STS ${operation}: ` : ''}${displayText(raw)}`;
  const fail = (text: string, kind?: ErrorKind): AwsCredentialsError =>
    new AwsCredentialsError(redactSecrets(text, context.secrets ?? []), profile, kind);
  const renew = profile === undefined ? undefined : credentialsExpired(profile);
  if (operation === 'GetCallerIdentity' && (name === 'AccessDenied' || name === 'AccessDeniedException')) {
    // No IAM policy can deny GetCallerIdentity: a refusal comes from what stands between this
    // machine and STS. It is not about any role, whatever the profile assumes.
    return fail(
      `STS GetCallerIdentity was refused for ${who} (${message}): every principal may call it, so the refusal comes from ` +
        'a VPC endpoint policy, a proxy or the endpoint override between this machine and STS; check those, or run where AWS STS is reachable directly',
    );
  }
  switch (name) {
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return fail(`${expiredMessage(profile)}${operation ? ` (STS ${operation} refused them)` : ''}`, renew);
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
      return fail(`AWS does not recognise the access key of ${who}: check the key, or whether it was deactivated (${message})`);
    case 'SignatureDoesNotMatch':
    case 'InvalidSignatureException':
      return fail(`AWS rejected the request signature of ${who}: check its secret key and this machine's clock (${message})`);
    case 'AccessDenied':
    case 'AccessDeniedException':
      if (/MultiFactorAuthentication/i.test(message)) {
        return fail(
          `the MFA code for ${context.mfaSerial ?? 'the MFA device'} was not accepted when ${who} assumed ${context.roleArn ?? 'its role'}: ` +
            'enter the code the device shows now (each code is valid for 30 seconds and only once) and try again',
        );
      }
      if (context.roleArn === undefined) return fail(`AWS refused ${who} (${message}): check what its credentials may do`);
      return fail(
        `${who} may not assume ${context.roleArn}: ${message}. Check the role's trust policy, and whether it requires MFA (mfa_serial in the profile)`,
      );
  }
  if (/requires multi-factor authentication/i.test(message)) {
    return fail(
      `${who} assumes a role behind MFA${context.mfaSerial ? ` (${context.mfaSerial})` : ''}, and there is no way to ask for a code here: run it where a code can be typed (a terminal, or the editor)`,
    );
  }
  if (context.kind === 'sso' && profile !== undefined) {
    return fail(ssoLoginMessage(profile, `the SSO session of profile ${profile} has expired or is not valid (${message})`), renew);
  }
  if (/Could not resolve credentials using profile/.test(message)) {
    return fail(
      `${who} in ${context.files.config} or ${context.files.credentials} has no credentials Trailbook can use: it needs keys, a role (role_arn with source_profile), sso_session or credential_process`,
    );
  }
  return fail(`cannot get credentials for ${who}: ${message}`);
}
