// The rows of a result kept by the host, a page at a time: the table asks for the pages
// under its window, keeps the latest few (so memory stays bounded whatever is scrolled),
// and draws a placeholder where a page has not arrived yet. One KeptPages lists the result
// one way: in the query's order, or sorted and filtered by the host (a listing); positions
// are places in that listing, and each row also carries its place in the whole result (the
// index the selection, the detail and the timeline share). Where a listing puts a row whose
// page is not here (a mark clicked on the timeline) is asked of the host. Pure: no DOM.
import type { KeptHostMessage, KeptListing, KeptRequest } from '../protocol/keptResult';
import type { ResultValue } from '../protocol/results';

/** Rows per request. */
export const PAGE_ROWS = 200;
/** Pages kept: 50 × 200 rows, whichever were read last. */
export const KEPT_PAGES = 50;

type PageAnswer = Extract<KeptHostMessage, { type: 'page' }>;
type PositionAnswer = Extract<KeptHostMessage, { type: 'position' }>;

interface Page {
  readonly rows: readonly (readonly ResultValue[])[];
  readonly rowIndexes: readonly number[];
}

/** Request ids are unique across every KeptPages of the view: answers are told apart by them. */
let nextRequestId = 1;

export class KeptPages {
  // A Map iterates in insertion order: the least recently read page first.
  private readonly pages = new Map<number, Page>();
  private readonly inFlight = new Map<number, number>();
  /** Row index in the whole result → its position in this listing, for the rows held (a listing only). */
  private readonly positions = new Map<number, number>();
  /** Rows whose position was asked of the host: request id → row index in the whole result. */
  private readonly locating = new Map<number, number>();
  /** Rows in the listing: the whole result unless a filter narrows it, which the host's first answer says. */
  private listedRows: number | undefined;

  constructor(
    readonly runId: string,
    readonly rowCount: number,
    private readonly capacity = KEPT_PAGES,
    /** Undefined: the result in the query's order. */
    readonly listing?: KeptListing,
  ) {
    if (listing?.filter === undefined || listing.filter.trim() === '') this.listedRows = rowCount;
  }

  /** Rows the listing holds; undefined until the host says (a filter was typed). */
  get listed(): number | undefined {
    return this.listedRows;
  }

  /** The row at `position` of the listing, when its page is here. */
  row(position: number): readonly ResultValue[] | undefined {
    return this.pages.get(Math.floor(position / PAGE_ROWS))?.rows[position % PAGE_ROWS];
  }

  /** The place in the whole result of the row at `position`; undefined while its page is on its way. */
  indexAt(position: number): number | undefined {
    if (this.listing === undefined) return position < this.rowCount ? position : undefined;
    return this.pages.get(Math.floor(position / PAGE_ROWS))?.rowIndexes[position % PAGE_ROWS];
  }

  /** Where row `index` of the whole result is listed: -1 when it is not, or its page is not here. */
  positionOf(index: number): number {
    if (this.listing === undefined) return index >= 0 && index < this.rowCount ? index : -1;
    return this.positions.get(index) ?? -1;
  }

  /** Row `index` of the whole result, when a page held here has it. */
  rowByIndex(index: number): readonly ResultValue[] | undefined {
    const position = this.positionOf(index);
    return position < 0 ? undefined : this.row(position);
  }

  /**
   * Requests for the pages of positions [first, end) that are neither here nor asked for;
   * marks those used as read last. Before the host has said how many rows a filter keeps,
   * only the first page is asked.
   */
  want(first: number, end: number): KeptRequest[] {
    const requests: KeptRequest[] = [];
    const total = this.listedRows ?? PAGE_ROWS;
    const last = Math.min(end, total) - 1;
    const from = this.listedRows === undefined ? 0 : Math.floor(Math.max(0, first) / PAGE_ROWS);
    const to = this.listedRows === undefined ? 0 : Math.floor(last / PAGE_ROWS);
    for (let page = from; page <= to && (last >= 0 || this.listedRows === undefined); page += 1) {
      const held = this.pages.get(page);
      if (held !== undefined) {
        this.pages.delete(page);
        this.pages.set(page, held);
        continue;
      }
      if ([...this.inFlight.values()].includes(page)) continue;
      const requestId = nextRequestId++;
      this.inFlight.set(requestId, page);
      const offset = page * PAGE_ROWS;
      const count = this.listedRows === undefined ? PAGE_ROWS : Math.min(PAGE_ROWS, this.listedRows - offset);
      requests.push({
        type: 'page',
        runId: this.runId,
        requestId,
        offset,
        count,
        ...(this.listing !== undefined ? { listing: this.listing } : {}),
      });
    }
    return requests;
  }

  /**
   * A request for where the listing puts row `index` of the whole result, when that is not
   * known here (its page is not held) and not asked already; undefined otherwise (in the
   * query's order a row's position is its index).
   */
  locate(index: number): KeptRequest | undefined {
    if (this.listing === undefined || this.positionOf(index) >= 0 || [...this.locating.values()].includes(index)) return undefined;
    const requestId = nextRequestId++;
    this.locating.set(requestId, index);
    return { type: 'position', runId: this.runId, requestId, row: index, listing: this.listing };
  }

  /** Takes a page (or a row's position) the host sent; true when it was asked for (the table redraws). */
  receive(message: PageAnswer | PositionAnswer | Extract<KeptHostMessage, { type: 'keptError' }>): boolean {
    if (message.type === 'position' || (message.type === 'keptError' && message.request === 'position')) return this.located(message);
    const page = this.inFlight.get(message.requestId);
    if (message.runId !== this.runId || page === undefined || (message.type === 'keptError' && message.request !== 'page')) return false;
    this.inFlight.delete(message.requestId);
    if (message.type === 'keptError') return false;
    this.listedRows = message.listed;
    this.pages.set(page, { rows: message.rows, rowIndexes: message.rowIndexes });
    if (this.listing !== undefined) message.rowIndexes.forEach((index, i) => this.positions.set(index, page * PAGE_ROWS + i));
    for (const [oldest, { rowIndexes }] of this.pages) {
      if (this.pages.size <= this.capacity) break;
      if (this.listing !== undefined) for (const index of rowIndexes) this.positions.delete(index);
      this.pages.delete(oldest);
    }
    return true;
  }

  /** The host said where the listing puts a row (-1: not at all). */
  private located(message: PositionAnswer | Extract<KeptHostMessage, { type: 'keptError' }>): boolean {
    const row = this.locating.get(message.requestId);
    if (message.runId !== this.runId || row === undefined) return false;
    this.locating.delete(message.requestId);
    if (message.type === 'keptError') return false;
    this.listedRows = message.listed;
    if (message.position >= 0) this.positions.set(row, message.position);
    return true;
  }

  get heldPages(): number {
    return this.pages.size;
  }
}
