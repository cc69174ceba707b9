// LookupEvents' defaults, in a module of their own so the editor's lenses can name them
// without loading the AWS SDK.

/** The window when neither the user, the runbook nor the cell chooses one. */
export const LOOKUP_DEFAULT_WINDOW = '24h';
