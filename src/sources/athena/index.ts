// Athena as a place where runbook SQL runs: the query flow, the table's layout and cost
// bound, Trino's text values read back, and the DDL of the table.
export {
  AthenaSource,
  athenaCost,
  formatBytes,
  type AthenaSettings,
  type AthenaInputNames,
  type AthenaSourceOptions,
} from './athenaSource';
export { AthenaQueryRunner, type AthenaPlace, type AthenaQueryResult } from './client';
export { cloudTrailDdl, DdlInputError, hiveType, type DdlInput } from './ddl';
export { AthenaSourceError, AthenaQueryFailed } from './errors';
export type { ScanBound } from './scanBound';
export * from './defaults';
