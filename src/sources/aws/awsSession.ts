// One place where a backend gets its credentials and learns its account: resolved once
// (so an MFA code is asked for once, and a failure is reported the same way to every cell
// that asks), then handed to SDK clients as a provider that renews temporary credentials
// shortly before they expire.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { getCallerIdentity } from './callerIdentity';
import { resolveCredentials, type CredentialOptions, type ResolvedCredentials } from './credentials';
import { explainCredentialsError, redactSecrets } from './credentialsError';
import { stsEndpointFor } from './endpointOverride';
import { awsConfigFiles } from './profiles';

export interface AwsSessionOptions extends CredentialOptions {
  /** Credentials given directly (tests, or an embedding program); no profile is read. */
  readonly credentials?: AwsCredentialIdentity;
}

export interface AwsIdentity {
  /** The 12-digit account id. */
  readonly account: string;
  /** The principal's ARN (a user, or an assumed-role session). */
  readonly arn: string;
  /** The profile used; undefined for environment, given or chain credentials. */
  readonly profile?: string;
  /** `profile dev`, `credentials from the environment`, … for notes. */
  readonly via: string;
}

/**
 * Temporary credentials are renewed this long before they expire, so that a request signed
 * just before the renewal still arrives in time; for credentials that live only a few minutes
 * (a role chained from another, a short session), a quarter of their life instead.
 */
const RENEW_MS = 60_000;

/** Whether credentials obtained at `obtainedAt` are due for renewal at `now`. */
export function renewalDue(expiration: Date | undefined, obtainedAt: number, now: number = Date.now()): boolean {
  if (expiration === undefined) return false;
  const margin = Math.min(RENEW_MS, Math.max(0, expiration.getTime() - obtainedAt) / 4);
  return expiration.getTime() - margin <= now;
}

export class AwsSession {
  private resolved?: Promise<ResolvedCredentials>;
  /** When the credentials held were asked for: their lifetime sets how early they are renewed. */
  private resolvedAt = 0;
  /** How many times credentials were resolved (renewals after the first), for notes and tests. */
  private resolutions = 0;
  private identified?: Promise<AwsIdentity>;
  /** Every secret this session has held, so that an error quoting one can have it removed. */
  private readonly secrets = new Set<string>();
  /** Where GetCallerIdentity goes: a loopback override, else AWS's own STS. */
  private readonly stsEndpoint: string | undefined;

  /** Throws EndpointOverrideError for an endpoint that credentials must not be sent to, before any request. */
  constructor(readonly options: AwsSessionOptions = {}) {
    this.stsEndpoint = stsEndpointFor(options.endpoint);
  }

  /** Credentials now; resolved again when the ones held are about to expire. */
  async current(): Promise<ResolvedCredentials> {
    if (this.options.credentials) return { credentials: this.options.credentials, kind: 'environment', via: 'the given credentials' };
    const asked = this.resolved;
    const held = asked ? await asked.catch(() => undefined) : undefined;
    // Another caller renewed them while this one waited: one AssumeRole, not one a caller.
    if (this.resolved !== asked) return this.resolved!;
    const expiring = held !== undefined && renewalDue(held.credentials.expiration, this.resolvedAt);
    if (!this.resolved || expiring) {
      // Role sessions last an hour at most (a role chained from another); a long fetch
      // outlives them, so they are resolved again here, between two requests.
      this.resolvedAt = Date.now();
      this.resolutions += 1;
      this.resolved = resolveCredentials(this.options);
      this.resolved.then(({ credentials }) => this.remember(credentials)).catch(() => undefined);
    }
    return this.resolved;
  }

  private remember(credentials: AwsCredentialIdentity): void {
    for (const secret of [credentials.secretAccessKey, credentials.sessionToken]) if (secret) this.secrets.add(secret);
  }

  /** `text` without any secret this session has held (for errors built from what a server said). */
  redact(text: string): string {
    if (this.options.credentials) this.remember(this.options.credentials);
    return redactSecrets(text, this.secrets);
  }

  /** How many times credentials were resolved: 1, plus one a renewal. */
  get renewals(): number {
    return Math.max(0, this.resolutions - 1);
  }

  /** For an SDK client's `credentials`. */
  readonly provider: AwsCredentialIdentityProvider = async () => (await this.current()).credentials;

  /** The account and principal, asked of STS once per session. */
  identity(signal?: AbortSignal): Promise<AwsIdentity> {
    this.identified ??= this.identify(signal);
    return this.identified;
  }

  private async identify(signal?: AbortSignal): Promise<AwsIdentity> {
    const resolved = await this.current();
    try {
      const caller = await getCallerIdentity({
        credentials: resolved.credentials,
        ...(this.options.region ? { region: this.options.region } : {}),
        ...(this.stsEndpoint ? { endpoint: this.stsEndpoint } : {}),
        ...(signal ? { signal } : {}),
      });
      return {
        account: caller.account,
        arn: caller.arn,
        via: resolved.via,
        ...(resolved.profile !== undefined ? { profile: resolved.profile } : {}),
      };
    } catch (error) {
      throw explainCredentialsError(error, {
        ...(resolved.profile !== undefined ? { profile: resolved.profile } : {}),
        kind: resolved.kind,
        files: awsConfigFiles(this.options.env),
        operation: 'GetCallerIdentity',
        secrets: [resolved.credentials.secretAccessKey, resolved.credentials.sessionToken],
      });
    }
  }
}

/** The account a profile (or the default choice) belongs to: for the editor's status bar. */
export function resolveAccount(options: AwsSessionOptions = {}): Promise<AwsIdentity> {
  return new AwsSession(options).identity();
}
