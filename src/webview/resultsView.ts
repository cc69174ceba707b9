// The whole view: the run list beside the selected run (header, explanation, timeline,
// rows, row detail). It owns the selection, shared by the timeline and the table, and
// draws at most once a frame, however many messages arrive.
import { h } from './dom';
import { Explanation } from './explanation';
import type { HostMessage } from '../protocol/results';
import { RowDetail } from './detail';
import type { PostToHost } from './hostApi';
import { filterTerms, rowMatches } from './rowFilter';
import { RowsToolbar } from './rowsToolbar';
import { RunHeader } from './runHeader';
import { RunList } from './runList';
import type { Run, RunStore } from './runStore';
import { ResultsTable, type RowScope } from './table';
import { lowerBound, upperBound } from './timeline/runEvents';
import type { TimeRange } from './timeline/timeScale';
import { TimelineView, type TimelineSelection } from './timeline/timelineView';

export class ResultsView {
  private selected: string | undefined;
  private readonly runList: RunList;
  private readonly header: RunHeader;
  private readonly explanation = new Explanation();
  private readonly timeline: TimelineView;
  private readonly toolbar: RowsToolbar;
  private readonly table: ResultsTable;
  private readonly detail: RowDetail;
  private readonly runPane: HTMLElement;
  private readonly emptyState: HTMLElement;
  private drawPending = false;
  private ticker: number | undefined;
  /** The timeline's visible range (undefined: everything) and the filter box's words. */
  private range: TimeRange | undefined;
  private filter: string[] = [];

  constructor(
    root: HTMLElement,
    private readonly store: RunStore,
    post: PostToHost,
  ) {
    this.runList = new RunList(post, (runId) => this.select(runId));
    this.header = new RunHeader(post);
    this.detail = new RowDetail(post, () => this.table.clearSelection());
    this.table = new ResultsTable((run, row) => this.onRowSelected(run, row));
    this.timeline = new TimelineView({
      onRange: (range) => {
        this.range = range;
        this.invalidate();
      },
      onPick: (selection) => this.onPick(selection),
    });
    this.toolbar = new RowsToolbar(post, (text) => {
      this.filter = filterTerms(text);
      this.invalidate();
    });
    this.runPane = h(
      'main',
      { className: 'run-pane' },
      this.header.element,
      this.explanation.element,
      this.timeline.element,
      this.toolbar.element,
      this.table.element,
      this.detail.element,
    );
    this.emptyState = h('div', { className: 'empty-state', text: 'No runs yet. Click “▶ Run query” above a cloudtrail block of a runbook.' });
    root.replaceChildren(h('div', { className: 'layout' }, this.runList.element, this.runPane), this.emptyState);
    this.draw();
  }

  /** The host's answer about one whole event. */
  wholeEvent(message: Extract<HostMessage, { type: 'wholeEvent' }>): void {
    this.detail.showWhole(message);
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

  private draw(): void {
    const runs = this.store.list().reverse();
    const run: Run | undefined = this.selected === undefined ? undefined : this.store.get(this.selected);
    const now = Date.now();
    const hasRuns = runs.length > 0;
    this.emptyState.hidden = hasRuns;
    this.runList.element.parentElement!.hidden = !hasRuns;
    this.runList.update(runs, run?.runId, now);
    this.runPane.hidden = run === undefined;
    this.header.update(run, now);
    this.explanation.update(run);
    // The timeline first: it reads the new rows, and its range scopes the table.
    this.timeline.update(run, this.store.list());
    this.table.show(run, run === undefined ? '' : emptyText(run));
    const scope = run === undefined ? undefined : this.scopeOf(run);
    this.table.setScope(scope);
    this.toolbar.update(run?.runId, this.table.listed, run?.rows.length ?? 0, scope !== undefined);
    if (run === undefined) this.detail.show(undefined, undefined);
    this.tickWhileRunning(runs.some((r) => r.status === 'running'));
  }

  /** The rows the table lists: inside the timeline's range, matching the filter. */
  private scopeOf(run: Run): RowScope | undefined {
    const range = this.range;
    const terms = this.filter;
    if (range === undefined && terms.length === 0) return undefined;
    const events = this.timeline.eventsFor(run);
    let inRange = (_row: number): boolean => true;
    let contiguous: { first: number; end: number } | undefined;
    if (range !== undefined && events.sorted && events.length === run.rows.length) {
      // Rows in time order: the range is one run of rows, found by binary search.
      const first = lowerBound(events.times, events.length, range.start);
      const end = upperBound(events.times, events.length, range.end);
      inRange = (row) => row >= first && row < end;
      if (terms.length === 0) contiguous = { first, end };
    } else if (range !== undefined) {
      inRange = (row) => {
        const time = events.times[row]!;
        return time >= range.start && time <= range.end;
      };
    }
    // The key names the rows read too: rows arriving while zoomed are scoped as they come.
    return {
      runId: run.runId,
      key: `${range?.start}|${range?.end}|${terms.join(' ')}|${run.rows.length}`,
      includes: terms.length === 0 ? inRange : (row) => inRange(row) && rowMatches(run.rows[row]!, terms),
      contiguous,
    };
  }

  private onRowSelected(run: Run, row: number | undefined): void {
    this.detail.show(run, row);
    this.timeline.select(row === undefined ? undefined : { runId: run.runId, row });
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
