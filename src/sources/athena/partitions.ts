// The partitions of an Athena CloudTrail table and what a window (and a choice of accounts
// and regions) makes of them. The day partition is Athena's `timestamp` string in
// `yyyy/MM/dd`, one extra day at the end (folders are named by delivery time); account and
// region partitions are filtered only when the table has them and the run names values.
import { sqlIdentifier, sqlString } from '../../engine/sqlText';
import { dayPartition, type PartitionScheme } from '../trino/partitions';

/** Partition column names as Athena's own examples and `trailbook athena ddl` write them. */
const DAY_COLUMNS = ['timestamp', 'day', 'date', 'dt'];
const ACCOUNT_COLUMNS = ['account', 'accountid', 'account_id'];
const REGION_COLUMNS = ['region', 'awsregion', 'aws_region'];

export interface TableLayout {
  /** Lower-case partition column names, in the table's order. */
  readonly partitionKeys: readonly string[];
  readonly dayColumn?: string;
  readonly accountColumn?: string;
  readonly regionColumn?: string;
}

export function tableLayout(partitionKeys: readonly string[]): TableLayout {
  const keys = partitionKeys.map((k) => k.toLowerCase());
  const find = (names: readonly string[]): string | undefined => keys.find((k) => names.includes(k));
  const day = find(DAY_COLUMNS);
  const account = find(ACCOUNT_COLUMNS);
  const region = find(REGION_COLUMNS);
  return {
    partitionKeys: keys,
    ...(day ? { dayColumn: day } : {}),
    ...(account ? { accountColumn: account } : {}),
    ...(region ? { regionColumn: region } : {}),
  };
}

/** `"region" IN ('eu-west-1', 'us-east-1')`: the values quoted by code. */
export function valuesPartition(column: string, values: readonly string[]): PartitionScheme {
  const sorted = [...new Set(values)].sort();
  return { predicates: () => (sorted.length === 0 ? [] : [`${sqlIdentifier(column)} IN (${sorted.map(sqlString).join(', ')})`]) };
}

export interface PartitionChoice {
  /** 12-digit account ids the run is limited to (an organisation table's account partition). */
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

/** The schemes that apply to a table of this layout for this choice. */
export function partitionSchemes(layout: TableLayout, choice: PartitionChoice): PartitionScheme[] {
  const schemes: PartitionScheme[] = [];
  if (layout.dayColumn) schemes.push(dayPartition(layout.dayColumn, { format: 'yyyy/MM/dd', lateDays: 1 }));
  if (layout.accountColumn && choice.accounts && choice.accounts.length > 0)
    schemes.push(valuesPartition(layout.accountColumn, choice.accounts));
  if (layout.regionColumn && choice.regions && choice.regions.length > 0)
    schemes.push(valuesPartition(layout.regionColumn, choice.regions));
  return schemes;
}

const DAY_MS = 86_400_000;

/** The `yyyy/MM/dd` day folders a window reads, the extra late day included. */
export function windowDays(window: { readonly start: Date; readonly end: Date }, lateDays = 1): string[] {
  const days: string[] = [];
  const first = Date.UTC(window.start.getUTCFullYear(), window.start.getUTCMonth(), window.start.getUTCDate());
  const last = window.end.getTime() - 1 + lateDays * DAY_MS;
  for (let day = first; day <= last; day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10).replace(/-/g, '/'));
  return days;
}
