// The whole view: the run list (folded by default) beside the selected run, whose parts
// go data first: a one-line header, the folded details, one filter for the timeline and
// the table, the timeline, then the rows with the selected row's detail beside them (or
// over them in a narrow panel). The borders between them move (splitter.ts) and the sizes
// are kept per panel (panelLayout.ts). It owns the selection, shared by the timeline and
// the table, and draws at most once a frame, however many messages arrive.
import { h } from './dom';
import { Explanation } from './explanation';
import type { KeptHostMessage } from '../protocol/keptResult';
import type { HostMessage, InvestigationMessage } from '../protocol/results';
import { InvestigationBar } from './investigationBar';
import { RowDetail } from './detail';
import type { HostConnection } from './hostApi';
import { detailBeside, fitLayout, readLayout, withColumnWidth, type PanelLayout } from './panelLayout';
import { filterTerms } from './rowFilter';
import { RowsToolbar } from './rowsToolbar';
import { RunHeader } from './runHeader';
import { RunList } from './runList';
import type { Run, RunStore } from './runStore';
import { Splitter } from './splitter';
import { ResultsTable, type RowScope } from './table';
import { lowerBound, upperBound } from './timeline/runEvents';
import type { TimeRange } from './timeline/timeScale';
import { KeptTimeline } from './timeline/keptTimeline';
import { TimelineView, type TimelineSelection } from './timeline/timelineView';

export class ResultsView {
  private selected: string | undefined;
  private readonly runList: RunList;
  private readonly header: RunHeader;
  private readonly explanation: Explanation;
  private readonly timeline: TimelineView;
  /** The timeline of a result the host keeps: bins and marks asked of the host. */
  private readonly keptTimeline: KeptTimeline;
  private readonly toolbar: RowsToolbar;
  private readonly table: ResultsTable;
  private readonly detail: RowDetail;
  private readonly investigation = new InvestigationBar();
  private readonly layoutElement: HTMLElement;
  private readonly runPane: HTMLElement;
  private readonly rowsArea: HTMLElement;
  private readonly emptyState: HTMLElement;
  private drawPending = false;
  private ticker: number | undefined;
  /** The timeline's visible range (undefined: everything) and the filter box's words. */
  private range: TimeRange | undefined;
  private filter: string[] = [];
  private layout: PanelLayout;
  /** The layout as applied (inside what the panel allows): borders move from these sizes. */
  private fitted: PanelLayout;
  /** The size a border moves from, while it is dragged. */
  private dragBase = 0;

  constructor(
    root: HTMLElement,
    private readonly store: RunStore,
    private readonly host: HostConnection,
  ) {
    const post = host.post;
    this.layout = readLayout(host.state.read());
    this.fitted = this.layout;
    this.runList = new RunList(post, (runId) => this.select(runId));
    this.header = new RunHeader(post);
    this.header.runsToggle.addEventListener('click', () => this.setLayout({ ...this.layout, runsOpen: !this.layout.runsOpen }));
    this.explanation = new Explanation((open) => {
      if (open !== this.layout.detailsOpen) this.setLayout({ ...this.layout, detailsOpen: open });
    });
    this.detail = new RowDetail(
      post,
      () => this.table.clearSelection(),
      (eventId) => this.investigation.markOf(eventId),
    );
    this.table = new ResultsTable((run, row) => this.onRowSelected(run, row), post, {
      get: (name) => (Object.hasOwn(this.layout.columnWidths, name) ? this.layout.columnWidths[name] : undefined),
      set: (name, px) => this.setLayout({ ...this.layout, columnWidths: withColumnWidth(this.layout.columnWidths, name, px) }),
    });
    this.timeline = new TimelineView({
      onRange: (range) => {
        this.range = range;
        this.invalidate();
      },
      onPick: (selection) => this.onPick(selection),
    });
    this.keptTimeline = new KeptTimeline(post, (row) => {
      const run = this.selected === undefined ? undefined : this.store.get(this.selected);
      if (run !== undefined) this.table.selectRow(run, row);
    });
    this.toolbar = new RowsToolbar(post, (text) => {
      this.filter = filterTerms(text);
      this.timeline.setFilter(this.filter);
      this.invalidate();
    });
    const timelineSplit = new Splitter('rows', 'Timeline height', 'timeline-splitter', {
      start: () => (this.dragBase = this.fitted.timelineHeight),
      move: (delta) => this.setLayout({ ...this.layout, timelineHeight: this.dragBase + delta }, false),
      end: () => this.saveLayout(),
    });
    const detailSplit = new Splitter('columns', 'Detail width', 'detail-splitter', {
      start: () => (this.dragBase = this.fitted.detailWidth),
      move: (delta) => this.setLayout({ ...this.layout, detailWidth: this.dragBase - delta }, false),
      end: () => this.saveLayout(),
    });
    const runsSplit = new Splitter('columns', 'Run list width', 'runs-splitter', {
      start: () => (this.dragBase = this.fitted.runsWidth),
      move: (delta) => this.setLayout({ ...this.layout, runsWidth: this.dragBase + delta }, false),
      end: () => this.saveLayout(),
    });
    this.rowsArea = h('div', { className: 'rows-area' }, this.table.element, detailSplit.element, this.detail.element);
    this.runPane = h(
      'main',
      { className: 'run-pane' },
      this.header.element,
      this.investigation.element,
      this.explanation.element,
      this.toolbar.element,
      this.keptTimeline.element,
      this.timeline.element,
      timelineSplit.element,
      this.rowsArea,
    );
    this.emptyState = h('div', {
      className: 'empty-state',
      text: 'No runs yet. Click “▶ Run query” above a cloudtrail block of a runbook.',
    });
    this.layoutElement = h('div', { className: 'layout' }, this.runList.element, runsSplit.element, this.runPane);
    root.replaceChildren(this.layoutElement, this.emptyState);
    new ResizeObserver(() => this.applyLayout()).observe(this.layoutElement);
    this.applyLayout();
    this.draw();
  }

  /** The host's answer about one whole event. */
  wholeEvent(message: Extract<HostMessage, { type: 'wholeEvent' }>): void {
    this.detail.showWhole(message);
  }

  /** The host's answer about a result it keeps (bins, marks, a page). */
  keptAnswer(message: KeptHostMessage): void {
    if (message.type === 'page' || message.type === 'position' || message.type === 'keptError') {
      const listed = this.table.listed;
      const pending = this.table.listingPending;
      this.table.keptPage(message);
      // The first page of a filtered listing says how many rows match: the toolbar counts them
      // (only then is the view drawn again; a page in view is drawn by the table itself).
      if (this.table.listed !== listed || this.table.listingPending !== pending) this.invalidate();
    }
    if (message.type !== 'page' && message.type !== 'position') this.keptTimeline.receive(message);
  }

  /** The active investigation changed: its bar, the star on the row shown, the starred marks on the timeline. */
  setInvestigation(message: InvestigationMessage): void {
    this.investigation.update(message);
    this.detail.refreshMark();
    this.timeline.setMarks(this.investigation.marked);
  }

  /** Shows this run, if it is still known. */
  select(runId: string): void {
    if (this.store.get(runId) === undefined) return;
    this.selected = runId;
    this.invalidate();
  }

  /** Runs the store dropped to stay bounded. */
  forget(runIds: readonly string[]): void {
    if (runIds.length === 0) return;
    this.table.forget(runIds);
    if (this.selected !== undefined && runIds.includes(this.selected)) this.selected = this.store.newest()?.runId;
    this.invalidate();
  }

  clear(): void {
    this.selected = undefined;
    this.table.clear();
    this.invalidate();
  }

  /** Something changed: draw on the next frame (a timer covers frames that never come). */
  invalidate(): void {
    if (this.drawPending) return;
    this.drawPending = true;
    const draw = (): void => {
      if (!this.drawPending) return;
      this.drawPending = false;
      this.draw();
    };
    requestAnimationFrame(draw);
    setTimeout(draw, 100);
  }

  private setLayout(layout: PanelLayout, save = true): void {
    this.layout = layout;
    this.applyLayout();
    if (save) this.saveLayout();
  }

  private saveLayout(): void {
    this.host.state.write(this.layout);
  }

  /** Sizes as CSS variables on the layout (the stylesheet places the parts), inside what the panel allows. */
  private applyLayout(): void {
    const box = this.layoutElement.getBoundingClientRect();
    const paneWidth = box.width - (this.layout.runsOpen ? this.layout.runsWidth : 0);
    // The run pane's fixed parts (header, details line, filter bar) take about 90 px.
    const fitted = fitLayout(this.layout, { width: Math.max(0, paneWidth), height: Math.max(0, box.height - 90) });
    this.fitted = fitted;
    const style = this.layoutElement.style;
    style.setProperty('--runs-width', `${fitted.runsWidth}px`);
    style.setProperty('--timeline-height', `${fitted.timelineHeight}px`);
    style.setProperty('--detail-width', `${fitted.detailWidth}px`);
    this.layoutElement.classList.toggle('runs-open', fitted.runsOpen);
    this.layoutElement.classList.toggle('detail-over', !detailBeside(paneWidth));
    this.header.runsToggle.setAttribute('aria-pressed', String(fitted.runsOpen));
    this.explanation.setOpen(fitted.detailsOpen);
  }

  private draw(): void {
    const runs = this.store.list().reverse();
    const run: Run | undefined = this.selected === undefined ? undefined : this.store.get(this.selected);
    const now = Date.now();
    const hasRuns = runs.length > 0;
    this.emptyState.hidden = hasRuns;
    this.layoutElement.hidden = !hasRuns;
    this.runList.update(runs, run?.runId, now);
    this.runPane.hidden = run === undefined;
    this.header.update(run, now);
    this.explanation.update(run);
    // The timeline first: it reads the new rows, and its range scopes the table.
    // A result the host keeps is drawn from its bins; the rows here are only its first ones.
    this.timeline.update(run?.kept === undefined ? run : undefined, this.store.list());
    this.keptTimeline.show(run?.runId, run?.kept);
    // A kept result is filtered by the host (the table and the timeline ask it); a small one by the scope below.
    this.keptTimeline.setFilter(this.filter);
    this.table.setKeptFilter(this.filter);
    this.table.show(run, run === undefined ? '' : emptyText(run));
    const scope = run === undefined ? undefined : this.scopeOf(run);
    this.table.setScope(scope);
    this.toolbar.update(
      run?.runId,
      this.table.listed,
      run?.kept?.rowCount ?? run?.rows.length ?? 0,
      scope !== undefined && run?.kept === undefined,
      run?.kept !== undefined,
      this.filter.length > 0,
      this.table.listingPending,
    );
    if (run === undefined) this.detail.show(undefined, undefined);
    else this.table.refreshSelection();
    this.rowsArea.classList.toggle('has-detail', !this.detail.element.hidden);
    this.tickWhileRunning(runs.some((r) => r.status === 'running'));
  }

  /** The rows the table lists: inside the timeline's range, kept by the filter. */
  private scopeOf(run: Run): RowScope | undefined {
    const range = this.range;
    const mask = this.timeline.filterMaskFor(run);
    if (range === undefined && mask === undefined) return undefined;
    const events = this.timeline.eventsFor(run);
    let inRange = (_row: number): boolean => true;
    let contiguous: { first: number; end: number } | undefined;
    if (range !== undefined && events.sorted && events.length === run.rows.length) {
      // Rows in time order: the range is one run of rows, found by binary search.
      const first = lowerBound(events.times, events.length, range.start);
      const end = upperBound(events.times, events.length, range.end);
      inRange = (row) => row >= first && row < end;
      if (mask === undefined) contiguous = { first, end };
    } else if (range !== undefined) {
      inRange = (row) => {
        const time = events.times[row] ?? NaN;
        return time >= range.start && time <= range.end;
      };
    }
    const kept = mask?.mask;
    // The key names the rows read too: rows arriving while zoomed are scoped as they come.
    return {
      runId: run.runId,
      key: `${range?.start}|${range?.end}|${this.filter.join(' ')}|${run.rows.length}`,
      includes: kept === undefined ? inRange : (row) => kept[row] === 1 && inRange(row),
      contiguous,
    };
  }

  private onRowSelected(run: Run, row: number | undefined): void {
    this.detail.show(run, row, row === undefined ? undefined : this.table.rowOf(run, row));
    this.rowsArea.classList.toggle('has-detail', !this.detail.element.hidden);
    this.timeline.select(row === undefined ? undefined : { runId: run.runId, row });
    this.keptTimeline.select(run.kept === undefined ? undefined : row);
  }

  /** A mark clicked on the timeline: its run becomes the selected one, its row the table's. */
  private onPick(selection: TimelineSelection): void {
    const run = this.store.get(selection.runId);
    if (run === undefined) return;
    if (selection.runId !== this.selected) {
      this.table.selectRow(run, selection.row);
      this.select(selection.runId);
      return;
    }
    this.table.selectRow(run, selection.row);
  }

  /** Elapsed times of running runs move on their own: redraw each second, and only then. */
  private tickWhileRunning(running: boolean): void {
    if (running && this.ticker === undefined) this.ticker = window.setInterval(() => this.invalidate(), 1000);
    if (!running && this.ticker !== undefined) {
      window.clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

function emptyText(run: Run): string {
  if (run.status === 'running') return 'Waiting for rows…';
  if (run.finished?.error !== undefined) return '';
  return run.started.expect === 'empty' && run.status === 'ok' ? 'No findings: nothing matched the detection.' : 'No rows.';
}
