// The rows of a result kept by the host, a page at a time: the table asks for the pages
// under its window, keeps the latest few (so memory stays bounded whatever is scrolled),
// and draws a placeholder where a page has not arrived yet. Pure: no DOM.
import type { KeptHostMessage, KeptRequest } from '../protocol/keptResult';
import type { ResultValue } from '../protocol/results';

/** Rows per request. */
export const PAGE_ROWS = 200;
/** Pages kept: 50 × 200 rows, whichever were read last. */
export const KEPT_PAGES = 50;

type PageAnswer = Extract<KeptHostMessage, { type: 'page' }>;

export class KeptPages {
  // A Map iterates in insertion order: the least recently read page first.
  private readonly pages = new Map<number, readonly ResultValue[][]>();
  private readonly inFlight = new Map<number, number>();
  private nextId = 1;

  constructor(
    readonly runId: string,
    readonly rowCount: number,
    private readonly capacity = KEPT_PAGES,
  ) {}

  /** Row `index` of the result, when its page is here. */
  row(index: number): readonly ResultValue[] | undefined {
    return this.pages.get(Math.floor(index / PAGE_ROWS))?.[index % PAGE_ROWS];
  }

  /** Requests for the pages of rows [first, end) that are neither here nor asked for; marks those used as read last. */
  want(first: number, end: number): KeptRequest[] {
    const requests: KeptRequest[] = [];
    const last = Math.min(end, this.rowCount) - 1;
    for (let page = Math.floor(Math.max(0, first) / PAGE_ROWS); page <= Math.floor(last / PAGE_ROWS) && last >= 0; page += 1) {
      const held = this.pages.get(page);
      if (held !== undefined) {
        this.pages.delete(page);
        this.pages.set(page, held);
        continue;
      }
      if ([...this.inFlight.values()].includes(page)) continue;
      const requestId = this.nextId++;
      this.inFlight.set(requestId, page);
      const offset = page * PAGE_ROWS;
      requests.push({ type: 'page', runId: this.runId, requestId, offset, count: Math.min(PAGE_ROWS, this.rowCount - offset) });
    }
    return requests;
  }

  /** Takes a page the host sent; true when it was asked for (the table redraws). */
  receive(message: PageAnswer | Extract<KeptHostMessage, { type: 'keptError' }>): boolean {
    const page = this.inFlight.get(message.requestId);
    if (message.runId !== this.runId || page === undefined) return false;
    this.inFlight.delete(message.requestId);
    if (message.type === 'keptError') return false;
    this.pages.set(page, message.rows);
    for (const oldest of this.pages.keys()) {
      if (this.pages.size <= this.capacity) break;
      this.pages.delete(oldest);
    }
    return true;
  }

  get heldPages(): number {
    return this.pages.size;
  }
}
