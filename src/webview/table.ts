// The rows of the selected run as a sortable table. Virtualised: every row has the same
// height, a sizer gives the scrollbar the full length, and only the rows in view (plus a
// margin) exist in the DOM: about 60 rows whether the run has 60 or 100,000. The thead
// stays sticky. A scope (the timeline's visible range, the filter box) narrows the rows
// listed; `data-row` stays the row's index in the run, so the selection survives it.
// A result the host keeps whole is sorted and filtered by the host (keptPages.ts): the
// table asks for the pages of that listing and lists what comes.
import type { KeptHostMessage, KeptListing, KeptRequest } from '../protocol/keptResult';
import type { ResultValue } from '../protocol/results';
import { KeptPages } from './keptPages';
import { h, setText } from './dom';
import { formatCell } from './formatValue';
import { partNodes, shownNodes } from './shownText';
import { displayText } from '../protocol/displayText';
import type { Run } from './runStore';
import { nextSort, sortedRowOrder, type SortKey } from './sortRows';
import { scrollToShow, visibleRows, type Viewport } from './virtualWindow';

/** Pixels; the stylesheet reads it as --row-height, so the two cannot disagree. */
export const ROW_HEIGHT = 22;
const OVERSCAN = 10;
/** Rows sampled to guess column widths: enough to be typical, few enough to be instant. */
const WIDTH_SAMPLE = 200;
const MIN_CHARS = 4;
const MAX_CHARS = 48;
/** A double-click on a border fits wider text than the first guess allows. */
const MAX_FIT_CHARS = 160;
const MIN_COLUMN_PX = 40;
const MAX_COLUMN_PX = 2000;

/** Which rows to list; `key` changes whenever `includes` would answer differently. */
export interface RowScope {
  /** The run whose rows `includes` answers for; ignored for any other run. */
  readonly runId: string;
  readonly key: string;
  readonly includes: (row: number) => boolean;
  /**
   * When the rows in scope are exactly [first, end) (rows in time order, a time range, no
   * filter words): listed without building an array of 100,000 indices on every zoom step.
   */
  readonly contiguous?: { readonly first: number; readonly end: number } | undefined;
}

/** What the table remembers per run, so going back to a run finds it as it was left. */
interface RunTableState {
  readonly run: Run | undefined;
  sort?: SortKey | undefined;
  /** Index into run.rows (not the sorted position). */
  selected?: number | undefined;
  scrollTop: number;
  scrollLeft: number;
  widths: number[];
  widthsFromRows: boolean;
}

export class ResultsTable {
  /** The scrolled element; the caller places it. */
  readonly element: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly table: HTMLTableElement;
  private readonly colgroup: HTMLTableColElement;
  private readonly headRow: HTMLTableRowElement;
  private readonly body: HTMLTableSectionElement;
  private readonly emptyNote: HTMLDivElement;
  private readonly states = new Map<string, RunTableState>();

  private run: Run | undefined;
  private state: RunTableState = newState(undefined);
  /** How many rows the table last laid out; -1 before the run was first shown. */
  private shownRows = -1;
  private shownColumns: readonly string[] = [];
  /** Listed positions → row indices; undefined means every row in the query's order. */
  private order: number[] | undefined;
  /** Without `order`: the listed rows are [first, end) of the run (all of them when undefined). */
  private slice: { readonly first: number; readonly end: number } | undefined;
  private scope: RowScope | undefined;
  private scopeKey = '';
  private headerHeight = ROW_HEIGHT;
  private charWidth = 0;
  private renderedRange = { first: -1, end: -1 };
  private scrollPending = false;
  /** The pages of the shown run's result when the host keeps it (more rows than came here), as listed now. */
  private pages: KeptPages | undefined;
  private readonly pagesOf = new Map<string, KeptPages>();
  /** The filter box's words, for a kept result (the host filters it); a small one is scoped instead. */
  private keptFilter = '';

  constructor(
    private readonly onSelect: (run: Run, row: number | undefined) => void,
    private readonly askHost: (request: KeptRequest) => void = () => undefined,
    /** Widths the person gave columns by name (the panel's layout keeps them across results and reloads). */
    private readonly columnWidths: { get(name: string): number | undefined; set(name: string, px: number): void } = {
      get: () => undefined,
      set: () => undefined,
    },
  ) {
    this.colgroup = h('colgroup');
    this.headRow = h('tr');
    this.body = h('tbody');
    this.table = h(
      'table',
      { className: 'results-table', attrs: { 'data-testid': 'results-table' } },
      this.colgroup,
      h('thead', {}, this.headRow),
      this.body,
    );
    this.sizer = h('div', { className: 'table-sizer' }, this.table);
    this.emptyNote = h('div', { className: 'table-empty' });
    this.element = h(
      'div',
      { className: 'table-scroller', attrs: { tabindex: '0', 'aria-label': 'Rows: arrow keys move the selection' } },
      this.sizer,
      this.emptyNote,
    );
    this.element.style.setProperty('--row-height', `${ROW_HEIGHT}px`);

    this.headRow.addEventListener('click', (event) => {
      if ((event.target as Element).closest('.col-resizer') !== null) return;
      const th = (event.target as Element).closest('th');
      if (th !== null) this.sortBy(Number(th.dataset.column));
    });
    this.listenForColumnResize();
    this.body.addEventListener('click', (event) => {
      const tr = (event.target as Element).closest('tr');
      if (tr !== null && tr.dataset.row !== undefined) this.select(Number(tr.dataset.row), false);
    });
    this.element.addEventListener('scroll', () => {
      this.state.scrollTop = this.element.scrollTop;
      this.state.scrollLeft = this.element.scrollLeft;
      if (this.scrollPending) return;
      this.scrollPending = true;
      requestAnimationFrame(() => {
        this.scrollPending = false;
        this.renderRows(false);
      });
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Shows `run` (or nothing); cheap when neither the run nor its rows changed. */
  show(run: Run | undefined, emptyText: string): void {
    setText(this.emptyNote, emptyText);
    this.emptyNote.hidden = run === undefined || run.rows.length > 0;
    if (run !== this.run || this.pages?.rowCount !== run?.kept?.rowCount) {
      this.run = run;
      this.pages = undefined;
      this.shownRows = -1;
      this.order = undefined;
      this.slice = undefined;
      this.shownColumns = [];
      if (run === undefined) {
        this.state = newState(undefined);
        this.renderColumns([]);
        this.renderRows(true);
        return;
      }
      // A runId started again is a new Run object: what was remembered no longer applies.
      const remembered = this.states.get(run.runId);
      this.state = remembered?.run === run ? remembered : newState(run);
      this.states.set(run.runId, this.state);
    }
    if (run === undefined) return;
    const columnsChanged = run.columns !== this.shownColumns || run.columns.length !== this.shownColumns.length;
    // Progress messages change the run but not its rows: only new rows cost a re-sort.
    if (rowTotal(run) === this.shownRows && !columnsChanged) return;
    const firstShow = this.shownRows === -1;
    this.shownRows = rowTotal(run);
    if (!this.state.widthsFromRows || this.state.widths.length !== run.columns.length) this.guessWidths(run);
    if (columnsChanged || this.shownColumns.length === 0) this.renderColumns(run.columns);
    this.computeOrder();
    if (firstShow) {
      this.element.scrollTop = this.state.scrollTop;
      this.element.scrollLeft = this.state.scrollLeft;
      this.onSelect(run, this.state.selected);
    }
    this.renderRows(true);
  }

  /** Lists only the rows in `scope` (all rows when undefined); cheap when the scope is the same. */
  setScope(scope: RowScope | undefined): void {
    this.scope = scope;
    const key = scope === undefined ? '' : `${scope.runId}|${scope.key}`;
    if (key === this.scopeKey) return;
    this.scopeKey = key;
    if (this.run === undefined || this.shownRows === -1) return;
    this.computeOrder();
    const selected = this.state.selected;
    const position = selected === undefined ? -1 : this.positionOf(selected);
    if (position >= 0) this.element.scrollTop = scrollToShow(this.viewport(this.listed), position);
    this.renderRows(true);
  }

  /**
   * The filter box's words for a kept result: the host lists the rows they keep. Cheap when
   * the words are the same; a new listing starts at its top.
   */
  setKeptFilter(words: readonly string[]): void {
    const filter = words.join(' ');
    if (filter === this.keptFilter) return;
    this.keptFilter = filter;
    if (this.run?.kept === undefined || this.shownRows === -1) return;
    this.computeOrder();
    this.element.scrollTop = 0;
    this.renderRows(true);
  }

  /** A kept result's filter was sent to the host, which has not said yet how many rows match. */
  get listingPending(): boolean {
    return this.pages !== undefined && this.pages.listed === undefined;
  }

  /** Rows listed now (inside the scope; for a kept result, those its listing holds, once the host says). */
  get listed(): number {
    if (this.pages !== undefined) return this.pages.listed ?? 0;
    if (this.order !== undefined) return this.order.length;
    if (this.slice !== undefined) return this.slice.end - this.slice.first;
    return this.run === undefined ? 0 : rowTotal(this.run);
  }

  /**
   * A page of a kept result arrived (or could not), or where its listing puts the selected
   * row: the table scrolls there (its page is asked as it comes into view), and the rows in
   * view are drawn again.
   */
  keptPage(message: Extract<KeptHostMessage, { type: 'page' | 'position' | 'keptError' }>): void {
    const before = this.pages?.listed;
    if (this.pages?.receive(message) !== true) return;
    // The host said how many rows the filter keeps: the scroller gets their length.
    if (this.pages.listed !== before) this.sizer.style.height = `${this.headerHeight + this.listed * ROW_HEIGHT}px`;
    const run = this.run;
    const selected = this.state.selected;
    if (message.type === 'position' && message.row === selected && message.position >= 0)
      this.element.scrollTop = scrollToShow(this.viewport(this.listed), message.position);
    this.renderRows(true);
    // The selected row's page arrived: the detail pane can show it now.
    if (run !== undefined && selected !== undefined && message.type === 'page' && message.rowIndexes.includes(selected))
      this.onSelect(run, selected);
  }

  /** The row at `index` of the run: here, or in a page of its kept result. */
  rowOf(run: Run, index: number): readonly ResultValue[] | undefined {
    return run.rows[index] ?? (run === this.run ? this.pages?.rowByIndex(index) : undefined);
  }

  /** The pages of `run`'s kept result as the sort and the filter list it now (the latest listing per run). */
  private pagesFor(run: Run | undefined): KeptPages | undefined {
    if (run?.kept === undefined) return undefined;
    const sort = this.state.sort;
    const column = sort === undefined ? undefined : (run.kept.columns[sort.column] ?? run.columns[sort.column]);
    const listing: KeptListing | undefined =
      column === undefined && this.keptFilter === ''
        ? undefined
        : {
            ...(column !== undefined ? { sort: { column, direction: sort!.direction } } : {}),
            ...(this.keptFilter !== '' ? { filter: this.keptFilter } : {}),
          };
    const held = this.pagesOf.get(run.runId);
    if (held !== undefined && held.rowCount === run.kept.rowCount && JSON.stringify(held.listing) === JSON.stringify(listing)) return held;
    const pages = new KeptPages(run.runId, run.kept.rowCount, undefined, listing);
    this.pagesOf.set(run.runId, pages);
    return pages;
  }

  /** Selects a row of the shown run and scrolls to it (a click on the timeline). */
  selectRow(run: Run, row: number): void {
    if (run === this.run) {
      this.select(row, true);
      return;
    }
    const remembered = this.states.get(run.runId);
    const state = remembered?.run === run ? remembered : newState(run);
    state.selected = row;
    this.states.set(run.runId, state);
  }

  /** The sort, then the scope: positions → row indices, and the scroller's length. */
  private computeOrder(): void {
    const run = this.run;
    if (run === undefined) return;
    // A kept result is sorted and filtered by the host, which lists it a page at a time; the
    // timeline's range does not scope it (its timeline draws the whole result's bins).
    const kept = run.kept !== undefined;
    this.pages = this.pagesFor(run);
    const sorted = this.state.sort === undefined || kept ? undefined : sortedRowOrder(run.rows, this.state.sort);
    const scope = this.scope?.runId === run.runId && !kept ? this.scope : undefined;
    this.slice = undefined;
    if (scope === undefined) this.order = sorted;
    else if (sorted === undefined && scope.contiguous !== undefined) {
      this.order = undefined;
      this.slice = { first: Math.min(scope.contiguous.first, run.rows.length), end: Math.min(scope.contiguous.end, run.rows.length) };
    } else {
      const order: number[] = [];
      if (sorted === undefined) {
        for (let row = 0; row < run.rows.length; row += 1) if (scope.includes(row)) order.push(row);
      } else for (const row of sorted) if (scope.includes(row)) order.push(row);
      this.order = order;
    }
    this.sizer.style.height = `${this.headerHeight + this.listed * ROW_HEIGHT}px`;
  }

  /** Tells the owner the selected row again (its run may have ended since, which changes what the detail can show). */
  refreshSelection(): void {
    if (this.run !== undefined && this.shownRows !== -1) this.onSelect(this.run, this.state.selected);
  }

  /** A column's right border dragged: that column gets wider or narrower (kept with the run's other table state). */
  private listenForColumnResize(): void {
    let drag: { column: number; x: number; width: number } | undefined;
    this.headRow.addEventListener('pointerdown', (event) => {
      const handle = (event.target as Element).closest<HTMLElement>('.col-resizer');
      if (handle === null || event.button !== 0) return;
      event.preventDefault();
      const column = Number(handle.dataset.column);
      drag = { column, x: event.clientX, width: this.state.widths[column] ?? 100 };
      handle.setPointerCapture(event.pointerId);
    });
    this.headRow.addEventListener('pointermove', (event) => {
      if (drag === undefined) return;
      this.setColumnWidth(drag.column, drag.width + event.clientX - drag.x);
    });
    const end = (): void => {
      if (drag !== undefined) this.rememberWidth(drag.column);
      drag = undefined;
    };
    this.headRow.addEventListener('pointerup', end);
    this.headRow.addEventListener('pointercancel', end);
    // Double-click on the border: the column fits its text again.
    this.headRow.addEventListener('dblclick', (event) => {
      const handle = (event.target as Element).closest<HTMLElement>('.col-resizer');
      if (handle === null || this.run === undefined) return;
      const column = Number(handle.dataset.column);
      this.setColumnWidth(column, this.fitWidth(this.run, column, MAX_FIT_CHARS));
      this.rememberWidth(column);
    });
  }

  /** A width the person chose is kept for every column of that name (not a guessed one). */
  private rememberWidth(column: number): void {
    const name = this.run?.columns[column];
    const px = this.state.widths[column];
    if (name !== undefined && px !== undefined) this.columnWidths.set(name, px);
  }

  private setColumnWidth(column: number, width: number): void {
    const widths = this.state.widths;
    if (!(column >= 0 && column < widths.length)) return;
    widths[column] = Math.round(Math.max(MIN_COLUMN_PX, Math.min(MAX_COLUMN_PX, width)));
    (this.colgroup.children[column] as HTMLElement | undefined)?.style.setProperty('width', `${widths[column]}px`);
    this.table.style.width = `${widths.reduce((sum, w) => sum + w, 0)}px`;
  }

  clearSelection(): void {
    this.select(undefined, false);
    this.element.focus();
  }

  /** Drops what is remembered about runs that no longer exist. */
  forget(runIds: readonly string[]): void {
    for (const runId of runIds) this.states.delete(runId);
  }

  clear(): void {
    this.states.clear();
    this.show(undefined, '');
  }

  private renderColumns(columns: readonly string[]): void {
    this.shownColumns = columns;
    const widths = this.state.widths;
    this.colgroup.replaceChildren(
      ...columns.map((_, i) => {
        const col = h('col');
        col.style.width = `${widths[i] ?? 100}px`;
        return col;
      }),
    );
    this.headRow.replaceChildren(
      // Column names are the query's aliases: a runbook from a pull request chose them.
      ...columns.map((name, i) =>
        h(
          'th',
          { title: `${displayText(name)}: click to sort`, attrs: { 'data-column': String(i), scope: 'col' } },
          ...shownNodes(name),
          h('span', {
            className: 'col-resizer',
            title: 'Drag to resize; double-click to fit',
            attrs: { 'data-column': String(i), 'aria-hidden': 'true', 'data-testid': 'col-resizer' },
          }),
        ),
      ),
    );
    this.table.style.width = `${widths.reduce((sum, w) => sum + w, 0)}px`;
    this.renderSortIndicator();
    // The stylesheet gives the header one row's height too (see results.css).
    this.headerHeight = columns.length > 0 ? ROW_HEIGHT : 0;
    this.renderedRange = { first: -1, end: -1 };
  }

  private renderSortIndicator(): void {
    for (const th of this.headRow.children) {
      const column = Number((th as HTMLElement).dataset.column);
      const sort = this.state.sort;
      // The arrow comes from CSS on aria-sort, so the header's text stays the column name.
      th.setAttribute('aria-sort', sort?.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
    }
  }

  /** Puts in the DOM the rows in view; `force` when the data changed, not just the scroll. */
  private renderRows(force: boolean): void {
    const run = this.run;
    const total = this.listed;
    const range = visibleRows(this.viewport(total));
    if (!force && range.first === this.renderedRange.first && range.end === this.renderedRange.end) return;
    this.renderedRange = range;
    this.table.style.top = `${range.first * ROW_HEIGHT}px`;

    const needed = range.end - range.first;
    const rows = this.body.rows;
    while (rows.length > needed) this.body.lastElementChild!.remove();
    while (rows.length < needed) this.body.append(h('tr'));
    if (run === undefined) return;
    const width = run.columns.length;
    const pages = this.pages;
    for (let i = 0; i < needed; i += 1) {
      const position = range.first + i;
      // Listed by the host: a row's index is known once its page is here.
      const index = pages === undefined ? this.rowAt(position) : pages.indexAt(position);
      const tr = rows[i]!;
      if (index === undefined) delete tr.dataset.row;
      else tr.dataset.row = String(index);
      tr.classList.toggle('selected', index !== undefined && index === this.state.selected);
      tr.setAttribute('aria-selected', index !== undefined && index === this.state.selected ? 'true' : 'false');
      const values =
        pages === undefined
          ? this.rowOf(run, index!)
          : (pages.row(position) ?? (pages.listing === undefined ? run.rows[position] : undefined));
      tr.classList.toggle('loading', values === undefined);
      // A row whose page is on its way reads empty for a moment, never as another row.
      fillRow(tr, values ?? LOADING, width);
    }
    if (pages !== undefined) {
      // In the query's order the rows that came with the run are here; the host sends the pages beyond them.
      const first = pages.listing === undefined ? Math.max(range.first, run.rows.length) : range.first;
      for (const request of pages.want(first, Math.max(first, range.end))) this.askHost(request);
    }
  }

  private viewport(total: number): Viewport {
    return {
      scrollTop: this.element.scrollTop,
      height: this.element.clientHeight,
      offset: this.headerHeight,
      rowHeight: ROW_HEIGHT,
      total,
      overscan: OVERSCAN,
    };
  }

  /** The row index listed at `position`; -1 for a kept result's row whose page is on its way. */
  private rowAt(position: number): number {
    if (this.pages !== undefined) return this.pages.indexAt(position) ?? -1;
    if (this.order !== undefined) return this.order[position]!;
    return (this.slice?.first ?? 0) + position;
  }

  private positionOf(row: number): number {
    if (this.pages !== undefined) return this.pages.positionOf(row);
    if (this.order !== undefined) return this.order.indexOf(row);
    if (this.slice !== undefined) return row >= this.slice.first && row < this.slice.end ? row - this.slice.first : -1;
    return row;
  }

  private sortBy(column: number): void {
    const run = this.run;
    if (run === undefined || !(column >= 0 && column < run.columns.length)) return;
    this.state.sort = nextSort(this.state.sort, column);
    this.computeOrder();
    this.renderSortIndicator();
    // Keep the selected row in view: it is what one sorts around.
    const selected = this.state.selected;
    const position = selected === undefined ? -1 : this.positionOf(selected);
    this.element.scrollTop = position < 0 ? 0 : scrollToShow({ ...this.viewport(this.listed), scrollTop: 0 }, position);
    this.renderRows(true);
  }

  private select(row: number | undefined, reveal: boolean): void {
    const run = this.run;
    if (run === undefined) return;
    this.state.selected = row;
    // First the detail pane: opening it shrinks this scroller, so the scroll that shows
    // the row must be measured after it (else the row ends up below the visible part).
    this.onSelect(run, row);
    const position = row === undefined ? -1 : this.positionOf(row);
    if (reveal && position >= 0) this.element.scrollTop = scrollToShow(this.viewport(this.listed), position);
    else if (reveal && row !== undefined) {
      // Sorted or filtered by the host, with the row's page not here: ask where it is listed (keptPage scrolls there).
      const request = this.pages?.locate(row);
      if (request !== undefined) this.askHost(request);
    }
    this.renderRows(true);
  }

  private onKey(event: KeyboardEvent): void {
    const run = this.run;
    if (run === undefined || this.listed === 0) return;
    const page = Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT) - 1);
    const last = this.listed - 1;
    const current = this.state.selected === undefined ? -1 : this.positionOf(this.state.selected);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: last,
    };
    if (event.key === 'Escape') {
      this.select(undefined, false);
      return;
    }
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const row = this.rowAt(Math.min(last, Math.max(0, target)));
    // A kept result's row whose page has not come yet cannot be selected (a moment later it can).
    if (row >= 0) this.select(row, true);
  }

  /** Column widths from the header and the first rows: fixed, so scrolling never reflows. */
  private guessWidths(run: Run): void {
    if (this.charWidth === 0) this.charWidth = this.measureCharWidth();
    this.state.widths = run.columns.map((name, i) => this.columnWidths.get(name) ?? this.fitWidth(run, i, MAX_CHARS));
    this.state.widthsFromRows = run.rows.length > 0;
    this.shownColumns = [];
  }

  /** The width that shows the column's name and the text of its first rows, up to `maxChars`. */
  private fitWidth(run: Run, column: number, maxChars: number): number {
    if (this.charWidth === 0) this.charWidth = this.measureCharWidth();
    let chars = (run.columns[column]?.length ?? 0) + 2; // room for the sort arrow
    const sample = Math.min(run.rows.length, WIDTH_SAMPLE);
    for (let i = 0; i < sample; i += 1) chars = Math.max(chars, formatCell(run.rows[i]![column]).text.length);
    // 16 px of padding, and 2 px so sub-pixel glyph widths never cut the last character.
    return Math.ceil(Math.min(maxChars, Math.max(MIN_CHARS, chars)) * this.charWidth) + 18;
  }

  private measureCharWidth(): number {
    const probe = h('span', { className: 'char-probe', text: '0123456789'.repeat(4) });
    this.element.append(probe);
    const width = probe.getBoundingClientRect().width / 40;
    probe.remove();
    return width > 0 ? width : 7.5;
  }
}

/** Rows of the run as the table lists them: the whole kept result, or those that came. */
function rowTotal(run: Run): number {
  return run.kept?.rowCount ?? run.rows.length;
}

const LOADING: readonly ResultValue[] = [];

function newState(run: Run | undefined): RunTableState {
  return { run, scrollTop: 0, scrollLeft: 0, widths: [], widthsFromRows: false };
}

function fillRow(tr: HTMLTableRowElement, row: readonly ResultValue[], width: number): void {
  const cells = tr.cells;
  while (cells.length > width) tr.lastElementChild!.remove();
  while (cells.length < width) tr.append(h('td'));
  for (let i = 0; i < width; i += 1) {
    const cell = formatCell(row[i]);
    const td = cells[i]!;
    // Escape tokens get their own style; the common cell stays one text node.
    if (cell.parts !== undefined) td.replaceChildren(...partNodes(cell.parts));
    else if (td.textContent !== cell.text || td.childElementCount > 0) td.textContent = cell.text;
    td.className = `v-${cell.kind}`;
    // Cells cut by the column width also show their text on hover.
    td.title = cell.title ?? (cell.text.length > 12 ? cell.text : '');
  }
}
