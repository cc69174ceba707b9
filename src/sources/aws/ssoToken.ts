// An SSO profile's login is a token that `aws sso login` caches in ~/.aws/sso/cache, under
// the SHA-1 of the sso-session name (or, in the older format, of the start URL). Looking at
// it first lets an expired or missing login be reported with the command that fixes it,
// without a network round trip that could only fail.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsCredentialsError, credentialsExpired, ssoLoginMessage } from './credentialsError';
import { homeDirectory } from './profiles';

export function ssoTokenPath(values: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): string | undefined {
  const id = values.sso_session || values.sso_start_url;
  if (!id) return undefined;
  return join(homeDirectory(env), '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);
}

/** Throws when the login is missing or expired and cannot be refreshed without a new login. */
export async function checkSsoToken(
  profile: string,
  values: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  now: number = Date.now(),
): Promise<void> {
  const path = ssoTokenPath(values, env);
  if (!path) return;
  let token: { expiresAt?: unknown; refreshToken?: unknown };
  try {
    token = JSON.parse(await readFile(path, 'utf8')) as typeof token;
  } catch {
    throw new AwsCredentialsError(
      ssoLoginMessage(profile, `profile ${profile} signs in with IAM Identity Center (SSO) and there is no login on this machine`),
      profile,
      credentialsExpired(profile),
    );
  }
  const expires = typeof token.expiresAt === 'string' ? Date.parse(token.expiresAt) : Number.NaN;
  // The newer sso-session format refreshes an expired token by itself when it has a refresh token.
  const refreshable = Boolean(values.sso_session) && typeof token.refreshToken === 'string';
  if ((Number.isNaN(expires) || expires <= now) && !refreshable) {
    const when = Number.isNaN(expires) ? '' : ` at ${new Date(expires).toISOString()}`;
    throw new AwsCredentialsError(
      ssoLoginMessage(profile, `the SSO session of profile ${profile} expired${when}`),
      profile,
      credentialsExpired(profile),
    );
  }
}
