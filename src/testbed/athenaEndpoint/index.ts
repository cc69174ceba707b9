// The local Athena endpoint (`trailbook serve-athena`): what the Athena source's tests, the
// e2e runs and anyone without an AWS account point `@aws-sdk/client-athena` at.
//
// For the Athena source (src/sources/athena) and its tests:
//
//   const backend = await duckdbBackend({ logsPath: 'test/fixtures/…' });   // or trinoBackend({...})
//   const endpoint = await startAthenaEndpoint({ backend, maxConcurrent: 2 });
//   new AthenaClient({ endpoint: endpoint.url, region: endpoint.region, credentials: endpoint.credentials });
//   …
//   await endpoint.close(); await backend.close();
//
// - Tables: the queries name `"default"."cloudtrail_logs"` (or `cloudtrail_logs` with
//   QueryExecutionContext.Database `default`) in catalog `awsdatacatalog`; `table` changes the
//   database and name. It has the Athena CloudTrail columns and a `timestamp` string
//   partition (`yyyy/MM/dd`), as a table with partition projection; any other table fails
//   TABLE_NOT_FOUND with its position. GetTableMetadata describes it. The CREATE EXTERNAL
//   TABLE of `trailbook athena ddl` adds a table over the same events, when its columns,
//   partitions, projection and LOCATION are ones the endpoint serves (tableCatalog.ts).
// - Work groups: `primary`, with an output location (`workGroups` changes them; a work group
//   without one needs ResultConfiguration.OutputLocation, else InvalidRequestException).
// - States: a query is QUEUED on the first GetQueryExecution, RUNNING on the second, then
//   its final state once the backend is done. FAILED carries StateChangeReason
//   `ERROR_NAME: line N:M: message` and AthenaError; CANCELLED after StopQueryExecution.
// - Refused at StartQueryExecution (InvalidRequestException, Athena's texts): a syntax error
//   (`line N:M: …`, AthenaErrorCode MALFORMED_QUERY), a backtick in DML, a QueryString over
//   262,144 bytes, a ClientRequestToken of another request; TooManyRequestsException when
//   `maxConcurrent` queries hold a slot (a slot is held until a poll has shown the final
//   state, StopQueryExecution, or a minute after the query ended unseen).
// - GetQueryResults: MaxResults ≤ 1000, NextToken, the header row first on the first page of
//   a SELECT, every value Athena's text (athenaText.ts), null as a Datum without VarCharValue.
// - `calls` lists every signed call ({ action, queryExecutionId }); `executions` the
//   QueryExecutionIds the backend actually ran.
export { startAthenaEndpoint, type AthenaEndpoint, type AthenaEndpointOptions, type AthenaEndpointCall } from './server';
export { duckdbBackend, type DuckDBBackend, type DuckDBBackendOptions } from './duckdbBackend';
export { trinoBackend, type TrinoBackendOptions } from './trinoBackend';
export type { AthenaBackend, AthenaQuery, BackendResult } from './backend';
export { DEFAULT_SERVED_TABLE, type ServedTable } from './servedTable';
export { DEFAULT_WORK_GROUPS, type WorkGroup } from './athenaActions';
export { MAX_QUERY_BYTES } from './statementText';
