// The accounts a LookupEvents target reads: the reader's own choice (a run's flags, the
// user's settings), and within it what a runbook or a cell asks for (src/runbook/accounts.ts).
// The same for the CLI and the editor.
//
// A runbook comes from a pull request, and a repository cannot choose whose credentials a
// run uses (docs/security.md §2): it may narrow the reader's choice to some of the profiles
// the reader named (an audit account's cell, a production account's cell), never reach one
// the reader did not name. Asking for another is an error that says how to allow it.
import { chooseAccounts, type AccountChoice } from '../runbook/accounts';
import type { LookupTarget } from './openSource';

/** The target reading the reader's first choice given (a run's flags, then the settings), or as it is when none is. */
export function withAccounts(target: LookupTarget, ...choices: readonly (AccountChoice | undefined)[]): LookupTarget {
  const chosen = chooseAccounts(...choices);
  if (chosen === undefined) return target;
  const { profiles: _profiles, ssoSession: _ssoSession, ...rest } = target;
  if (chosen.ssoSession !== undefined) return { ...rest, ssoSession: chosen.ssoSession };
  return { ...rest, profiles: chosen.profiles! };
}

/** A runbook or cell asked for accounts the reader has not named. */
export class AccountsNotAllowedError extends Error {
  override readonly name = 'AccountsNotAllowedError';
}

/** The profiles and sso-session a reader's target names: what a runbook may choose among. */
function allowance(target: LookupTarget): { profiles: Set<string>; ssoSession?: string } {
  const profiles = new Set(target.profiles ?? []);
  if (target.profile !== undefined) profiles.add(target.profile);
  return { profiles, ...(target.ssoSession !== undefined ? { ssoSession: target.ssoSession } : {}) };
}

/**
 * The reader's target narrowed to what the cell (else the runbook) asks for; as it is when
 * neither asks. `how` says how this face lets a reader allow more (`--profiles …`, a setting).
 */
export function runbookAccounts(
  target: LookupTarget,
  asked: AccountChoice | undefined,
  how: (asked: AccountChoice) => string,
): LookupTarget {
  if (asked === undefined || (asked.ssoSession === undefined && (asked.profiles?.length ?? 0) === 0)) return target;
  const allowed = allowance(target);
  const { profiles: _profiles, ssoSession: _ssoSession, profile: _profile, ...rest } = target;
  if (asked.ssoSession !== undefined) {
    if (asked.ssoSession === allowed.ssoSession) return { ...rest, ssoSession: asked.ssoSession };
    throw new AccountsNotAllowedError(
      `the runbook asks to read as every profile of sso-session ${asked.ssoSession}, which you have not chosen; ${how(asked)}`,
    );
  }
  // Not empty: a choice without a session names profiles (the first line returned otherwise).
  const profiles = asked.profiles ?? [];
  const outside = profiles.filter((p) => !allowed.profiles.has(p));
  if (outside.length > 0) {
    throw new AccountsNotAllowedError(
      `the runbook asks to read as profile${outside.length === 1 ? '' : 's'} ${outside.join(', ')}, which you have not named (a runbook may only choose among your own); ${how(asked)}`,
    );
  }
  const [only, ...others] = profiles;
  return only !== undefined && others.length === 0 ? { ...rest, profile: only } : { ...rest, profiles };
}

/** `profile audit`, `profiles prod, staging`, `sso-session corp`: who a LookupEvents target reads as. */
export function accountsLabel(target: LookupTarget): string {
  if (target.ssoSession !== undefined) return `sso-session ${target.ssoSession}`;
  if (target.profiles !== undefined && target.profiles.length > 1) return `profiles ${target.profiles.join(', ')}`;
  return target.profiles?.[0] ?? target.profile ?? 'default';
}
