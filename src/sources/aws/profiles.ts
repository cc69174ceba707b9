// The profiles a person has set up: `~/.aws/config` (`[default]`, `[profile NAME]`) and
// `~/.aws/credentials` (`[NAME]`), or the files AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE name, merged as the SDK merges them (the credentials file
// wins key by key). The kind says how credentials will be obtained, so the editor can
// show it next to the name and know in advance that an MFA code will be asked for.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseIni } from './ini';

export type ProfileKind = 'static' | 'sso' | 'assume-role' | 'process' | 'other';

export interface AwsProfile {
  readonly name: string;
  readonly kind: ProfileKind;
  readonly region?: string;
  /** Set for profiles that assume a role behind MFA: a code will be asked for. */
  readonly mfaSerial?: string;
}

export interface AwsConfigFiles {
  readonly config: string;
  readonly credentials: string;
}

export interface ProfileSettings {
  readonly files: AwsConfigFiles;
  /** Each profile's settings, both files merged. */
  readonly profiles: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** `[sso-session NAME]` sections of the config file. */
  readonly ssoSessions: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export function homeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

export function awsConfigFiles(env: NodeJS.ProcessEnv = process.env): AwsConfigFiles {
  const home = homeDirectory(env);
  const expand = (path: string): string => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

/** A missing file is no profiles; any other failure to read is the caller's to see. */
async function readIfPresent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return '';
    throw error;
  }
}

export async function readProfileSettings(env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const files = awsConfigFiles(env);
  const [config, credentials] = await Promise.all([readIfPresent(files.config), readIfPresent(files.credentials)]);
  const profiles = new Map<string, Record<string, string>>();
  const ssoSessions = new Map<string, Record<string, string>>();
  const merge = (name: string, values: Record<string, string>): void => {
    profiles.set(name, { ...profiles.get(name), ...values });
  };
  for (const { header, values } of parseIni(config)) {
    // In the config file only `default` goes without the `profile ` prefix; other bare
    // headers (and `services`, `plugins`) are not profiles, as in the SDK and the CLI.
    const [prefix, name, extra] = header.split(' ');
    if (header === 'default') merge('default', values);
    else if (prefix === 'profile' && name && !extra) merge(name, values);
    else if (prefix === 'sso-session' && name && !extra) ssoSessions.set(name, values);
  }
  for (const { header, values } of parseIni(credentials)) {
    if (!header.includes(' ')) merge(header, values);
  }
  return { files, profiles, ssoSessions };
}

/** Classified in the order the SDK tries them: a role first, then keys, process, SSO. */
export function profileKind(values: Readonly<Record<string, string>>): ProfileKind {
  if (values.role_arn && (values.source_profile || values.credential_source) && !values.web_identity_token_file) return 'assume-role';
  if (values.aws_access_key_id && values.aws_secret_access_key) return 'static';
  if (values.web_identity_token_file) return 'other';
  if (values.credential_process) return 'process';
  if (values.sso_session || values.sso_start_url || values.sso_account_id || values.sso_role_name) return 'sso';
  return 'other';
}

export function describeProfile(name: string, values: Readonly<Record<string, string>>): AwsProfile {
  const kind = profileKind(values);
  return {
    name,
    kind,
    ...(values.region ? { region: values.region } : {}),
    ...(kind === 'assume-role' && values.mfa_serial ? { mfaSerial: values.mfa_serial } : {}),
  };
}

/** Every profile of both files, sorted by name. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfile[]> {
  const { profiles } = await readProfileSettings(env);
  return [...profiles.entries()].map(([name, values]) => describeProfile(name, values)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
