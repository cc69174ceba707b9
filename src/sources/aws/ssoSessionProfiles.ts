// "Every account of my IAM Identity Center": the profiles of ~/.aws/config that sign in
// through one `[sso-session NAME]`, each an account and role pair, as `aws configure sso`
// writes them. Read from the config, not asked of the SSO portal: the profiles are what the
// person chose to use, with the role they chose in each account.
import { AwsCredentialsError } from './credentialsError';
import { readProfileSettings } from './profiles';

export interface SsoSessionProfile {
  readonly profile: string;
  /** sso_account_id, when the profile names it. */
  readonly account?: string;
  readonly role?: string;
}

/** The profiles that use `[sso-session name]`, sorted by name; an error that says what to add when there are none. */
export async function ssoSessionProfiles(name: string, env: NodeJS.ProcessEnv = process.env): Promise<SsoSessionProfile[]> {
  const settings = await readProfileSettings(env);
  if (!settings.ssoSessions.has(name)) {
    const known = [...settings.ssoSessions.keys()].sort();
    throw new AwsCredentialsError(
      `there is no [sso-session ${name}] in ${settings.files.config}: ${known.length > 0 ? `the sso-sessions there are ${known.join(', ')}` : 'it defines no sso-session'}. ` +
        `Run \`aws configure sso\` to add it, or name one that exists`,
    );
  }
  const profiles = [...settings.profiles.entries()]
    .filter(([, values]) => values.sso_session === name)
    .map(([profile, values]) => ({
      profile,
      ...(values.sso_account_id ? { account: values.sso_account_id } : {}),
      ...(values.sso_role_name ? { role: values.sso_role_name } : {}),
    }))
    .sort((a, b) => (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0));
  if (profiles.length === 0) {
    throw new AwsCredentialsError(
      `no profile in ${settings.files.config} signs in through sso-session ${name}: add one for each account and role to read ` +
        `(\`aws configure sso --profile NAME\`, choosing sso-session ${name}), each with sso_session = ${name}`,
    );
  }
  return profiles;
}
