// The Trino backend: Athena's API over a real Trino, the engine Athena runs. The served
// table becomes the Trino table (`--trino-table catalog.schema.table`); the query runs as
// sent; Trino's errors pass through with their names and positions, as Athena passes them;
// DataScannedInBytes is Trino's processedBytes; StopQueryExecution cancels the Trino query.
import { sqlIdentifier } from '../../engine/sqlText';
import { openSqlChecker } from '../../engine/sqlCheck';
import { Cancelled, isCancelled } from '../../protocol/cancelled';
import { TrinoClient, type TrinoConnection } from '../../sources/trino/client';
import { TrinoQueryError } from '../../sources/trino/errors';
import { qualifiedName } from '../../sources/trino/windowRewrite';
import { QueryFailure, QuerySyntaxError } from './athenaErrors';
import { athenaText } from './athenaText';
import { fromTrinoSignature } from './athenaType';
import type { AthenaBackend, AthenaQuery, BackendResult } from './backend';
import { mapServedTable, type MappedQuery } from './servedTable';

export interface TrinoBackendOptions {
  readonly connection: TrinoConnection;
  /** The Trino table that holds the events, `catalog.schema.table`. */
  readonly trinoTable: string;
}

const POSITION = /^line (\d+):(\d+): /;

function failure(error: TrinoQueryError, mapped: MappedQuery | undefined): QueryFailure {
  let message = error.trinoMessage || error.message;
  const at = POSITION.exec(message);
  if (at && mapped) {
    const original = mapped.originalPosition(Number(at[1]), Number(at[2]));
    message = `line ${original.line}:${original.column}: ${message.slice(at[0].length)}`;
  }
  return new QueryFailure(error.errorName, message, error.errorType === 'USER_ERROR' ? 2 : 1);
}

export function trinoBackend(options: TrinoBackendOptions): AthenaBackend {
  const client = new TrinoClient({ ...options.connection, source: options.connection.source ?? 'trailbook-serve-athena' });
  const target = qualifiedName(options.trinoTable);
  // DuckDB only parses here: it finds the served table's references.
  const parser = openSqlChecker();

  return {
    label: `Trino ${options.connection.server} ${options.trinoTable}`,
    // The Trino table has the day partition; a table declaring more would name columns it lacks.
    partitionColumns: ['timestamp'],

    async checkSyntax(query: AthenaQuery): Promise<void> {
      // Trino's parser, asked before the query is taken: EXPLAIN (TYPE VALIDATE) parses and
      // analyses without running. Only a syntax error refuses the request, as in Athena;
      // what analysis finds (a missing table) fails the query later, as in Athena.
      try {
        await client.query(`EXPLAIN (TYPE VALIDATE)\n${query.sql}`);
      } catch (error) {
        if (!(error instanceof TrinoQueryError) || error.errorName !== 'SYNTAX_ERROR') return;
        const text = error.trinoMessage.replace(POSITION, '');
        const line = (error.location?.line ?? 2) - 1;
        throw new QuerySyntaxError(Math.max(1, line), error.location?.column ?? 1, text);
      }
    },

    async execute(query: AthenaQuery, signal: AbortSignal): Promise<BackendResult> {
      const mapped = await mapServedTable((await parser).connection, query, (served, alias) =>
        alias === '' ? `${target} AS ${sqlIdentifier(served.name)}` : target,
      );
      // Text DuckDB cannot parse goes to Trino as sent: Trino's own error says what is wrong.
      const run = 'problem' in mapped ? undefined : mapped;
      try {
        const result = await client.query(run?.sql ?? query.sql, { signal });
        const types = result.columns.map((c) => fromTrinoSignature(c.typeSignature));
        return {
          columns: result.columns.map((c, i) => ({ name: c.name, type: types[i]! })),
          rows: result.rows.map((row) => row.map((value, i) => athenaText(value, types[i]!))),
          scannedBytes: result.processedBytes,
        };
      } catch (error) {
        if (isCancelled(error)) throw new Cancelled({ cause: error });
        if (error instanceof TrinoQueryError) throw failure(error, run);
        throw new QueryFailure('GENERIC_INTERNAL_ERROR', (error as Error).message, 1);
      }
    },

    async close(): Promise<void> {
      (await parser).close();
    },
  };
}
