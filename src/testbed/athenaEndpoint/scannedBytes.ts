// DataScannedInBytes for the DuckDB backend. Athena bills the bytes it reads from S3: for
// CloudTrail's gzip JSON, whole files, of the partitions the query's predicates keep. The
// same here: the sizes of the log files whose day folder (`…/YYYY/MM/DD/`) the query's
// `timestamp` partition predicates keep, plus every file outside a day folder (a table
// without partitions reads all of it). A query without such predicates reads every file.
import type { LogFile } from '../../sources/local/discover';

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface DayRange {
  /** `yyyy/MM/dd`, inclusive; undefined: unbounded. */
  readonly from?: string;
  readonly to?: string;
}

const FLIP: Record<string, string> = {
  COMPARE_GREATERTHANOREQUALTO: 'COMPARE_LESSTHANOREQUALTO',
  COMPARE_GREATERTHAN: 'COMPARE_LESSTHAN',
  COMPARE_LESSTHANOREQUALTO: 'COMPARE_GREATERTHANOREQUALTO',
  COMPARE_LESSTHAN: 'COMPARE_GREATERTHAN',
  COMPARE_EQUAL: 'COMPARE_EQUAL',
};

function isPartitionColumn(node: unknown, column: string): boolean {
  if (!isNode(node) || node.class !== 'COLUMN_REF' || !Array.isArray(node.column_names)) return false;
  const names = node.column_names as string[];
  return names[names.length - 1]?.toLowerCase() === column;
}

function stringConstant(node: unknown): string | undefined {
  if (!isNode(node) || node.class !== 'CONSTANT') return undefined;
  const value = node.value as { is_null?: boolean; value?: unknown } | undefined;
  return typeof value?.value === 'string' ? value.value : undefined;
}

/** The days the `column` predicates of the syntax tree keep (the tightest bounds found). */
export function partitionDays(tree: unknown, column = 'timestamp'): DayRange {
  let from: string | undefined;
  let to: string | undefined;
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isNode(value)) {
      if (value.class === 'COMPARISON') {
        let type = String(value.type);
        let day: string | undefined;
        if (isPartitionColumn(value.left, column)) day = stringConstant(value.right);
        else if (isPartitionColumn(value.right, column)) {
          day = stringConstant(value.left);
          type = FLIP[type] ?? type;
        }
        if (day !== undefined) {
          if (type === 'COMPARE_GREATERTHANOREQUALTO' || type === 'COMPARE_GREATERTHAN' || type === 'COMPARE_EQUAL')
            from = from === undefined || day > from ? day : from;
          if (type === 'COMPARE_LESSTHANOREQUALTO' || type === 'COMPARE_LESSTHAN' || type === 'COMPARE_EQUAL')
            to = to === undefined || day < to ? day : to;
        }
      }
      stack.push(...Object.values(value));
    }
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

const DAY_FOLDER = /(?:^|[\\/])(\d{4})[\\/](\d{2})[\\/](\d{2})[\\/][^\\/]+$/;

/** The bytes of the files in the range: Athena's DataScannedInBytes for gzip JSON logs. */
export function scannedBytes(files: readonly LogFile[], range: DayRange): number {
  let bytes = 0;
  for (const file of files) {
    const m = DAY_FOLDER.exec(file.path);
    const day = m ? `${m[1]}/${m[2]}/${m[3]}` : undefined;
    if (day !== undefined && ((range.from !== undefined && day < range.from) || (range.to !== undefined && day > range.to))) continue;
    bytes += file.size;
  }
  return bytes;
}
