// The selected run at a glance, on one line: status, cell, heading, rows, time. Where it
// ran, the notes and the SQL are folded below it (explanation.ts); the run list opens
// from here when it is folded away.
import { displayText } from '../protocol/displayText';
import type { PostToHost } from './hostApi';
import { h, setText } from './dom';
import { formatElapsed, runningElapsed } from '../protocol/elapsed';
import { keptRowsText, rowsText, statusHeadline } from '../protocol/runWording';
import { rowCountOf, type Run } from './runStore';

export class RunHeader {
  readonly element: HTMLElement;
  private readonly status = h('span', { className: 'status', attrs: { 'data-testid': 'run-status', role: 'status' } });
  private readonly cellId = h('button', {
    className: 'link cell-id',
    title: 'Show this cell in the runbook',
    attrs: { type: 'button', 'data-testid': 'cell-id' },
  });
  private readonly heading = h('span', { className: 'heading' });
  private readonly rowCount = h('span', { className: 'row-count', attrs: { 'data-testid': 'row-count' } });
  private readonly elapsed = h('span', { className: 'elapsed' });
  /** Opens and folds the run list (the layout's owner decides). */
  readonly runsToggle = h('button', {
    className: 'icon-button runs-toggle',
    text: '☰',
    title: 'Show or hide the runs',
    attrs: { type: 'button', 'data-testid': 'runs-toggle', 'aria-label': 'Runs', 'aria-pressed': 'false' },
  });
  private readonly progress = h('div', { className: 'run-progress', attrs: { 'data-testid': 'progress' } });
  private runId: string | undefined;
  private drawn = '';

  constructor(post: PostToHost) {
    this.cellId.addEventListener('click', () => {
      if (this.runId !== undefined) post({ type: 'revealCell', runId: this.runId });
    });
    this.element = h(
      'header',
      { className: 'run-header' },
      h('div', { className: 'run-title' }, this.runsToggle, this.status, this.cellId, this.heading, this.rowCount, this.elapsed),
      this.progress,
    );
  }

  update(run: Run | undefined, now: number): void {
    this.runId = run?.runId;
    if (run === undefined) {
      // Nothing selected (after 'clear'): leave no stale status for anyone to read.
      if (this.drawn !== '') this.reset();
      return;
    }
    const elapsed = run.finished === undefined ? runningElapsed(run.started.startedAt, now) : formatElapsed(run.finished.elapsedMs);
    const drawn = `${run.runId}|${run.version}|${elapsed}`;
    if (drawn === this.drawn) return;
    this.drawn = drawn;

    const started = run.started;
    this.status.dataset.status = run.status;
    this.status.className = `status status-${run.status}`;
    setText(this.status, statusHeadline(run.status, started.expect));
    this.status.title = displayText(run.finished?.summary ?? '');
    setText(this.cellId, started.cellId);
    // The heading comes from the runbook (maybe a pull request's), the rest may quote values.
    setText(this.heading, displayText(started.heading ?? ''));
    this.rowCount.dataset.count = String(rowCountOf(run));
    const kept = run.received > run.rows.length ? ` · first ${run.rows.length.toLocaleString('en-US')} kept` : '';
    // Over the row limit, the host may keep the whole result: then every row is there to see.
    if (run.kept !== undefined) setText(this.rowCount, keptRowsText(run.kept.rowCount));
    else setText(this.rowCount, rowsText(run.received, run.finished?.truncated ?? false) + kept);
    setText(this.elapsed, elapsed);
    // After an answer that came first, the cache of its logs is written: that progress shows under it.
    const progress = run.status === 'running' ? (run.progress?.message ?? 'Starting…') : run.progress?.message;
    this.progress.hidden = progress === undefined;
    setText(this.progress, displayText(progress ?? ''));
  }

  private reset(): void {
    this.drawn = '';
    delete this.status.dataset.status;
    delete this.rowCount.dataset.count;
    for (const element of [this.status, this.cellId, this.heading, this.rowCount, this.elapsed, this.progress]) setText(element, '');
  }
}
