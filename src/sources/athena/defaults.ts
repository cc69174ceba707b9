// Athena's defaults, in a module of their own so the editor's lenses and settings can name
// them without loading the SDK or DuckDB.

/** As for Trino: without a window a cell could scan years of the trail, and Athena bills what it scans. */
export const ATHENA_DEFAULT_WINDOW = '24h';

/** The table name Athena's own CloudTrail console and user guide use. */
export const ATHENA_DEFAULT_TABLE = 'cloudtrail_logs';
export const ATHENA_DEFAULT_DATABASE = 'default';
export const ATHENA_DEFAULT_CATALOG = 'AwsDataCatalog';
export const ATHENA_DEFAULT_WORKGROUP = 'primary';

/** Above this bound of bytes a query could scan, the CLI refuses without --max-scan and the editor asks: 10 GB. */
export const ATHENA_DEFAULT_MAX_SCAN_BYTES = 10 * 1024 ** 3;

/** Athena's price for SQL queries in most regions: 5 USD per TB scanned (a setting, since it varies). */
export const ATHENA_DEFAULT_PRICE_PER_TB = 5;

/** Athena refuses a QueryString longer than this many bytes (StartQueryExecution's limit). */
export const ATHENA_MAX_QUERY_BYTES = 262_144;

/** GetQueryResults returns at most this many rows a page. */
export const ATHENA_PAGE_ROWS = 1000;
