// What the timeline of a result kept by the host (src/protocol/keptResult.ts) holds and
// asks for. The host answers bins for the span in view and, once a span holds at most
// MAX_MARKS events, the events themselves; meanwhile every frame paints what it has (the
// last bins, placed by time in the new range), so a zoom frame never waits for the host.
// One request of each kind is in flight at a time; an answer to an older one is dropped,
// and what the latest range wants is asked next. With words in the filter box every
// request carries them: the host counts and gives only the rows the filter keeps, the
// rows the table lists. Pure: no DOM.
import { MAX_BINS, MAX_MARKS, type KeptHostMessage, type KeptRequest, type KeptSummary } from '../../protocol/keptResult';
import { niceBucketSize } from './timeBuckets';
import { paddedBounds, type TimeRange } from './timeScale';

type BinsAnswer = Extract<KeptHostMessage, { type: 'bins' }>;
type MarksAnswer = Extract<KeptHostMessage, { type: 'marks' }>;

/** Bins for what is in view: ~3 px each, nice sizes (as the in-view histogram's), under 1 s exact ms. */
export function binSizeFor(spanMs: number, plotWidth: number): number {
  const bins = Math.max(8, Math.floor(plotWidth / 3));
  if (spanMs / bins < 1000) return Math.max(1, Math.ceil(spanMs / bins));
  return niceBucketSize(spanMs, bins);
}

/** The whole-ms request that covers `range`, with bins of `size`: whole bins, never more than MAX_BINS. */
export function binsRequestFor(range: TimeRange, size: number): { from: number; to: number; size: number } {
  const from = Math.floor(range.start / size) * size;
  let to = Math.ceil(range.end);
  let wanted = size;
  while ((to - from) / wanted >= MAX_BINS) wanted *= 2;
  to = Math.max(from, to);
  return { from, to, size: wanted };
}

/** Events the bins put in [start, end]: every bin that overlaps counts whole (an upper bound). */
export function eventsAtMost(bins: Pick<BinsAnswer, 'start' | 'size' | 'counts'>, range: TimeRange): number {
  let total = 0;
  bins.counts.forEach((count, i) => {
    const from = bins.start + i * bins.size;
    if (from + bins.size > range.start && from <= range.end) total += count;
  });
  return total;
}

/** The events of a span, ready to draw: times and whether each failed (an errorCode). */
export interface KeptMarks {
  readonly from: number;
  readonly to: number;
  readonly times: Float64Array;
  readonly failed: Uint8Array;
  readonly rowIndexes: readonly number[];
}

export class KeptSpan {
  readonly bounds: TimeRange | undefined;
  /** The bins over all time (the overview), and over the latest range asked. */
  overview: BinsAnswer | undefined;
  bins: BinsAnswer | undefined;
  /** The events of the latest span that held few enough; undefined until then. */
  marks: KeptMarks | undefined;
  /** The host could not answer: said in the view. */
  error: string | undefined;
  private nextId = 1;
  private overviewId = 0;
  private binsInFlight: { id: number; from: number; to: number; size: number } | undefined;
  private marksInFlight: { id: number; from: number; to: number } | undefined;
  /** The filter box's words, as the table sends them ('' for none). */
  private filterText = '';

  constructor(
    readonly runId: string,
    readonly summary: KeptSummary,
  ) {
    this.bounds = summary.first !== undefined && summary.last !== undefined ? paddedBounds(summary.first, summary.last) : undefined;
    // The overview came with the summary: the first paint draws it before any answer.
    if (summary.overview !== undefined) {
      this.overview = { type: 'bins', runId, requestId: 0, ...summary.overview };
      this.bins = this.overview;
    }
  }

  get filter(): string {
    return this.filterText;
  }

  /**
   * The filter box's words: what is held counted other rows, so it goes (the summary's
   * overview is the whole result's, good again once the filter is cleared) and answers to
   * requests already sent are dropped. True when the filter changed.
   */
  setFilter(words: readonly string[]): boolean {
    const filter = words.join(' ');
    if (filter === this.filterText) return false;
    this.filterText = filter;
    const whole = filter === '' ? this.summary.overview : undefined;
    this.overview = whole === undefined ? undefined : { type: 'bins', runId: this.runId, requestId: 0, ...whole };
    this.overviewId = 0;
    this.bins = this.overview;
    this.marks = undefined;
    this.binsInFlight = undefined;
    this.marksInFlight = undefined;
    this.error = undefined;
    return true;
  }

  /** What to ask the host for, given the range in view; empty when what is held (or asked) covers it. */
  requests(range: TimeRange, plotWidth: number): KeptRequest[] {
    const bounds = this.bounds;
    if (bounds === undefined || plotWidth <= 0) return [];
    const out: KeptRequest[] = [];
    if (this.overview === undefined && this.overviewId === 0) {
      const request = binsRequestFor(bounds, Math.max(1, Math.ceil((bounds.end - bounds.start) / Math.max(1, Math.floor(plotWidth / 2)))));
      this.overviewId = this.nextId++;
      out.push({ type: 'bins', runId: this.runId, requestId: this.overviewId, ...request, ...this.filtered() });
    }
    const wanted = binsRequestFor(range, binSizeFor(range.end - range.start, plotWidth));
    const held = this.binsInFlight ?? (this.bins && { from: this.bins.start, to: this.binsTo(this.bins), size: this.bins.size });
    const binsCurrent = held !== undefined && held.size === wanted.size && held.from <= wanted.from && held.to >= wanted.to;
    if (!binsCurrent && this.binsInFlight === undefined) {
      this.binsInFlight = { id: this.nextId++, ...wanted };
      out.push({ type: 'bins', runId: this.runId, requestId: this.binsInFlight.id, ...wanted, ...this.filtered() });
    }
    // Marks once the bins say the range holds few enough, and those held do not cover it.
    const bins = this.bins;
    const marksCover = this.marks !== undefined && this.marks.from <= range.start && this.marks.to >= range.end;
    if (
      bins !== undefined &&
      !marksCover &&
      this.marksInFlight === undefined &&
      this.binsCover(bins, range) &&
      eventsAtMost(bins, range) <= MAX_MARKS
    ) {
      const from = Math.floor(range.start);
      const to = Math.ceil(range.end);
      this.marksInFlight = { id: this.nextId++, from, to };
      out.push({ type: 'marks', runId: this.runId, requestId: this.marksInFlight.id, from, to, limit: MAX_MARKS, ...this.filtered() });
    }
    return out;
  }

  /** Takes a host answer; true when it changes what is drawn. */
  receive(message: KeptHostMessage): boolean {
    if (message.type === 'resultKept' || message.runId !== this.runId) return false;
    switch (message.type) {
      case 'bins':
        if (message.requestId === this.overviewId) {
          this.overview = message;
          return true;
        }
        if (message.requestId !== this.binsInFlight?.id) return false;
        this.binsInFlight = undefined;
        this.bins = message;
        return true;
      case 'marks':
        if (message.requestId !== this.marksInFlight?.id) return false;
        this.marksInFlight = undefined;
        // A span that turned out to hold too many keeps its bins; the next range asks again.
        if (message.complete) this.marks = this.toMarks(message);
        return true;
      case 'keptError':
        // The table's pages fail on their own (a sort or filter superseded): not the timeline's to say.
        if (message.request === 'page' || message.request === 'position') return false;
        // An answer to a request no longer waited for (a filter typed over) says nothing about what is shown.
        if (!this.waitsFor(message.requestId)) return false;
        if (message.requestId === this.binsInFlight?.id) this.binsInFlight = undefined;
        if (message.requestId === this.marksInFlight?.id) this.marksInFlight = undefined;
        // The overview is not asked again (an error that stays would ask it every frame): said until the filter changes.
        this.error = message.error;
        return true;
      default:
        return false;
    }
  }

  /** The marks to draw for `range`: only when they cover all of it (else the bins speak). */
  marksFor(range: TimeRange): KeptMarks | undefined {
    const marks = this.marks;
    return marks !== undefined && marks.from <= range.start && marks.to >= range.end ? marks : undefined;
  }

  /** A request of this span's still unanswered (ids are unique across kinds). */
  private waitsFor(requestId: number): boolean {
    return (
      requestId === this.binsInFlight?.id ||
      requestId === this.marksInFlight?.id ||
      (requestId === this.overviewId && this.overview === undefined)
    );
  }

  /** The filter, for a request: absent when the box is empty. */
  private filtered(): { filter?: string } {
    return this.filterText === '' ? {} : { filter: this.filterText };
  }

  private binsTo(bins: BinsAnswer): number {
    return bins.start + bins.counts.length * bins.size - 1;
  }

  private binsCover(bins: BinsAnswer, range: TimeRange): boolean {
    return bins.start <= range.start && this.binsTo(bins) >= range.end - 1;
  }

  private toMarks(message: MarksAnswer): KeptMarks {
    return {
      from: message.from,
      to: message.to,
      times: Float64Array.from(message.times),
      failed: Uint8Array.from(message.failed),
      rowIndexes: message.rowIndexes,
    };
  }
}
