// `source: athena`: a cell runs on Athena over the trail's table (Athena's CloudTrail
// schema, partition-projected). As on Trino, the SQL is held to the guard (one SELECT over
// cloudtrail_logs), then every cloudtrail_logs becomes the windowed table: the eventTime
// bounds and the partition predicates of the table's layout (windowRewrite.ts), shown as
// "SQL as run". Before the query starts, the most it can scan is bounded from the S3
// listing of the partitions it reads, and a bound above the limit is refused (or asked
// about, in the editor). After, what it scanned and cost goes into the notes and the run.
import type { DuckDBConnection } from '@duckdb/node-api';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { RemoteCellContext, RemoteResult, RemoteSource, SourceProgress } from '../../engine/eventSource';
import type { CellValue } from '../../engine/query';
import { guardSql } from '../../engine/sqlGuard';
import type { TimeWindow } from '../../engine/timeWindow';
import { formatElapsed } from '../../protocol/elapsed';
import { isCancelled } from '../../protocol/cancelled';
import type { AwsSession } from '../aws/awsSession';
import { rewriteForTrino } from '../trino/windowRewrite';
import { AthenaQueryRunner, type AthenaPlace } from './client';
import { ATHENA_DEFAULT_WINDOW } from './defaults';
import { AthenaSourceError, explainAthenaError, type ExplainContext } from './errors';
import { partitionSchemes, windowDays, type PartitionChoice } from './partitions';
import { querySizeProblem } from './querySize';
import { clientRequestToken } from './requestToken';
import { partitionValues, scanBound, scanPrefixes, type ScanBound } from './scanBound';
import { fetchTableInfo, type TableInfo } from './tableInfo';

export interface AthenaSettings extends AthenaPlace, PartitionChoice {
  readonly table: string;
  readonly region: string;
  /** The endpoint override (a local endpoint); the same rule as every AWS endpoint (endpointOverride.ts). */
  readonly endpoint?: string;
  /** Above this bound of bytes, the query does not start unless `confirmScan` says yes. */
  readonly maxScanBytes: number;
  readonly pricePerTb: number;
  /** Throttled calls are tried again this many times, with backoff from 250 ms (default 6, about 16 s in all). */
  readonly throttleRetries?: number;
}

/** How a face names its inputs in messages: `--athena-table` or `trailbook.athena.table`. */
export interface AthenaInputNames {
  readonly table: string;
  readonly workgroup: string;
  readonly maxScan: string;
}

export interface AthenaSourceOptions {
  readonly settings: AthenaSettings;
  readonly session: AwsSession;
  readonly names: AthenaInputNames;
  /** A DuckDB connection that only parses: the guard and the rewrite read its syntax tree. */
  readonly parser: () => Promise<DuckDBConnection>;
  /** Asked when the bound is above the limit (the editor's dialog); without it such a query is refused. */
  readonly confirmScan?: (bound: ScanBound, limitBytes: number) => Promise<boolean>;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Athena bills by the TB of 2^40 bytes, with a 10 MB minimum per query. */
export function athenaCost(scannedBytes: number, pricePerTb: number): number {
  const billed = Math.max(scannedBytes, 10 * 1024 ** 2);
  return (billed / 1024 ** 4) * pricePerTb;
}

const usd = (amount: number): string => (amount < 0.01 ? `$${amount.toFixed(5)}` : `$${amount.toFixed(2)}`);

export class AthenaSource implements RemoteSource {
  readonly label: string;
  readonly defaultWindow = ATHENA_DEFAULT_WINDOW;
  private readonly athena: AthenaClient;
  private readonly s3: S3Client;
  private readonly runner: AthenaQueryRunner;
  private readonly context: Omit<ExplainContext, 'step'>;
  private tableInfo: Promise<TableInfo> | undefined;

  constructor(private readonly options: AthenaSourceOptions) {
    const { settings, session } = options;
    const common = {
      region: settings.region,
      credentials: session.provider,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    };
    // One attempt per call: the runner retries throttling and server errors itself, with its
    // own backoff, and says so when it gives up (the SDK's retries would multiply its own).
    this.athena = new AthenaClient({ ...common, maxAttempts: 1 });
    // A local endpoint serves the bucket on its own path (path-style), as S3-compatible stores do.
    this.s3 = new S3Client({ ...common, ...(settings.endpoint ? { forcePathStyle: true } : {}) });
    this.label = `Athena ${settings.workgroup} ${settings.database}.${settings.table} (${settings.region}${settings.endpoint ? `, endpoint ${settings.endpoint}` : ''})`;
    this.context = {
      where: `workgroup ${settings.workgroup}, table ${settings.catalog}.${settings.database}.${settings.table}, ${settings.region}`,
      tableSetting: options.names.table,
      workgroupSetting: options.names.workgroup,
    };
    this.runner = new AthenaQueryRunner(this.athena, settings, this.context, (text) => session.redact(text), settings.throttleRetries);
  }

  /** The table's layout and schema, asked once; a failure is not kept, so a fixed permission works on the next run. */
  private table(signal?: AbortSignal): Promise<TableInfo> {
    const { catalog, database, table } = this.options.settings;
    if (!this.tableInfo) {
      this.tableInfo = fetchTableInfo(this.athena, { catalog, database, table }, signal).catch((error: unknown) => {
        this.tableInfo = undefined;
        if (isCancelled(error) || signal?.aborted) throw error;
        throw new AthenaSourceError(this.options.session.redact(explainAthenaError(error, { ...this.context, step: 'GetTableMetadata' })));
      });
    }
    return this.tableInfo;
  }

  /** Credentials first: an expired SSO login is said as such (with its kind), not as an Athena failure. */
  private async credentials(): Promise<void> {
    try {
      await this.options.session.current();
    } catch (error) {
      throw new AthenaSourceError((error as Error).message, (error as { errorKind?: never }).errorKind, { cause: error });
    }
  }

  private async bound(info: TableInfo, window: TimeWindow, signal?: AbortSignal): Promise<ScanBound | undefined> {
    if (!info.locationTemplate) return undefined;
    const prefixes = scanPrefixes(info.locationTemplate, partitionValues(info, windowDays(window), this.options.settings));
    try {
      return await scanBound(this.s3, prefixes, signal);
    } catch (error) {
      if (isCancelled(error) || signal?.aborted) throw error;
      throw new AthenaSourceError(this.options.session.redact(explainAthenaError(error, { ...this.context, step: 'ListObjectsV2' })));
    }
  }

  async execute(
    window: TimeWindow,
    sql: string,
    options: {
      signal?: AbortSignal;
      limit?: number;
      onProgress?: (progress: SourceProgress) => void;
      onRows?: (rows: CellValue[][], columns: readonly string[]) => void;
      cell?: RemoteCellContext;
    },
  ): Promise<RemoteResult> {
    const { settings } = this.options;
    const { signal } = options;
    const started = Date.now();
    const progress = (message: string): void => options.onProgress?.({ message, elapsedMs: Date.now() - started });
    const parser = await this.options.parser();
    const refused = await guardSql(parser, sql);
    if (refused) throw new Error(refused);
    await this.credentials();
    progress(`reading the table's layout from ${settings.catalog}`);
    const info = await this.table(signal);
    const sqlAsRun = await rewriteForTrino(
      parser,
      sql,
      { table: `${settings.database}.${settings.table}`, partitions: partitionSchemes(info.layout, settings) },
      window,
    );
    const tooLong = querySizeProblem(sqlAsRun, sql, options.cell);
    if (tooLong) throw new AthenaSourceError(tooLong);

    progress('listing the partitions the window reads, for the cost bound');
    const bound = await this.bound(info, window, signal);
    if (bound && bound.bytes > settings.maxScanBytes) {
      const confirmed = (await this.options.confirmScan?.(bound, settings.maxScanBytes)) ?? false;
      if (!confirmed) {
        throw new AthenaSourceError(
          `not started: the query could scan up to ${formatBytes(bound.bytes)} (${bound.objects.toLocaleString('en-US')} objects in the window's partitions), ` +
            `about ${usd(athenaCost(bound.bytes, settings.pricePerTb))}, above the limit of ${formatBytes(settings.maxScanBytes)}: ` +
            `choose a shorter window or fewer accounts and regions, or raise ${this.options.names.maxScan}`,
        );
      }
    }

    const token = clientRequestToken({ runbook: options.cell?.runbook ?? '', cell: options.cell?.cell ?? '', sql: sqlAsRun, window });
    const result = await this.runner.run(sqlAsRun, {
      token,
      ...(signal ? { signal } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      onState: (state, id) => progress(`${state.toLowerCase()} on ${this.label} (query ${id})`),
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
    const costUsd = athenaCost(result.dataScannedBytes, settings.pricePerTb);
    const notes = [
      `ran on ${this.label} as query ${result.queryExecutionId} in ${formatElapsed(Date.now() - started)}: ` +
        `scanned ${formatBytes(result.dataScannedBytes)}, about ${usd(costUsd)} at ${usd(settings.pricePerTb)} per TB` +
        (bound
          ? ` (bound before it started: ${formatBytes(bound.bytes)} in ${bound.objects.toLocaleString('en-US')} objects)`
          : ' (no bound before it started: the table gives no location)'),
      `the window is written into the SQL as run: eventTime bounds${info.layout.dayColumn ? `, days of "${info.layout.dayColumn}" (one late day added)` : ''}` +
        `${info.layout.accountColumn && settings.accounts?.length ? `, accounts of "${info.layout.accountColumn}"` : ''}` +
        `${info.layout.regionColumn && settings.regions?.length ? `, regions of "${info.layout.regionColumn}"` : ''}`,
      ...info.schemaDifferences,
    ];
    return {
      columns: result.columns.map((c) => c.name),
      rows: result.rows,
      truncated: result.truncated,
      sqlAsRun,
      notes,
      scan: {
        engine: 'athena',
        queryId: result.queryExecutionId,
        scannedBytes: result.dataScannedBytes,
        ...(bound ? { boundBytes: bound.bytes } : {}),
        pricePerTb: settings.pricePerTb,
        costUsd,
      },
    };
  }
}
