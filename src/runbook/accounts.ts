// Which accounts a LookupEvents runbook (or one of its cells) reads: a list of the reader's
// AWS profiles (`profiles: [prod, staging]`, `profiles=prod,staging`), or every profile of an
// IAM Identity Center sso-session of theirs (`sso-session: corp`). Only names: the reader's
// own ~/.aws/config says what each is, and where requests go is never the runbook's choice.

export interface AccountChoice {
  readonly profiles?: readonly string[];
  readonly ssoSession?: string;
}

/** A profile or sso-session name as ~/.aws/config can hold it: no spaces, brackets or quotes. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+=:/-]{0,127}$/;

export function isProfileName(value: string): boolean {
  return NAME.test(value);
}

/** `prod, staging` or a YAML list, to names; an error naming the first bad one. */
export function parseProfileList(value: unknown): { profiles: string[] } | { error: string } {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined) return { error: `profiles must be a list of AWS profile names, e.g. profiles: [prod, staging]` };
  const names = items.map((item) => (typeof item === 'string' ? item.trim() : item));
  const bad = names.find((name) => typeof name !== 'string' || !isProfileName(name));
  if (bad !== undefined) return { error: `profiles: ${JSON.stringify(bad)} is not a profile name (letters, digits and _.@+=:/- only)` };
  const profiles = [...new Set(names as string[])].filter((name) => name !== '');
  if (profiles.length === 0) return { error: 'profiles is empty: name at least one AWS profile, e.g. profiles: [prod, staging]' };
  return { profiles };
}

export function parseSsoSession(value: unknown): { ssoSession: string } | { error: string } {
  if (typeof value === 'string' && isProfileName(value.trim())) return { ssoSession: value.trim() };
  return {
    error: `sso-session ${JSON.stringify(value)} is not an sso-session name: give the NAME of a [sso-session NAME] of ~/.aws/config`,
  };
}

/** The choice that applies: the run's (a flag), else the cell's, else the runbook's, else the user's (a setting). */
export function chooseAccounts(...choices: readonly (AccountChoice | undefined)[]): AccountChoice | undefined {
  return choices.find((choice) => choice !== undefined && (choice.ssoSession !== undefined || (choice.profiles?.length ?? 0) > 0));
}
