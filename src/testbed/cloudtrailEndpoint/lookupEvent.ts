// One event as LookupEvents returns it, made from a CloudTrail record. LookupEvents does
// not hand back the record's fields one to one: it derives a handful of summary fields
// (Username, Resources, ReadOnly as a string) that are also what the lookup attributes
// match on. Deriving them once, here, keeps the page and the filter consistent.

/** The attribute keys LookupEvents accepts, spelt as AWS spells them (matching is exact). */
export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupResource {
  readonly ResourceType?: string;
  readonly ResourceName?: string;
}

export interface LookupEvent {
  readonly EventId: string;
  readonly EventName?: string;
  readonly ReadOnly?: string;
  readonly AccessKeyId?: string;
  /** Epoch milliseconds here; the response sends epoch seconds. */
  readonly EventTime: number;
  readonly EventSource?: string;
  readonly Username?: string;
  readonly Resources: readonly LookupResource[];
  /** The record as JSON text, what the CloudTrailEvent field carries. */
  readonly CloudTrailEvent: string;
  /** `Management`, `Data` or `Insight`: LookupEvents serves management events unless asked for insights. */
  readonly category: string;
  /** The record's recipientAccountId: the account whose LookupEvents holds it, when the endpoint serves several. */
  readonly account?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const text = (value: Json | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The Username of an event. For an IAM user, its user name. For an assumed role, the role
 * session name (the last part of the assumed-role ARN), which is what the CloudTrail console
 * and LookupEvents show for role sessions; likewise the federated user's name from its ARN;
 * `root` for the root user. Otherwise none: an event
 * made by an AWS service has no user to look up by.
 */
export function usernameOf(identity: { [key: string]: Json } | undefined): string | undefined {
  if (!identity) return undefined;
  const userName = text(identity.userName);
  if (userName) return userName;
  const arn = text(identity.arn);
  if (identity.type === 'AssumedRole' && arn?.includes(':assumed-role/')) return arn.slice(arn.lastIndexOf('/') + 1);
  if (identity.type === 'FederatedUser' && arn?.includes(':federated-user/')) return arn.slice(arn.lastIndexOf('/') + 1);
  if (identity.type === 'Root') return 'root';
  return undefined;
}

export function toLookupEvent(record: { [key: string]: Json }): LookupEvent {
  const identity =
    record.userIdentity && typeof record.userIdentity === 'object' && !Array.isArray(record.userIdentity) ? record.userIdentity : undefined;
  const resources = Array.isArray(record.resources) ? record.resources : [];
  const readOnly =
    record.readOnly === true || record.readOnly === 'true'
      ? 'true'
      : record.readOnly === false || record.readOnly === 'false'
        ? 'false'
        : undefined;
  const time = Date.parse(text(record.eventTime) ?? '');
  const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
    value === undefined ? {} : ({ [key]: value } as Record<K, string>);
  return {
    EventId: text(record.eventID) ?? '',
    ...optional('EventName', text(record.eventName)),
    ...optional('ReadOnly', readOnly),
    ...optional('AccessKeyId', text(identity?.accessKeyId)),
    EventTime: Number.isNaN(time) ? 0 : time,
    ...optional('EventSource', text(record.eventSource)),
    ...optional('Username', usernameOf(identity)),
    // CloudTrail fills Resources from the record's `resources` (type and ARN).
    Resources: resources.flatMap((r) =>
      r && typeof r === 'object' && !Array.isArray(r)
        ? [{ ...optional('ResourceType', text(r.type)), ...optional('ResourceName', text(r.ARN)) }]
        : [],
    ),
    CloudTrailEvent: JSON.stringify(record),
    category: text(record.eventCategory) ?? 'Management',
    ...optional('account', text(record.recipientAccountId)),
  };
}

/** Whether the event has `value` for `key`: exact and case-sensitive, as AWS matches. */
export function matchesAttribute(event: LookupEvent, key: LookupAttributeKey, value: string): boolean {
  switch (key) {
    case 'ResourceType':
      return event.Resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return event.Resources.some((r) => r.ResourceName === value);
    default:
      return event[key] === value;
  }
}
