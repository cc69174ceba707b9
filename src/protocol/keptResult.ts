// A large result stays with the host (DuckDB) and the view asks for what it shows: the
// histogram as bins for the span in view, the events themselves (marks) once a span holds
// few enough, and the table a page at a time. A result over the row limit (the editor's
// trailbook.rowLimit) is kept so, and its rows never travel to the webview whole: a million
// events cost the view what is on screen. Smaller results travel whole, as before.
// Every request carries a `requestId` the answer repeats: the view drops stale answers.
import type { ResultValue } from './results';

/** At most this many bins per request: a few per pixel column of the widest screen. */
export const MAX_BINS = 20_000;
/** At most this many events per `marks` answer: the view draws bins until a span holds fewer. */
export const MAX_MARKS = 5_000;
/** At most this many rows per page of the table. */
export const MAX_PAGE = 2_000;
/** The filter box's text, at most this long: a filter, not a document. */
export const MAX_FILTER_CHARS = 1_000;
/** At most this many words in the filter: each is one more condition over every column. */
export const MAX_FILTER_WORDS = 32;
/** A column name in a request, at most this long (a query's alias; checked against the result's columns too). */
const MAX_COLUMN_CHARS = 1_000;

/**
 * The filter box's words, lower-cased: a row matches when every word appears in one of its
 * columns (src/webview/rowFilter.ts); the host filters a kept result by the same words.
 */
export function filterWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
}

/** How the table lists a kept result: sorted by one of its columns (by name), filtered by the filter box's text. */
export interface KeptListing {
  readonly sort?: { readonly column: string; readonly direction: 'asc' | 'desc' };
  readonly filter?: string;
}

/** What the view learns about a kept result, before asking for any of it. */
export interface KeptSummary {
  readonly rowCount: number;
  readonly columns: readonly string[];
  /** The column the timeline places events by; absent when the rows have no time. */
  readonly timeColumn?: string;
  /** Epoch ms of the earliest and latest event with a time; absent when none has one. */
  readonly first?: number;
  readonly last?: number;
  /** Rows whose time is missing or unreadable: counted, never silently dropped. */
  readonly missingTime: number;
  /** Bins over [first, last], so the first paint needs no request (see KeptBins). */
  readonly overview?: KeptBins;
}

/** Counts per bin: bin i covers [start + i·size, start + (i+1)·size); `errors` counts those with an errorCode. */
export interface KeptBins {
  readonly start: number;
  readonly size: number;
  readonly counts: readonly number[];
  readonly errors?: readonly number[];
}

/** Bins of the overview sent with the summary: about one per pixel column of a wide panel. */
export const OVERVIEW_BINS = 1_000;

/** Host → webview, about a kept result. */
export type KeptHostMessage =
  /** The run's result is kept by the host: the view asks for bins, marks and pages. */
  | ({ readonly type: 'resultKept'; readonly runId: string } & KeptSummary)
  /** The bins asked for (KeptBins); `errors` is there when the rows have an errorCode (the timeline's red). */
  | ({ readonly type: 'bins'; readonly runId: string; readonly requestId: number } & KeptBins)
  /**
   * The events in [from, to], in time order: each one's place in the whole result, its time
   * (epoch ms) and 1 where it failed (an errorCode). A row itself comes with a page when looked at.
   */
  | {
      readonly type: 'marks';
      readonly runId: string;
      readonly requestId: number;
      readonly from: number;
      readonly to: number;
      readonly rowIndexes: readonly number[];
      readonly times: readonly number[];
      readonly failed: readonly number[];
      /** False when the span held more than the request's limit: then the lists are empty and the view keeps its bins. */
      readonly complete: boolean;
    }
  /**
   * Rows [offset, offset + rows.length) of the listing asked for (the result in its own order
   * when none was): `listed` rows in all, and each row's place in the whole result.
   */
  | {
      readonly type: 'page';
      readonly runId: string;
      readonly requestId: number;
      readonly offset: number;
      readonly rows: readonly ResultValue[][];
      readonly rowIndexes: readonly number[];
      readonly listed: number;
    }
  /**
   * Where the listing asked for lists row `row` of the whole result (-1: it leaves the row
   * out), so the table can scroll to a row whose page it does not hold; `listed` rows in all.
   */
  | {
      readonly type: 'position';
      readonly runId: string;
      readonly requestId: number;
      readonly row: number;
      readonly position: number;
      readonly listed: number;
    }
  /**
   * A request the host could not answer (the result was let go, or DuckDB failed): said in the
   * view. `request` is the kind asked, so the timeline and the table each take only theirs.
   */
  | {
      readonly type: 'keptError';
      readonly runId: string;
      readonly requestId: number;
      readonly request: KeptRequest['type'];
      readonly error: string;
    };

/** Webview → host: requests about a kept result. */
export type KeptRequest =
  | {
      readonly type: 'bins';
      readonly runId: string;
      readonly requestId: number;
      readonly from: number;
      readonly to: number;
      readonly size: number;
      /** The filter box's text: only the rows it keeps are counted (the table lists the same rows). */
      readonly filter?: string;
    }
  | {
      readonly type: 'marks';
      readonly runId: string;
      readonly requestId: number;
      readonly from: number;
      readonly to: number;
      readonly limit: number;
      /** The filter box's text: only the rows it keeps are marks. */
      readonly filter?: string;
    }
  | {
      readonly type: 'page';
      readonly runId: string;
      readonly requestId: number;
      readonly offset: number;
      readonly count: number;
      readonly listing?: KeptListing;
    }
  | {
      readonly type: 'position';
      readonly runId: string;
      readonly requestId: number;
      /** A place in the whole result (a mark's row). */
      readonly row: number;
      readonly listing?: KeptListing;
    };

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** Checks a request on arrival: the page is web content, so sizes are bounded here, once. */
export function isKeptRequest(value: unknown): value is KeptRequest {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (typeof message.runId !== 'string' || !isInteger(message.requestId)) return false;
  switch (message.type) {
    case 'bins': {
      const { from, to, size } = message;
      return (
        isInteger(from) &&
        isInteger(to) &&
        isInteger(size) &&
        size > 0 &&
        to >= from &&
        (to - from) / size < MAX_BINS &&
        (message.filter === undefined || isFilter(message.filter))
      );
    }
    case 'marks':
      return (
        isInteger(message.from) &&
        isInteger(message.to) &&
        message.to >= message.from &&
        isInteger(message.limit) &&
        message.limit > 0 &&
        message.limit <= MAX_MARKS &&
        (message.filter === undefined || isFilter(message.filter))
      );
    case 'position':
      return isInteger(message.row) && message.row >= 0 && (message.listing === undefined || isListing(message.listing));
    case 'page':
      return (
        isInteger(message.offset) &&
        message.offset >= 0 &&
        isInteger(message.count) &&
        message.count > 0 &&
        message.count <= MAX_PAGE &&
        (message.listing === undefined || isListing(message.listing))
      );
    default:
      return false;
  }
}

function isListing(value: unknown): value is KeptListing {
  if (typeof value !== 'object' || value === null) return false;
  const { sort, filter } = value as Record<string, unknown>;
  if (filter !== undefined && !isFilter(filter)) return false;
  if (sort === undefined) return true;
  if (typeof sort !== 'object' || sort === null) return false;
  const { column, direction } = sort as Record<string, unknown>;
  return typeof column === 'string' && column.length <= MAX_COLUMN_CHARS && (direction === 'asc' || direction === 'desc');
}

function isFilter(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_FILTER_CHARS && filterWords(value).length <= MAX_FILTER_WORDS;
}
