// The profiles a person has set up: `~/.aws/config` (`[default]`, `[profile NAME]`) and
// `~/.aws/credentials` (`[NAME]`), or the files AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE name, read and merged by the SDK's own loader (the
// credentials file wins key by key). The kind says how credentials will be obtained, so the editor can
// show it next to the name and know in advance that an MFA code will be asked for.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';

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

/** The SDK's names for typed sections of the config file: `[sso-session corp]` is `sso-session.corp`. */
const TYPED_SECTION = /^(profile|sso-session|services)\./;

/**
 * Both files read by the SDK's own loader, so a profile here is exactly what the SDK and the
 * AWS CLI take it to be (which headers are profiles, `[profile x]` against `[default]`,
 * quoting, comments, nested settings). Read afresh each time: the person may have just run
 * `aws configure` or `aws sso login`. A file that is missing or unreadable is no profiles,
 * as for the SDK.
 */
export async function readProfileSettings(env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const files = awsConfigFiles(env);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: files.credentials,
    configFilepath: files.config,
    ignoreCache: true,
  });
  const profiles = new Map<string, Record<string, string>>();
  const ssoSessions = new Map<string, Record<string, string>>();
  const merge = (name: string, values: Readonly<Record<string, string | undefined>>): void => {
    profiles.set(name, { ...profiles.get(name), ...definedValues(values) });
  };
  // The loader names the config file's profiles without their `profile ` prefix and keeps
  // other typed sections under `type.name`; headers that are neither are already dropped.
  for (const [key, values] of Object.entries(configFile)) {
    if (key.startsWith('sso-session.')) ssoSessions.set(key.slice('sso-session.'.length), definedValues(values));
    else if (!TYPED_SECTION.test(key)) merge(key, values);
  }
  // The credentials file wins key by key, as in the SDK; `[profile x]` there is no profile.
  for (const [key, values] of Object.entries(credentialsFile)) if (!TYPED_SECTION.test(key)) merge(key, values);
  return { files, profiles, ssoSessions };
}

function definedValues(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
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
  return [...profiles.entries()]
    .map(([name, values]) => describeProfile(name, values))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
