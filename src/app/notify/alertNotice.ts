// What a notifier is told about one alert: a finding first seen (trigger) or one whose
// detection stopped finding it and whose verify cells pass (resolve). Values in it come from
// logs that anyone calling AWS can write to: each notifier escapes them for its receiver.
import type { CellValue } from '../../engine/query';
import type { FindingSeverity } from '../../runbook/types';

export type AlertAction = 'trigger' | 'resolve';

export interface AlertNotice {
  readonly action: AlertAction;
  /** Stable across runs and machines for one finding (runbook, cell, key): PagerDuty's dedup_key, the webhook's id. */
  readonly alertId: string;
  /** The runbook's path as given to `trailbook check`. */
  readonly runbook: string;
  readonly title: string;
  readonly cell: string;
  readonly heading?: string;
  /** 1-based line of the cell's fence. */
  readonly line: number;
  readonly severity: FindingSeverity;
  /** The finding key (eventID, dedup= values, or a hash of the row). */
  readonly key: string;
  /** The window the finding was first found in (ISO-8601). */
  readonly window: { readonly start: string; readonly end: string };
  readonly columns: readonly string[];
  /** The first rows of the finding, as found. */
  readonly rows: readonly (readonly CellValue[])[];
  readonly rowCount: number;
  /** The runbook line in its repository, when the repository's URL is known. */
  readonly link?: string;
}

export const SHOWN_ROWS = 5;
