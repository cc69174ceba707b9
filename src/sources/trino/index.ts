// Trino as a place where runbook SQL runs: the REST client, the window rewrite, the table's
// types in Trino's names.
export { TrinoClient, type TrinoConnection, type TrinoColumn, type TrinoResult, type TrinoQueryOptions } from './client';
export { TrinoQueryError, TrinoConnectionError, TrinoQueryCancelled } from './errors';
export { rewriteForTrino, windowedTable, findTableReferences, WindowRewriteError, type TrinoTarget } from './windowRewrite';
export { dayPartition, type PartitionScheme, type DayPartitionOptions } from './partitions';
export { trinoType, TRINO_COLUMN_DEFINITIONS, TRINO_COLUMN_LIST } from './tableSchema';
export { toCellValue as trinoCellValue, timestampToIso, type TypeSignature } from './values';
