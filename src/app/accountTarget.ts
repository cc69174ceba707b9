// The accounts a LookupEvents target reads, once the run's, the cell's, the runbook's and the
// user's choices are weighed (src/runbook/accounts.ts): the same for the CLI and the editor.
import { chooseAccounts, type AccountChoice } from '../runbook/accounts';
import type { LookupTarget } from './openSource';

/** The target reading the first choice given (run, cell, runbook, user), or as it is when none is. */
export function withAccounts(target: LookupTarget, ...choices: readonly (AccountChoice | undefined)[]): LookupTarget {
  const chosen = chooseAccounts(...choices);
  if (chosen === undefined) return target;
  const { profiles: _profiles, ssoSession: _ssoSession, ...rest } = target;
  if (chosen.ssoSession !== undefined) return { ...rest, ssoSession: chosen.ssoSession };
  return { ...rest, profiles: chosen.profiles! };
}

/** `profile audit`, `profiles prod, staging`, `sso-session corp`: who a LookupEvents target reads as. */
export function accountsLabel(target: LookupTarget): string {
  if (target.ssoSession !== undefined) return `sso-session ${target.ssoSession}`;
  if (target.profiles !== undefined && target.profiles.length > 1) return `profiles ${target.profiles.join(', ')}`;
  return target.profiles?.[0] ?? target.profile ?? 'default';
}
