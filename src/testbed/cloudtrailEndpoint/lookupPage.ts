// One page of LookupEvents over the in-memory events: the filter, the newest-first order
// already in `events`, the page size and the token that continues it.
import { AwsError } from './awsError';
import { matchesAttribute, type LookupEvent } from './lookupEvent';
import type { LookupRequest } from './lookupRequest';
import type { NextTokens } from './nextToken';

export interface LookupPage {
  readonly Events: object[];
  readonly NextToken?: string;
}

function selected(event: LookupEvent, request: LookupRequest): boolean {
  if ((event.category === 'Insight') !== (request.category === 'insight')) return false;
  // LookupEvents serves management events (and Insights on request), never data events.
  if (request.category === 'management' && event.category !== 'Management') return false;
  if (request.start !== undefined && event.EventTime < request.start) return false;
  if (request.end !== undefined && event.EventTime > request.end) return false;
  return request.attribute === undefined || matchesAttribute(event, request.attribute.key, request.attribute.value);
}

/** The wire form: EventTime in epoch seconds, no internal fields. */
function wire(event: LookupEvent): object {
  const { category: _category, account: _account, EventTime, Resources, ...fields } = event;
  return { ...fields, EventTime: EventTime / 1000, ...(Resources.length > 0 ? { Resources } : {}) };
}

export function lookupPage(events: readonly LookupEvent[], request: LookupRequest, tokens: NextTokens): LookupPage {
  let offset = 0;
  if (request.nextToken !== undefined) {
    const from = tokens.offsetOf(request.binding, request.nextToken);
    if (from === undefined)
      throw new AwsError('InvalidNextTokenException', 'Invalid NextToken: it was issued for a request with different parameters.');
    offset = from;
  }
  // Offsets count matching events, so a page is a slice of the filtered list.
  const matching = events.filter((event) => selected(event, request));
  const page = matching.slice(offset, offset + request.maxResults);
  const next = offset + page.length;
  return { Events: page.map(wire), ...(next < matching.length ? { NextToken: tokens.issue(request.binding, next) } : {}) };
}
