// Lanes: the rows of the timeline. Events are grouped by one dimension the user picks
// (who, from where, with which key, what, where); the busiest values get a lane each and
// the rest share one "other" lane, so a lane count fits the panel whatever the data.
// Pure: no DOM.
import { displayText } from '../../protocol/displayText';
import type { EventField, FieldMap } from './eventFields';

export type LaneDimension = 'principal' | 'sourceIp' | 'accessKey' | 'eventName' | 'eventSource' | 'region' | 'errorCode';

export const LANE_DIMENSIONS: readonly { readonly dimension: LaneDimension; readonly label: string; readonly field: EventField }[] = [
  { dimension: 'principal', label: 'Principal ARN', field: 'principal' },
  { dimension: 'sourceIp', label: 'Source IP', field: 'sourceIp' },
  { dimension: 'accessKey', label: 'Access key', field: 'accessKey' },
  { dimension: 'eventName', label: 'Event name', field: 'eventName' },
  { dimension: 'eventSource', label: 'Event source', field: 'eventSource' },
  { dimension: 'region', label: 'Region', field: 'region' },
  { dimension: 'errorCode', label: 'Error code', field: 'errorCode' },
];

export function dimensionField(dimension: LaneDimension): EventField {
  return LANE_DIMENSIONS.find((d) => d.dimension === dimension)!.field;
}

/** The dimensions these rows can be grouped by, in the select's order. */
export function availableDimensions(fields: FieldMap): LaneDimension[] {
  return LANE_DIMENSIONS.filter((d) => fields[d.field] !== undefined).map((d) => d.dimension);
}

/** The best dimension to start with: who did it, else where from, else what. */
export function defaultDimension(available: readonly LaneDimension[]): LaneDimension | undefined {
  return available[0];
}

/** The label of events that have no value for the dimension (no error, no key). */
export const NONE_LABEL = '(none)';

/**
 * Distinct values of one dimension, each with an id and a count, grown one event at a
 * time: a batch of rows costs its own length, never the run's.
 */
export class LaneKeys {
  /** Key id of each event, in row order. */
  ids = new Int32Array(1024);
  length = 0;
  readonly names: string[] = [];
  readonly counts: number[] = [];
  /** Bumped when counts change, so lanes are ranked again only then. */
  version = 0;
  private readonly byName = new Map<string, number>();

  add(value: string | undefined): number {
    const name = value ?? NONE_LABEL;
    let id = this.byName.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.byName.set(name, id);
      this.names.push(name);
      this.counts.push(0);
    }
    this.counts[id]! += 1;
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length] = id;
    this.length += 1;
    this.version += 1;
    return id;
  }
}

export interface Lane {
  readonly label: string;
  readonly count: number;
  /** Several values share the "other" lane. */
  readonly isOther: boolean;
}

export interface LaneLayout {
  readonly lanes: readonly Lane[];
  /** Lane index of each key id. */
  readonly laneOfKey: Int32Array;
}

/**
 * The `limit` busiest keys each get a lane (ties by name, so the order is stable), and
 * the rest one "other (k lanes)" lane at the end. When only one key would be left over,
 * it gets its own lane: an "other" lane of one says less than the value itself.
 */
export function topLanes(names: readonly string[], counts: readonly number[], limit: number): LaneLayout {
  const order = names.map((_, id) => id);
  order.sort((a, b) => counts[b]! - counts[a]! || (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const own = order.length <= limit + 1 ? order.length : Math.max(0, limit);
  const laneOfKey = new Int32Array(names.length);
  const lanes: Lane[] = [];
  for (let i = 0; i < own; i += 1) {
    const id = order[i]!;
    laneOfKey[id] = i;
    // A lane is named by a log value; the canvas would obey a bidi override in it.
    lanes.push({ label: displayText(names[id]!), count: counts[id]!, isOther: false });
  }
  if (own < order.length) {
    let rest = 0;
    for (let i = own; i < order.length; i += 1) {
      laneOfKey[order[i]!] = own;
      rest += counts[order[i]!]!;
    }
    lanes.push({ label: `other (${order.length - own} lanes)`, count: rest, isOther: true });
  }
  return { lanes, laneOfKey };
}

/**
 * A lane label short enough for the gutter. An ARN drops its `arn:aws:service::account:`
 * prefix (and an assumed role its `assumed-role/`); what is still too long loses its middle, because both ends tell principals
 * apart (the role at the start, the session name at the end).
 */
export function shortLaneLabel(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  // IAM Identity Center roles all start alike: their permission set is the useful part.
  const text = label.startsWith('arn:')
    ? label
        .split(':')
        .slice(5)
        .join(':')
        .replace(/^assumed-role\//, '')
        .replace(/^AWSReservedSSO_(.+?)_[0-9a-f]{16}\//, '$1/')
    : label;
  if (text.length <= maxChars) return text;
  // A session named by an e-mail address: the person is the part worth keeping.
  const shorter = text.replace(/@[^/@]+$/, '@…');
  if (shorter.length <= maxChars) return shorter;
  const head = Math.ceil((maxChars - 1) * 0.45);
  return `${shorter.slice(0, head)}…${shorter.slice(shorter.length - (maxChars - 1 - head))}`;
}
