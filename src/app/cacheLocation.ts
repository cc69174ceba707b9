import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$TRAILBOOK_CACHE_DIR`, else the XDG cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRAILBOOK_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trailbook');
}

/** One cache folder per log folder, so unrelated investigations never share state. */
export function cacheDirFor(cacheDir: string, logsPath: string): string {
  const key = createHash('sha256').update(resolve(logsPath)).digest('hex').slice(0, 16);
  return join(cacheDir, `local-${key}`);
}

/**
 * One cache folder per AWS account (and endpoint): LookupEvents answers the same for every
 * principal of an account, so two profiles of one account share what was fetched. Hashed,
 * so no identifier is written into a path.
 */
export function lookupCacheDirForAccount(cacheDir: string, endpoint: string | undefined, account: string): string {
  const key = createHash('sha256')
    .update(`${endpoint ?? 'aws'}\naccount:${account}`)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, `lookup-${key}`);
}

/**
 * When the account is not known (its credentials could not be resolved): one cache folder
 * per endpoint and profile (or, with credentials from the environment, access key).
 */
export function lookupCacheDirFor(
  cacheDir: string,
  endpoint: string | undefined,
  profile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const who = profile ? `profile:${profile}` : `key:${env.AWS_ACCESS_KEY_ID ?? 'default-chain'}`;
  const key = createHash('sha256')
    .update(`${endpoint ?? 'aws'}\n${who}`)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, `lookup-${key}`);
}

/**
 * Several accounts read together: one folder per set of profiles (and endpoint). The fetched
 * ranges inside are keyed by account and region, so a profile whose account changes never
 * answers for another.
 */
export function lookupCacheDirForProfiles(cacheDir: string, endpoint: string | undefined, profiles: readonly string[]): string {
  const key = createHash('sha256')
    .update(`${endpoint ?? 'aws'}\nprofiles:${[...profiles].sort().join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, `lookup-${key}`);
}
