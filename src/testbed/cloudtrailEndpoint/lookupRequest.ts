// The body of a LookupEvents request, checked as the service checks it. Each refusal has
// the exception AWS documents for it, so a client's error handling can be tested here.
import { AwsError } from './awsError';
import { LOOKUP_ATTRIBUTE_KEYS, type LookupAttributeKey } from './lookupEvent';

export const MAX_PAGE = 50;

export interface LookupRequest {
  readonly attribute?: { readonly key: LookupAttributeKey; readonly value: string };
  /** Epoch milliseconds, inclusive. */
  readonly start?: number;
  /** Epoch milliseconds, inclusive. */
  readonly end?: number;
  /** `insight` asks for Insights events; otherwise management events. */
  readonly category: 'management' | 'insight';
  readonly maxResults: number;
  readonly nextToken?: string;
  /** Everything a NextToken must be bound to, as one string. */
  readonly binding: string;
}

/** JSON 1.1 sends timestamps as epoch seconds (the SDK may send a fraction). */
function epochSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AwsError('SerializationException', `${name} must be a timestamp in epoch seconds`);
  return Math.round(value * 1000);
}

function attributeOf(value: unknown): LookupRequest['attribute'] {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new AwsError('SerializationException', 'LookupAttributes must be a list');
  if (value.length === 0) return undefined;
  if (value.length > 1) throw new AwsError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  const { AttributeKey: key, AttributeValue: text } = (value[0] ?? {}) as { AttributeKey?: unknown; AttributeValue?: unknown };
  if (typeof key !== 'string' || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      `Invalid lookup attribute key: ${String(key)}. Use one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`,
    );
  }
  if (typeof text !== 'string' || text.length === 0)
    throw new AwsError('InvalidLookupAttributesException', `The lookup attribute ${key} needs a value.`);
  return { key: key as LookupAttributeKey, value: text };
}

/** `scope` is who asks (account and region): a token never crosses from one to another. */
export function parseLookupRequest(body: unknown, scope: string): LookupRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AwsError('SerializationException', 'the request body must be a JSON object');
  const input = body as Record<string, unknown>;
  const attribute = attributeOf(input.LookupAttributes);
  const start = epochSeconds(input.StartTime, 'StartTime');
  const end = epochSeconds(input.EndTime, 'EndTime');
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must be earlier than or equal to end time.');
  }
  let category: LookupRequest['category'] = 'management';
  if (input.EventCategory !== undefined && input.EventCategory !== null) {
    if (input.EventCategory !== 'insight')
      throw new AwsError(
        'InvalidEventCategoryException',
        `Invalid event category: ${String(input.EventCategory)}. The only value is insight.`,
      );
    category = 'insight';
  }
  let maxResults = MAX_PAGE;
  if (input.MaxResults !== undefined && input.MaxResults !== null) {
    const n = input.MaxResults;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
      throw new AwsError('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_PAGE}.`);
    }
    maxResults = n;
  }
  const token = input.NextToken;
  if (token !== undefined && token !== null && typeof token !== 'string')
    throw new AwsError('InvalidNextTokenException', 'Invalid NextToken.');
  return {
    ...(attribute ? { attribute } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    category,
    maxResults,
    ...(typeof token === 'string' && token.length > 0 ? { nextToken: token } : {}),
    binding: JSON.stringify([scope, attribute?.key ?? null, attribute?.value ?? null, start ?? null, end ?? null, category]),
  };
}
