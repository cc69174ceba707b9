// Partition predicates: how a window becomes a filter a distributed engine can prune files
// with before it reads them. The window's eventTime bounds alone are correct but read every
// file; a predicate on the partition columns makes Trino (and Athena) list only the days,
// accounts and regions asked for. Each scheme knows its own column and format.
import { sqlIdentifier, sqlString } from '../../engine/sqlText';
import type { TimeWindow } from '../../engine/timeWindow';

export interface PartitionScheme {
  /** SQL conditions on the partition columns that keep every event of the window. */
  predicates(window: TimeWindow): string[];
}

const DAY_MS = 86_400_000;

function formatDay(instant: number, format: DayPartitionOptions['format']): string {
  const iso = new Date(instant).toISOString().slice(0, 10); // yyyy-MM-dd, UTC
  return format === 'yyyy/MM/dd' ? iso.replace(/-/g, '/') : iso;
}

export interface DayPartitionOptions {
  /** Athena's CloudTrail tables with partition projection use `yyyy/MM/dd`; Hive-style tables often `yyyy-MM-dd`. */
  readonly format: 'yyyy/MM/dd' | 'yyyy-MM-dd';
  /**
   * Days added at the end. CloudTrail folders are named by delivery time, which runs up to
   * about 15 minutes (occasionally longer) behind eventTime, so events of the window's last
   * minutes can sit in the next day's folder: Athena's convention is one extra day.
   */
  readonly lateDays: number;
}

/**
 * A day partition (Athena's `timestamp` string partition by default): the days from the
 * window's start to its end plus `lateDays`, as one range. The formats sort as dates, so a
 * range is exact and lets the engine prune without listing every day.
 */
export function dayPartition(column = 'timestamp', options: DayPartitionOptions = { format: 'yyyy/MM/dd', lateDays: 1 }): PartitionScheme {
  return {
    predicates(window) {
      const first = formatDay(window.start.getTime(), options.format);
      // The end is exclusive: the last day holding events is the day of the instant before it.
      const last = formatDay(window.end.getTime() - 1 + options.lateDays * DAY_MS, options.format);
      const col = sqlIdentifier(column);
      return [`${col} >= ${sqlString(first)}`, `${col} <= ${sqlString(last)}`];
    },
  };
}
