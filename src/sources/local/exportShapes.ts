// CloudTrail events as other tools hand them over, unwrapped into CloudTrail records:
//
// - Elasticsearch and OpenSearch: a search response `{"hits": {"hits": [{"_source": {…}}]}}`,
//   or its hits one a line (elasticdump, a scroll written out); the event is `_source`, and
//   pipelines that index CloudTrail often move `eventTime` to `@timestamp`; Elastic's AWS
//   integration (ECS field names) keeps it whole only in `event.original`;
// - `aws cloudtrail lookup-events`: `{"Events": [{"CloudTrailEvent": "<the event as JSON
//   text>", …}], "NextToken": …}`; the event is that text, parsed.
//
// Only the careful reader (readLogFile.ts) sees these files: sniffing sends them there
// (logFormat.ts), and CloudTrail's own files never pay for the checks.
import { depthState, followDepth, MAX_JSON_DEPTH } from './jsonDepth';

/** How a file's events were found, when not as CloudTrail writes them; kept per file for the run's notes. */
export type ExportShape = 'search-export' | 'lookup-events';

/** What a file's reading found out about its shape. */
export interface ReadAs {
  shape?: ExportShape;
  /** Records whose eventTime was taken from `@timestamp`. */
  timeFromTimestamp: number;
}

/**
 * JSON held as text inside a record (CloudTrailEvent, event.original) was not seen by the
 * file's nesting check, which skips strings: it is held to the same limit before parsing.
 */
function parseNested(text: string): unknown {
  if (followDepth(Buffer.from(text), 0, Buffer.byteLength(text), depthState(), 0) !== -1) {
    throw new Error(`it nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return JSON.parse(text);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The records a whole JSON value holds when it is a known envelope, or undefined. */
export function envelopeRecords(value: unknown, readAs: ReadAs): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.Records)) return value.Records;
  const hits = isObject(value.hits) ? value.hits.hits : undefined;
  if (Array.isArray(hits)) {
    readAs.shape = 'search-export';
    return hits;
  }
  if (Array.isArray(value.Events) && value.Events.some((event) => isObject(event) && 'CloudTrailEvent' in event)) {
    readAs.shape = 'lookup-events';
    return value.Events;
  }
  return undefined;
}

/**
 * The CloudTrail record inside one item of an export, or why there is none. A record that
 * is already CloudTrail's (it has `eventTime`) is returned as it is, whatever else it holds.
 */
export function unwrapRecord(value: unknown, readAs: ReadAs): { record: unknown } | { problem: string } {
  if (!isObject(value) || (value.eventTime !== undefined && value.eventTime !== null)) return { record: value };
  let record: Record<string, unknown> = value;
  if (isObject(value._source)) {
    readAs.shape ??= 'search-export';
    record = value._source;
  } else if (typeof value.CloudTrailEvent === 'string') {
    readAs.shape ??= 'lookup-events';
    try {
      const parsed = parseNested(value.CloudTrailEvent);
      if (!isObject(parsed)) return { problem: 'its CloudTrailEvent is not a JSON object' };
      record = parsed;
    } catch (error) {
      return {
        problem: `its CloudTrailEvent is not valid JSON${/nests deeper/.test((error as Error).message) ? ` (${(error as Error).message})` : ''}`,
      };
    }
  }
  // Elastic's AWS integration renames CloudTrail's fields (ECS: event.action, …) and keeps
  // the event as it was only in event.original, when asked to.
  const original = isObject(record.event) ? record.event.original : undefined;
  if (typeof original === 'string' && record.eventName === undefined) {
    try {
      const parsed = parseNested(original);
      if (isObject(parsed) && parsed.eventTime !== undefined) {
        readAs.shape ??= 'search-export';
        return { record: parsed };
      }
    } catch {
      // Not the event as JSON: judged below like any record.
    }
  }
  if ((record.eventTime === undefined || record.eventTime === null) && typeof record['@timestamp'] === 'string') {
    // @timestamp alone does not make a record CloudTrail's: an ECS document has one too.
    if (typeof record.eventName !== 'string' && typeof record.eventSource !== 'string') {
      return {
        problem:
          'it has @timestamp but no eventTime, eventName or eventSource: not a CloudTrail record (an ECS document without event.original, say)',
      };
    }
    readAs.timeFromTimestamp += 1;
    record = { ...record, eventTime: record['@timestamp'] };
  }
  return { record };
}

/**
 * Whether the first bytes of a file name a field only exports have: such a file goes to the
 * careful reader, which unwraps it, instead of the bulk reader, which would refuse every
 * record as one without eventTime. A false alarm (a request parameter so named) only costs
 * that file the slower path.
 */
export function looksLikeExport(head: string): boolean {
  return /"(?:_source|@timestamp|CloudTrailEvent)"\s*:/.test(head);
}
