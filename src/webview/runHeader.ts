// The selected run at a glance: status, cell, rows, time, and where it ran.
import { displayText } from '../protocol/displayText';
import type { PostToHost } from './hostApi';
import { h, setText } from './dom';
import { formatElapsed, runningElapsed } from '../protocol/elapsed';
import { rowsText, statusHeadline } from '../protocol/runWording';
import type { Run } from './runStore';

export class RunHeader {
  readonly element: HTMLElement;
  private readonly status = h('span', { className: 'status', attrs: { 'data-testid': 'run-status', role: 'status' } });
  private readonly cellId = h('button', { className: 'link cell-id', title: 'Show this cell in the runbook', attrs: { type: 'button', 'data-testid': 'cell-id' } });
  private readonly heading = h('span', { className: 'heading' });
  private readonly rowCount = h('span', { className: 'row-count', attrs: { 'data-testid': 'row-count' } });
  private readonly elapsed = h('span', { className: 'elapsed' });
  private readonly where = h('div', { className: 'run-context' });
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
      h('div', { className: 'run-title' }, this.status, this.cellId, this.heading, this.rowCount, this.elapsed),
      this.where,
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
    this.rowCount.dataset.count = String(run.received);
    const kept = run.received > run.rows.length ? ` · first ${run.rows.length.toLocaleString('en-US')} kept` : '';
    setText(this.rowCount, rowsText(run.received, run.finished?.truncated ?? false) + kept);
    setText(this.elapsed, elapsed);
    setText(this.where, displayText(contextText(run)));
    this.progress.hidden = run.status !== 'running';
    setText(this.progress, displayText(run.status === 'running' ? (run.progress?.message ?? 'Starting…') : ''));
  }

  private reset(): void {
    this.drawn = '';
    delete this.status.dataset.status;
    delete this.rowCount.dataset.count;
    for (const element of [this.status, this.cellId, this.heading, this.rowCount, this.elapsed, this.where, this.progress]) setText(element, '');
  }
}

/** `runbooks/keys.md:12 · local logs ./incident-42 · account 1111… · last 24 h (…)` */
function contextText(run: Run): string {
  const { runbook, line, context } = run.started;
  const parts = [`${runbook}:${line}`, context.source];
  // LookupEvents learns the account during the run; the end message brings it.
  const account = run.finished?.account ?? context.account;
  if (account !== undefined) parts.push(`account ${account}`);
  parts.push(context.window === undefined ? 'all events' : `${context.window.label} (${context.window.start} → ${context.window.end})`);
  return parts.join(' · ');
}
