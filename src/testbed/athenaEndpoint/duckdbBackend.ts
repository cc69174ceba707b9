// The DuckDB backend: Athena's API over local log files, run by the project's own engine
// (the event store, the Trino functions it emulates, the same SQL guard as `trailbook run`).
// The logs are read once, at start, into a temporary store. The served table becomes the
// local `cloudtrail_logs` view plus the partition columns the table declares, derived from
// each event as CloudTrail's folders would name it: `timestamp` (`yyyy/MM/dd` of eventTime,
// as the test Trino table derives it), `account` (recipientAccountId) and `region`
// (awsRegion), so the window and partition predicates the Athena source writes run unchanged.
import type { DuckDBConnection } from '@duckdb/node-api';
import { EventStore } from '../../engine/eventStore';
import { onlyRow } from '../../engine/onlyRow';
import { sqlString } from '../../engine/sqlText';
import { defineScope, toCellValue, type QueryScope } from '../../engine/query';
import { guardSql, parseSelect } from '../../engine/sqlGuard';
import { ALL_TIME } from '../../engine/timeWindow';
import { Cancelled } from '../../protocol/cancelled';
import { scanLocalLogs } from '../../sources/local/localLogs';
import type { LogFile } from '../../sources/local/discover';
import { QueryFailure } from './athenaErrors';
import { athenaText } from './athenaText';
import { fromDuckDBType } from './athenaType';
import type { AthenaBackend, AthenaQuery, BackendResult } from './backend';
import { duckdbFailure, duckdbSyntaxError } from './duckdbErrors';
import { partitionDays, scannedBytes } from './scannedBytes';
import { mapServedTable, type ServedTable } from './servedTable';

export interface DuckDBBackendOptions {
  /** A log file or folder, read as `trailbook run --logs` reads it. */
  readonly logsPath: string;
}

/** The partition columns, as the folders of a trail's bucket name them for each event. */
const PARTITION_VALUES: Readonly<Record<string, string>> = {
  timestamp: `replace(substr("eventtime", 1, 10), '-', '/')`,
  account: '"recipientaccountid"',
  region: '"awsregion"',
};

/** The expression of a partition column; the catalog serves no other partitions. */
function partitionValue(key: string): string {
  const value = Object.hasOwn(PARTITION_VALUES, key) ? PARTITION_VALUES[key] : undefined;
  if (value === undefined)
    throw new Error(`the test bed derives no partition ${key}; it derives ${Object.keys(PARTITION_VALUES).join(', ')}`);
  return value;
}

/**
 * What stands for a served table: the view, with the table's partition columns, holding
 * only the events of its enum-projected partitions (the values quoted by code).
 */
const partitionedView = (table: ServedTable, alias: string): string => {
  const partitions = table.partitionKeys.map((key) => `, ${partitionValue(key)} AS "${key}"`).join('');
  const bounds = Object.entries(table.projectedValues ?? {}).map(
    ([key, values]) => `${partitionValue(key)} IN (${values.length > 0 ? values.map(sqlString).join(', ') : 'NULL'})`,
  );
  return `(SELECT *${partitions} FROM cloudtrail_logs${bounds.length > 0 ? ` WHERE ${bounds.join(' AND ')}` : ''}) AS ${alias === '' ? 'cloudtrail_logs' : alias}`;
};

export interface DuckDBBackend extends AthenaBackend {
  /** What reading the logs met: unreadable files and lines, named. */
  readonly problems: readonly { readonly where: string; readonly message: string }[];
  readonly events: number;
}

export async function duckdbBackend(options: DuckDBBackendOptions): Promise<DuckDBBackend> {
  const store = await EventStore.open({});
  let scope: QueryScope;
  let files: readonly LogFile[];
  let problems: { where: string; message: string }[];
  let events: number;
  try {
    const { discovery, ingest } = await scanLocalLogs(store, options.logsPath, ALL_TIME);
    scope = { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME };
    files = discovery.files;
    events = ingest.eventsParsed;
    problems = [
      ...discovery.problems.map((p) => ({ where: p.path, message: p.message })),
      ...ingest.problems.map((p) => ({ where: p.line !== undefined ? `${p.path}:${p.line}` : p.path, message: p.message })),
    ];
  } catch (error) {
    store.close();
    throw error;
  }

  async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await store.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  return {
    label: `DuckDB over ${options.logsPath}`,
    partitionColumns: Object.keys(PARTITION_VALUES),
    problems,
    events,

    checkSyntax: (query) =>
      withConnection(async (connection) => {
        const result = await connection.runAndReadAll('SELECT json_serialize_sql($sql::VARCHAR)', { sql: query.sql });
        const tree = JSON.parse(String(onlyRow(result.getRowsJS())[0])) as {
          error: boolean;
          error_subtype?: string;
          error_message?: string;
          position?: string;
        };
        if (tree.error && tree.error_subtype === 'SYNTAX_ERROR' && tree.position !== undefined) {
          throw duckdbSyntaxError(query.sql, tree.error_message ?? 'syntax error', Number(tree.position));
        }
      }),

    execute: (query: AthenaQuery, signal: AbortSignal): Promise<BackendResult> =>
      withConnection(async (connection) => {
        if (signal.aborted) throw new Cancelled();
        const mapped = await mapServedTable(connection, query, partitionedView);
        if ('problem' in mapped) throw new QueryFailure('NOT_SUPPORTED', mapped.problem);
        const refused = await guardSql(connection, mapped.sql);
        if (refused) throw new QueryFailure('NOT_SUPPORTED', refused);
        const parsed = await parseSelect(connection, query.sql);
        const bytes = scannedBytes(files, 'tree' in parsed ? partitionDays(parsed.tree) : {});
        await defineScope(connection, scope);
        // DuckDB's interrupt stops the query running on the connection now, and nothing
        // later: a stop that lands between the check below and the query's start would be
        // lost (under load, a test's runaway sum over range(5e10) then ran on for minutes).
        // So a stop interrupts again every 50 ms until the query has ended.
        let again: ReturnType<typeof setInterval> | undefined;
        const interrupt = (): void => {
          connection.interrupt();
          again ??= setInterval(() => connection.interrupt(), 50);
        };
        signal.addEventListener('abort', interrupt);
        try {
          // A stop that came while the query was being prepared fired before the listener
          // existed: without this check the query would run to its end (a runaway sum over
          // range(5e10) kept a test process busy after its last test).
          if (signal.aborted) throw new Cancelled();
          const result = await connection.stream(mapped.sql);
          const types = result.columnTypes().map(fromDuckDBType);
          // Trino (so Athena) names result columns in lower case, whatever case the SQL wrote.
          const columns = result.deduplicatedColumnNames().map((name, i) => ({ name: name.toLowerCase(), type: types[i]! }));
          const rows: (string | undefined)[][] = [];
          for await (const batch of result.yieldRowsJs()) {
            if (signal.aborted) throw new Cancelled();
            for (const row of batch) rows.push(row.map((value, i) => athenaText(toCellValue(value), types[i]!)));
          }
          return { columns, rows, scannedBytes: bytes };
        } catch (error) {
          if (signal.aborted) throw new Cancelled({ cause: error });
          throw duckdbFailure(error, mapped);
        } finally {
          signal.removeEventListener('abort', interrupt);
          if (again !== undefined) clearInterval(again);
        }
      }),

    close: async () => store.close(),
  };
}
