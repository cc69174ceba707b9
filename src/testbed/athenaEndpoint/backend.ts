// What runs a query for the endpoint. Two engines do: Trino (the engine Athena is built
// on; trinoBackend.ts) and DuckDB over local logs (the project's own engine, so `npm test`
// and `serve-athena --logs` need no Java; duckdbBackend.ts). The endpoint does the rest of
// Athena (states, tokens, pages, limits) the same way for both.
import type { AthenaType } from './athenaType';
import type { ServedTable } from './servedTable';

/** The query as Athena received it, with the context it runs in. */
export interface AthenaQuery {
  readonly sql: string;
  /** QueryExecutionContext.Catalog, lower case (default `awsdatacatalog`). */
  readonly catalog: string;
  /** QueryExecutionContext.Database, lower case (default `default`). */
  readonly database: string;
  /** The tables of the catalog when the query was started: what it may name. */
  readonly tables: readonly ServedTable[];
}

export interface ResultColumn {
  readonly name: string;
  readonly type: AthenaType;
}

export interface BackendResult {
  readonly columns: readonly ResultColumn[];
  /** Every value as Athena's text (athenaText.ts); undefined is SQL NULL. */
  readonly rows: readonly (readonly (string | undefined)[])[];
  /** Statistics.DataScannedInBytes: Trino's processedBytes, or the log files' bytes on DuckDB. */
  readonly scannedBytes: number;
}

export interface AthenaBackend {
  /** `Trino http://127.0.0.1:8080 hive.trail.cloudtrail_logs`, `DuckDB over ./logs`. */
  readonly label: string;
  /** The partition columns it derives for a table that declares them (a CREATE EXTERNAL TABLE may use these only). */
  readonly partitionColumns: readonly string[];
  /**
   * Before StartQueryExecution answers: throws QuerySyntaxError for text the engine's parser
   * refuses (Athena refuses those synchronously, with InvalidRequestException).
   */
  checkSyntax(query: AthenaQuery): Promise<void>;
  /** Runs the query; throws QueryFailure (FAILED) or Cancelled (the signal, from StopQueryExecution). */
  execute(query: AthenaQuery, signal: AbortSignal): Promise<BackendResult>;
  close(): Promise<void>;
}
