// Credentials for the profile a person chose (or AWS_PROFILE, or `default`), obtained the
// way the AWS CLI would: keys, a role assumed through STS (with an MFA code asked for
// through a callback the editor or the terminal provides), IAM Identity Center (SSO),
// credential_process, or the environment's AWS_ACCESS_KEY_ID when no profile is chosen.
// Temporary credentials are kept for the process until shortly before they expire, so a
// person answering an MFA prompt is asked once per session, not once per query.
import { fromIni, fromNodeProviderChain, fromSSO } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AwsCredentialsError, explainCredentialsError, type CredentialsErrorContext } from './credentialsError';
import { stsEndpointFor } from './endpointOverride';
import { runCredentialProcess } from './processCredentials';
import { profileKind, readProfileSettings, type ProfileKind } from './profiles';
import { checkSsoToken } from './ssoToken';

export type MfaCodeProvider = (mfaSerial: string) => Promise<string>;

export interface CredentialOptions {
  /** Default: AWS_PROFILE, else environment keys if set, else `default`. */
  readonly profile?: string;
  /** Where AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME and the keys are read. */
  readonly env?: NodeJS.ProcessEnv;
  /** Asked for a code when the profile's role requires MFA; without it such profiles fail. */
  readonly mfaCodeProvider?: MfaCodeProvider;
  /**
   * The endpoint override (`--endpoint`, `trailbook.endpoint`). STS (AssumeRole, and the
   * default chain's providers) goes there only when it is loopback; see endpointOverride.ts.
   */
  readonly endpoint?: string;
  /** The region STS is called in (default: the profile's, AWS_REGION, us-east-1). */
  readonly region?: string;
}

export type CredentialKind = ProfileKind | 'environment' | 'chain';

export interface ResolvedCredentials {
  readonly credentials: AwsCredentialIdentity;
  /** The profile used; undefined for the environment or the default chain. */
  readonly profile?: string;
  readonly kind: CredentialKind;
  /** For notes: `profile dev`, `credentials from the environment`. */
  readonly via: string;
}

/** Refresh this long before temporary credentials expire. */
const EARLY_MS = 5 * 60_000;
const cache = new Map<string, ResolvedCredentials>();

/** Drops every kept temporary credential (after a new login, and in tests). */
export function forgetCachedCredentials(): void {
  cache.clear();
}

function fromEnvironment(env: NodeJS.ProcessEnv): AwsCredentialIdentity {
  const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
  };
}

/** The code as STS wants it, six digits; anything else is refused before the call. */
function checkedMfa(provider: MfaCodeProvider, profile: string): MfaCodeProvider {
  return async (serial) => {
    let code: string;
    try {
      code = (await provider(serial)).trim();
    } catch (error) {
      if (error instanceof AwsCredentialsError) throw error;
      throw new AwsCredentialsError(`no MFA code for ${serial} (profile ${profile}): ${(error as Error).message}`, profile);
    }
    if (!/^\d{6}$/.test(code))
      throw new AwsCredentialsError(`the MFA code for ${serial} must be the six digits the device shows (profile ${profile})`, profile);
    return code;
  };
}

export async function resolveCredentials(options: CredentialOptions = {}): Promise<ResolvedCredentials> {
  const env = options.env ?? process.env;
  // First, before any file is read or request signed: a refused override stops here.
  const stsEndpoint = stsEndpointFor(options.endpoint);
  const chosen = options.profile || env.AWS_PROFILE || undefined;
  if (chosen === undefined && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { credentials: fromEnvironment(env), kind: 'environment', via: 'credentials from the environment' };
  }
  const settings = await readProfileSettings(env);
  const { files } = settings;
  const name = chosen ?? 'default';
  const values = settings.profiles.get(name);
  const existing = [...settings.profiles.keys()].sort();
  const listed = existing.length > 0 ? `the profiles there are ${existing.join(', ')}` : 'they define no profiles';
  if (!values) {
    if (chosen !== undefined) {
      throw new AwsCredentialsError(
        `there is no profile ${name} in ${files.config} or ${files.credentials}: ${listed}. Choose one of them, or add ${name} (for example with \`aws configure sso --profile ${name}\`)`,
        name,
      );
    }
    return fromChain(options, stsEndpoint, env, files, listed);
  }

  const kind = profileKind(values);
  const key = JSON.stringify([name, files.config, files.credentials, options.endpoint ?? '', options.region ?? '']);
  const kept = cache.get(key);
  if (kept && (kept.credentials.expiration?.getTime() ?? 0) - EARLY_MS > Date.now()) return kept;

  const context: CredentialsErrorContext = {
    profile: name,
    kind,
    files,
    ...(values.mfa_serial ? { mfaSerial: values.mfa_serial } : {}),
    ...(values.role_arn ? { roleArn: values.role_arn, operation: 'AssumeRole' as const } : {}),
    // A source profile's key signs AssumeRole, and a server's error may echo what it got:
    // every secret the files and the environment hold is removed from the message by value.
    secrets: [
      ...[...settings.profiles.values()].flatMap((p) => [p.aws_secret_access_key, p.aws_session_token]),
      env.AWS_SECRET_ACCESS_KEY,
      env.AWS_SESSION_TOKEN,
    ],
  };
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const sdkFiles = { filepath: files.credentials, configFilepath: files.config, ignoreCache: true };
  let credentials: AwsCredentialIdentity;
  try {
    switch (kind) {
      case 'process':
        credentials = await runCredentialProcess(name, values.credential_process!, env);
        break;
      case 'sso':
        await checkSsoToken(name, values, env);
        // fromIni would not pass the file locations on to the SSO provider: call it directly.
        // Its client takes the profile's sso_region; a region given here would override it.
        credentials = await fromSSO({ profile: name, ...sdkFiles })();
        break;
      default:
        if (kind === 'assume-role' && values.mfa_serial && !options.mfaCodeProvider) {
          throw new AwsCredentialsError(
            `profile ${name} assumes ${values.role_arn} with MFA (${values.mfa_serial}), and there is no way to ask for a code here: ` +
              'run it where a code can be typed (a terminal, or the editor), or use credentials that need no MFA',
            name,
          );
        }
        credentials = await fromIni({
          profile: name,
          ...sdkFiles,
          ...(options.mfaCodeProvider ? { mfaCodeProvider: checkedMfa(options.mfaCodeProvider, name) } : {}),
          // The inner STS client of AssumeRole, signed with the source profile's long-term
          // key: a loopback override or AWS's STS, never elsewhere. The region goes to the
          // parent config, which the profile's own region overrides and which an SSO
          // source profile's sso_region is not overridden by.
          ...(stsEndpoint ? { clientConfig: { endpoint: stsEndpoint } } : {}),
          parentClientConfig: { region },
        })();
    }
  } catch (error) {
    throw explainCredentialsError(error, context);
  }
  const resolved: ResolvedCredentials = { credentials, profile: name, kind, via: `profile ${name}` };
  if (credentials.expiration) cache.set(key, resolved);
  return resolved;
}

/** No profile chosen and no `default`: a container or instance role may still provide some. */
async function fromChain(
  options: CredentialOptions,
  stsEndpoint: string | undefined,
  env: NodeJS.ProcessEnv,
  files: { config: string; credentials: string },
  listed: string,
): Promise<ResolvedCredentials> {
  try {
    const credentials = await fromNodeProviderChain({
      clientConfig: { region: options.region ?? env.AWS_REGION ?? 'us-east-1', ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) },
    })();
    return { credentials, kind: 'chain', via: 'the default credential chain' };
  } catch {
    throw new AwsCredentialsError(
      `no AWS credentials: no profile was chosen, there is no [default] profile in ${files.config} or ${files.credentials} (${listed}), ` +
        'AWS_ACCESS_KEY_ID is not set, and no container or instance role answered. Choose a profile (--profile, the trailbook.profile setting or AWS_PROFILE), or run `aws configure`',
    );
  }
}
