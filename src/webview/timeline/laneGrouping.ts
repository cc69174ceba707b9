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
  const order = names.map((name, id) => ({ id, name, count: counts[id] ?? 0 }));
  order.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const own = order.length <= limit + 1 ? order.length : Math.max(0, limit);
  const laneOfKey = new Int32Array(names.length);
  const lanes: Lane[] = [];
  for (const [lane, key] of order.slice(0, own).entries()) {
    laneOfKey[key.id] = lane;
    // A lane is named by a log value; the canvas would obey a bidi override in it.
    lanes.push({ label: displayText(key.name), count: key.count, isOther: false });
  }
  if (own < order.length) {
    let rest = 0;
    for (const key of order.slice(own)) {
      laneOfKey[key.id] = own;
      rest += key.count;
    }
    lanes.push({ label: `other (${order.length - own} lanes)`, count: rest, isOther: true });
  }
  return { lanes, laneOfKey };
}

/** `arn:partition:service:region:account:` off an ARN, and what every principal of a kind repeats. */
function withoutArnPrefix(label: string): string {
  if (!label.startsWith('arn:')) return label;
  return (
    label
      .split(':')
      .slice(5)
      .join(':')
      .replace(/^assumed-role\//, '')
      // IAM Identity Center roles all start alike: their permission set is the useful part.
      .replace(/^AWSReservedSSO_(.+?)_[0-9a-f]{16}\//, '$1/')
  );
}

/**
 * A lane label short enough for the gutter, keeping the end that tells lanes apart: an
 * ARN loses its `arn:aws:service::account:` prefix, then its leading path segments
 * (`…/metrics-exporter`, never `user/…porter`); an IP is whole whenever it fits; an API
 * name keeps both ends; anything else longer than the gutter loses its start
 * (`…ersistence-lambda`). The full text is on
 * hover (timelineView.ts) and in the lane list for screen readers.
 */
export function shortLaneLabel(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  // Event sources all end alike: the service is their start (`bedrock`, not `…rock.amazonaws.com`).
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(label)) return shortLaneLabel(label.slice(0, -'.amazonaws.com'.length), maxChars);
  // An API name starts with what it does (`Describe…`, `Delete…`) and ends with what it does
  // it to: both ends (`GetBucketPu…essBlock`), the verb the longer.
  if (/^[A-Z][A-Za-z0-9]+$/.test(label)) {
    const head = Math.ceil((maxChars - 1) * 0.55);
    return `${label.slice(0, head)}…${label.slice(label.length - (maxChars - 1 - head))}`;
  }
  const text = withoutArnPrefix(label);
  if (text.length <= maxChars) return text;
  // A session named by an e-mail address: the person is the part worth keeping, not the domain.
  const withoutDomain = text.replace(/@[^/@]+$/, '@…');
  if (withoutDomain.length <= maxChars) return withoutDomain;
  const segments = text.split('/');
  if (segments.length > 1) {
    // Whole segments from the end, as many as fit after "…/".
    let kept = segments.at(-1) ?? '';
    for (const segment of segments.slice(0, -1).reverse()) {
      if (segment.length + 1 + kept.length + 2 > maxChars) break;
      kept = `${segment}/${kept}`;
    }
    if (kept.length + 2 <= maxChars) return `…/${kept}`;
    const person = kept.replace(/@[^/@]+$/, '@…');
    if (person.length + 2 <= maxChars) return `…/${person}`;
  }
  return `…${text.slice(text.length - Math.max(1, maxChars - 1))}`;
}

/** The length of the start all of `texts` share. */
function commonPrefix(texts: readonly string[]): number {
  const first = texts[0] ?? '';
  let length = 0;
  while (length < first.length && texts.every((text) => text[length] === first[length])) length += 1;
  return length;
}

/**
 * Labels for all the lanes at once: each as shortLaneLabel makes it, except that two
 * lanes never read alike: labels that would (two roles with one session name) show their
 * text from where the lanes differ instead (`…alpha/deploy`, `…omega/deploy`; one user in
 * many accounts: `05639…istophe`).
 */
export function shortLaneLabels(labels: readonly string[], maxChars: number): string[] {
  const entries = labels.map((label, index) => ({ index, label, text: shortLaneLabel(label, maxChars) }));
  const short = entries.map((entry) => entry.text);
  const groups = new Map<string, (typeof entries)[number][]>();
  for (const entry of entries) groups.set(entry.text, [...(groups.get(entry.text) ?? []), entry]);
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    // One principal name in two accounts reads alike without the prefix: then the whole ARN is compared.
    const bare = new Set(members.map((m) => withoutArnPrefix(m.label)));
    const texts = members.map((m) => ({ i: m.index, text: bare.size === members.length ? withoutArnPrefix(m.label) : m.label }));
    const from = commonPrefix(texts.map((t) => t.text));
    texts.forEach(({ i, text }) => {
      // Back to the start of the word where they differ: `…alpha/deploy`, not `…lpha/deploy`.
      let start = from;
      while (start > 0 && start > from - 12 && !/[/:\-_.@]/.test(text.charAt(start - 1))) start -= 1;
      const rest = text.slice(start);
      if (rest.length + 1 <= maxChars) short[i] = `…${rest}`;
      else {
        // Where they differ, and the end (the name one reads).
        const head = Math.ceil((maxChars - 1) / 2);
        short[i] = `${rest.slice(0, head)}…${rest.slice(rest.length - (maxChars - 1 - head))}`;
      }
    });
  }
  return short;
}
