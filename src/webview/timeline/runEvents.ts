// One run's rows as the timeline reads them: a time and an outcome class per row, in
// typed arrays, extended as batches arrive (a batch costs its own length, not the run's).
// Lane keys of a dimension are computed the first time the dimension is shown, then
// extended the same way. Row i of the run is event i here. Pure: no DOM.
import type { ResultValue } from '../../protocol/results';
import { parseEventTime, readField, readText, resolveFields, type FieldMap } from './eventFields';
import { dimensionField, LaneKeys, type LaneDimension } from './laneGrouping';
import { eventClass, readOnlyValue } from './outcome';

export class RunEvents {
  /** Epoch ms of each row; NaN when the row has no usable eventTime. */
  times = new Float64Array(1024);
  /** Outcome code | ROOT_FLAG of each row (see outcome.ts). */
  classes = new Uint8Array(1024);
  /** Rows read so far. */
  length = 0;
  /** Rows without a usable eventTime: counted, and said under the timeline. */
  missingTime = 0;
  first = Infinity;
  last = -Infinity;
  /**
   * Every row has a time and none is earlier than the one before (a query ordered by
   * eventTime, or a log read in order): the visible range is then found by binary search.
   */
  sorted = true;
  fields: FieldMap = {};
  private columnCount = -1;
  private readonly keys = new Map<LaneDimension, LaneKeys>();

  /** Reads the rows added since the last call; true when anything changed. */
  sync(columns: readonly string[], rows: readonly (readonly ResultValue[])[]): boolean {
    // A batch naming a new column may add a field (rare): read every row again.
    if (columns.length !== this.columnCount) this.reset(columns);
    if (rows.length === this.length) return false;
    this.ensureCapacity(rows.length);
    const fields = this.fields;
    const hasReadOnly = fields.readOnly !== undefined;
    for (let i = this.length; i < rows.length; i += 1) {
      const row = rows[i]!;
      const time = parseEventTime(readField(row, fields.time));
      this.times[i] = time;
      if (!(time >= (i === 0 ? -Infinity : this.times[i - 1]!))) this.sorted = false;
      if (Number.isNaN(time)) this.missingTime += 1;
      else {
        if (time < this.first) this.first = time;
        if (time > this.last) this.last = time;
      }
      this.classes[i] = eventClass({
        eventName: readText(row, fields.eventName),
        errorCode: readText(row, fields.errorCode),
        readOnly: hasReadOnly ? (readOnlyValue(readField(row, fields.readOnly)) ?? false) : undefined,
        identityType: readText(row, fields.identityType),
        principal: readText(row, fields.principal),
      });
    }
    this.length = rows.length;
    return true;
  }

  get hasTimes(): boolean {
    return this.fields.time !== undefined;
  }

  /** Lane keys of `dimension` for every row read so far. */
  laneKeys(dimension: LaneDimension, rows: readonly (readonly ResultValue[])[]): LaneKeys {
    let keys = this.keys.get(dimension);
    if (keys === undefined) {
      keys = new LaneKeys();
      this.keys.set(dimension, keys);
    }
    const access = this.fields[dimensionField(dimension)];
    for (let i = keys.length; i < this.length; i += 1) keys.add(readText(rows[i]!, access));
    return keys;
  }

  private reset(columns: readonly string[]): void {
    this.columnCount = columns.length;
    this.fields = resolveFields(columns);
    this.length = 0;
    this.missingTime = 0;
    this.first = Infinity;
    this.last = -Infinity;
    this.sorted = true;
    this.keys.clear();
  }

  private ensureCapacity(wanted: number): void {
    if (wanted <= this.times.length) return;
    let capacity = this.times.length;
    while (capacity < wanted) capacity *= 2;
    const times = new Float64Array(capacity);
    times.set(this.times.subarray(0, this.length));
    const classes = new Uint8Array(capacity);
    classes.set(this.classes.subarray(0, this.length));
    this.times = times;
    this.classes = classes;
  }
}

/** The first index in [0, length) whose time is >= `time`, in sorted times. */
export function lowerBound(times: Float64Array, length: number, time: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index in [0, length) whose time is > `time`, in sorted times. */
export function upperBound(times: Float64Array, length: number, time: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
