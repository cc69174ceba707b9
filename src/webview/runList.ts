// One entry per run, newest first: what ran, how it ended, how many rows, how long.
// A running entry shows its progress and the only Cancel button.
import { displayText } from '../protocol/displayText';
import type { PostToHost } from './hostApi';
import { h, setText } from './dom';
import { formatElapsed, runningElapsed } from '../protocol/elapsed';
import { plural } from '../protocol/plural';
import { STATUS_ICON } from '../protocol/runWording';
import type { Run } from './runStore';

/**
 * One run's entry. Built once and then only its texts change: replacing the Cancel
 * button every second would swallow a click that lands during the swap.
 */
class Entry {
  readonly element: HTMLElement;
  private readonly icon = h('span', { className: 'status-icon', attrs: { 'aria-hidden': 'true' } });
  private readonly cell = h('span', { className: 'run-entry-cell' });
  private readonly rows = h('span', { className: 'run-entry-rows' });
  private readonly progress = h('span', { className: 'progress-text' });
  private readonly elapsed = h('span', { className: 'run-entry-elapsed' });
  private readonly cancel = h('button', { className: 'button cancel', text: '■ Cancel', title: 'Cancel this run', attrs: { type: 'button' } });
  /** What the entry last showed, to skip redrawing unchanged runs. */
  private drawn = '';

  constructor(runId: string) {
    this.element = h(
      'div',
      { className: 'run-entry', attrs: { 'data-run-id': runId, role: 'option', tabindex: '0' } },
      h('div', { className: 'run-entry-line' }, this.icon, this.cell, this.rows),
      h('div', { className: 'run-entry-line run-entry-meta' }, this.progress, this.elapsed, this.cancel),
    );
  }

  draw(run: Run, isSelected: boolean, now: number): void {
    const elapsed = elapsedOf(run, now);
    const drawn = `${run.version}|${isSelected}|${elapsed}`;
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    const started = run.started;
    const running = run.status === 'running';
    this.element.className = `run-entry status-${run.status}${isSelected ? ' selected' : ''}`;
    this.element.setAttribute('aria-selected', String(isSelected));
    this.element.dataset.status = run.status;
    this.element.title = displayText(`${started.heading ? `${started.heading} · ` : ''}${started.runbook}:${started.line}`);
    setText(this.icon, STATUS_ICON[run.status]);
    setText(this.cell, started.cellId);
    setText(this.rows, plural(run.received, 'row'));
    setText(this.progress, displayText(running ? (run.progress?.message ?? 'Starting…') : started.context.source));
    setText(this.elapsed, elapsed);
    this.cancel.hidden = !running;
  }
}

export class RunList {
  readonly element: HTMLElement;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly post: PostToHost,
    private readonly onSelect: (runId: string) => void,
  ) {
    this.element = h('nav', { className: 'run-list', attrs: { 'data-testid': 'run-list', role: 'listbox', 'aria-label': 'Runs' } });
    this.element.addEventListener('click', (event) => {
      const target = event.target as Element;
      const entry = target.closest<HTMLElement>('[data-run-id]');
      if (entry === null) return;
      const runId = entry.dataset.runId!;
      if (target.closest('.cancel') !== null) this.post({ type: 'cancel', runId });
      else this.onSelect(runId);
    });
    this.element.addEventListener('keydown', (event) => {
      const entry = (event.target as Element).closest<HTMLElement>('[data-run-id]');
      if (entry === null || (event.key !== 'Enter' && event.key !== ' ')) return;
      if ((event.target as Element).closest('.cancel') !== null) return;
      event.preventDefault();
      this.onSelect(entry.dataset.runId!);
    });
  }

  /** `runs` newest first. */
  update(runs: readonly Run[], selected: string | undefined, now: number): void {
    const keep = new Set(runs.map((run) => run.runId));
    for (const [runId, entry] of this.entries) {
      if (keep.has(runId)) continue;
      entry.element.remove();
      this.entries.delete(runId);
    }
    runs.forEach((run, position) => {
      let entry = this.entries.get(run.runId);
      if (entry === undefined) {
        entry = new Entry(run.runId);
        this.entries.set(run.runId, entry);
      }
      entry.draw(run, run.runId === selected, now);
      // Moves only the entries out of place: a new run goes to the top, the rest stay.
      if (this.element.children[position] !== entry.element) this.element.insertBefore(entry.element, this.element.children[position] ?? null);
    });
  }
}

function elapsedOf(run: Run, now: number): string {
  if (run.finished !== undefined) return formatElapsed(run.finished.elapsedMs);
  return runningElapsed(run.started.startedAt, now);
}
