// `source: trino`: a cell runs on the team's own Trino (Starburst, EMR) over a table with the
// Athena CloudTrail schema. The cell's SQL is held to the same guard as on DuckDB (one
// SELECT over cloudtrail_logs: a runbook must not read the catalog's other tables), then
// every cloudtrail_logs is replaced by the windowed table (windowRewrite.ts), and Trino
// runs it. Nothing is stored locally.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RemoteResult, RemoteSource, SourceProgress } from '../../engine/eventSource';
import type { CellValue } from '../../engine/query';
import { guardSql } from '../../engine/sqlGuard';
import type { TimeWindow } from '../../engine/timeWindow';
import { formatElapsed } from '../../protocol/elapsed';
import { TrinoClient, type TrinoConnection } from './client';
import { TRINO_DEFAULT_WINDOW } from './defaults';
import { rewriteForTrino, type TrinoTarget } from './windowRewrite';

export interface TrinoSourceOptions {
  readonly connection: TrinoConnection;
  readonly target: TrinoTarget;
  /** A DuckDB connection that only parses (the lint checker's): the guard and the rewrite read its syntax tree. */
  readonly parser: () => Promise<DuckDBConnection>;
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export class TrinoSource implements RemoteSource {
  readonly label: string;
  readonly defaultWindow = TRINO_DEFAULT_WINDOW;
  private readonly client: TrinoClient;

  constructor(private readonly options: TrinoSourceOptions) {
    this.client = new TrinoClient(options.connection);
    this.label = `Trino ${new URL(options.connection.server).host} ${options.target.table}`;
  }

  async execute(
    window: TimeWindow,
    sql: string,
    options: {
      signal?: AbortSignal;
      limit?: number;
      onProgress?: (progress: SourceProgress) => void;
      onRows?: (rows: CellValue[][], columns: readonly string[]) => void;
    },
  ): Promise<RemoteResult> {
    const parser = await this.options.parser();
    const refused = await guardSql(parser, sql);
    if (refused) throw new Error(refused);
    const sqlAsRun = await rewriteForTrino(parser, sql, this.options.target, window);
    const started = Date.now();
    options.onProgress?.({ message: `running on ${this.label}`, elapsedMs: 0 });
    const result = await this.client.query(sqlAsRun, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.onRows
        ? {
            onRows: (rows: CellValue[][], columns: readonly { name: string }[]) =>
              options.onRows!(
                rows,
                columns.map((c) => c.name),
              ),
          }
        : {}),
    });
    return {
      columns: result.columns.map((c) => c.name),
      rows: result.rows,
      truncated: result.truncated,
      sqlAsRun,
      notes: [
        `ran on ${this.label} as query ${result.queryId} in ${formatElapsed(Date.now() - started)}: ` +
          `${result.processedRows.toLocaleString('en-US')} rows, ${megabytes(result.processedBytes)} read; the window is written into the SQL as run`,
      ],
    };
  }
}
