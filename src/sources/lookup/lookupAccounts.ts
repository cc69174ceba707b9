// Which accounts one LookupEvents run reads: each profile's session asked for its account
// (in parallel: an SSO login or an MFA prompt for one does not hold up the others), profiles
// of one account read once, and every account that cannot be read said in words that name
// the profile, the account when known, and what to do. A run that reads some accounts but
// not all is partial, and says so: it is never a quiet subset.
import type { ErrorKind } from '../../engine/errorKind';
import type { SourceProblem } from '../../engine/eventSource';
import { isCancelled } from '../../protocol/cancelled';
import { AwsCredentialsError } from '../aws/credentialsError';
import type { AwsIdentity, AwsSession } from '../aws/awsSession';
import { explainLookupError, lookupErrorKind, type LookupErrorContext } from './lookupErrors';

/** One profile to read, with the session that holds its credentials. */
export interface LookupReader {
  /** Undefined for credentials from the environment or given directly. */
  readonly profile?: string;
  readonly session: AwsSession;
}

/** A reader whose account is known. */
export interface AccountReader extends LookupReader {
  readonly identity: AwsIdentity;
}

/** An account (or a profile whose account could not be learnt) that was not read, and why. */
export interface AccountFailure {
  readonly profile?: string;
  readonly account?: string;
  /** Where it failed, when not at sign-in: a region. */
  readonly region?: string;
  readonly message: string;
  readonly errorKind?: ErrorKind;
}

/** `profile audit (account 111122223333)`, `profile audit (account unknown)`. */
export function whoRead(failure: Pick<AccountFailure, 'profile' | 'account'>): string {
  const who = failure.profile === undefined ? 'the default credentials' : `profile ${failure.profile}`;
  return `${who} (account ${failure.account ?? 'unknown'})`;
}

/** An error from one reader, in words, with every secret any reader held removed. */
export function explainReaderError(
  error: unknown,
  reader: LookupReader,
  context: LookupErrorContext,
  redact: (text: string) => string,
): { message: string; errorKind?: ErrorKind } {
  const named = { ...context, ...(reader.profile !== undefined ? { profile: reader.profile } : {}) };
  const message = error instanceof AwsCredentialsError ? error.message : redact(explainLookupError(error, named));
  const errorKind = lookupErrorKind(error, named);
  return { message, ...(errorKind ? { errorKind } : {}) };
}

/**
 * Every reader's account, asked in parallel. A cancelled run throws; any other failure is
 * the reader's, returned beside the accounts that answered.
 */
export async function identifyReaders(
  readers: readonly LookupReader[],
  context: LookupErrorContext,
  redact: (text: string) => string,
  signal?: AbortSignal,
): Promise<{ accounts: AccountReader[]; failures: AccountFailure[]; sameAccount: string[] }> {
  const settled = await Promise.allSettled(readers.map((reader) => reader.session.identity(signal)));
  const accounts: AccountReader[] = [];
  const failures: AccountFailure[] = [];
  const sameAccount: string[] = [];
  settled.forEach((outcome, index) => {
    const reader = readers[index]!;
    if (outcome.status === 'rejected') {
      if (signal?.aborted || isCancelled(outcome.reason)) throw outcome.reason;
      failures.push({
        ...(reader.profile !== undefined ? { profile: reader.profile } : {}),
        ...explainReaderError(outcome.reason, reader, context, redact),
      });
      return;
    }
    const identity = outcome.value;
    const first = accounts.find((a) => a.identity.account === identity.account);
    // LookupEvents answers the same to every principal of an account: read it once.
    if (first)
      sameAccount.push(
        `profile ${reader.profile ?? 'default'} is account ${identity.account} too: read once, through ${first.identity.via}`,
      );
    else accounts.push({ ...reader, identity });
  });
  return { accounts, failures, sameAccount };
}

/** The problems a face lists for accounts that were not read: one each, naming who. */
export function failureProblems(failures: readonly AccountFailure[]): SourceProblem[] {
  return failures.map((failure) => ({
    where: `LookupEvents ${whoRead(failure)}${failure.region ? ` in ${failure.region}` : ''}`,
    message: failure.message,
  }));
}

/** The one line that marks a run partial: how many accounts were read, which were not. */
export function partialSummary(read: number, failures: readonly AccountFailure[]): string {
  const unread = [...new Set(failures.map(whoRead))];
  return `partial: ${read} of ${read + unread.length} accounts read; not read: ${unread.join(', ')} (rows of those accounts are missing, see the problems)`;
}
