// The kinds of failure a person fixes with one known step, carried by the error itself so
// that a face can offer that step (the editor a button, the CLI a hint) without reading
// the English of the message. Read by property, never by `instanceof`: the editor's
// activation bundle and its runtime bundle each hold their own copy of every error class.

export type ErrorKind =
  /** The profile's credentials expired, or its SSO login is missing: `aws sso login --profile` renews them. */
  | { readonly kind: 'credentialsExpired'; readonly profile: string }
  /** No log folder was chosen, or the one chosen holds no CloudTrail log files. */
  | { readonly kind: 'noLogs' }
  /** The Trino server, table or secret is missing or not usable as given. */
  | { readonly kind: 'trinoTarget' }
  /** The Athena workgroup, table, output location or limit is not usable as given. */
  | { readonly kind: 'athenaTarget' };

/** An error that knows its kind sets this property. */
export interface KindedError {
  readonly errorKind?: ErrorKind | undefined;
}

const KINDS: readonly string[] = ['credentialsExpired', 'noLogs', 'trinoTarget', 'athenaTarget'];

/** The kind an error carries, if any: its own, else its cause's (an error wrapped on the way up keeps it). */
export function errorKindOf(error: unknown): ErrorKind | undefined {
  for (let at = error, depth = 0; at !== null && typeof at === 'object' && depth < 8; at = (at as { cause?: unknown }).cause, depth += 1) {
    const kind = (at as KindedError).errorKind;
    if (kind !== undefined && typeof kind === 'object' && KINDS.includes(kind.kind)) return kind;
  }
  return undefined;
}
