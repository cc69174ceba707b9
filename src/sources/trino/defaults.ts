// Trino's defaults, in a module of their own so the editor's lenses can name them without
// loading the client or DuckDB.

/**
 * The window when neither the user, the runbook nor the cell chooses one: a distributed
 * engine reads whatever the table holds, and without a window a cell could scan years.
 */
export const TRINO_DEFAULT_WINDOW = '24h';
