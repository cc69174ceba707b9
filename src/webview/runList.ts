// The runs, newest first: a press of Run all is one group with a one-line summary and
// its cells in the runbook's order, the newest run of each cell is listed, and runs that
// ran again since are folded under "Earlier runs" (runGroups.ts). Each entry says what
// ran, how it ended, how many rows, how long; a running entry shows its progress and the
// only Cancel button.
import { displayText } from '../protocol/displayText';
import type { PostToHost } from './hostApi';
import { h, setText } from './dom';
import { formatElapsed, runningElapsed } from '../protocol/elapsed';
import { plural } from '../protocol/plural';
import { STATUS_ICON } from '../protocol/runWording';
import { groupRuns, statusCounts, type RunGroup } from './runGroups';
import { rowCountOf, type Run } from './runStore';

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
  private readonly cancel = h('button', {
    className: 'button cancel',
    text: '■ Cancel',
    title: 'Cancel this run',
    attrs: { type: 'button' },
  });
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
    setText(this.rows, plural(rowCountOf(run), 'row'));
    setText(this.progress, displayText(running ? (run.progress?.message ?? 'Starting…') : started.context.source));
    setText(this.elapsed, elapsed);
    this.cancel.hidden = !running;
  }
}

export class RunList {
  readonly element: HTMLElement;
  private readonly entries = new Map<string, Entry>();
  private readonly groupHeads = new Map<string, HTMLElement>();
  private readonly earlier: HTMLDetailsElement;
  private readonly earlierSummary: HTMLElement;
  private readonly earlierList: HTMLElement;
  private readonly current: HTMLElement;
  /** The groups and their runs as last laid out: the DOM moves only when this changes. */
  private shape = '';

  constructor(
    private readonly post: PostToHost,
    private readonly onSelect: (runId: string) => void,
  ) {
    this.current = h('div', { className: 'run-groups' });
    this.earlierSummary = h('summary', { className: 'earlier-summary' });
    this.earlierList = h('div', { className: 'run-groups' });
    this.earlier = h(
      'details',
      { className: 'earlier-runs', attrs: { 'data-testid': 'earlier-runs' } },
      this.earlierSummary,
      this.earlierList,
    );
    this.element = h(
      'nav',
      { className: 'run-list', attrs: { 'data-testid': 'run-list', role: 'listbox', 'aria-label': 'Runs' } },
      this.current,
      this.earlier,
    );
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
    const groups = groupRuns(runs);
    const keep = new Set(runs.map((run) => run.runId));
    for (const [runId, entry] of this.entries) {
      if (keep.has(runId)) continue;
      entry.element.remove();
      this.entries.delete(runId);
    }
    for (const group of groups) {
      for (const run of group.runs) {
        let entry = this.entries.get(run.runId);
        if (entry === undefined) {
          entry = new Entry(run.runId);
          this.entries.set(run.runId, entry);
        }
        entry.draw(run, run.runId === selected, now);
        entry.element.classList.toggle('superseded', group.superseded.has(run.runId));
      }
      if (group.runAll) this.drawGroupHead(group);
    }
    const shape = groups.map((g) => `${g.key}${g.earlier ? '~' : ''}:${g.runs.map((r) => r.runId).join(',')}`).join('|');
    if (shape !== this.shape) {
      this.shape = shape;
      // Moved only when the grouping changed: moving the entry under a click would swallow it.
      this.current.replaceChildren(...groups.filter((g) => !g.earlier).map((g) => this.groupElement(g)));
      this.earlierList.replaceChildren(...groups.filter((g) => g.earlier).map((g) => this.groupElement(g)));
      for (const key of [...this.groupHeads.keys()]) if (!groups.some((g) => g.key === key)) this.groupHeads.delete(key);
    }
    const earlierRuns = groups.filter((g) => g.earlier).reduce((sum, g) => sum + g.runs.length, 0);
    this.earlier.hidden = earlierRuns === 0;
    setText(this.earlierSummary, `Earlier runs (${earlierRuns})`);
    // The selected run is never folded away.
    if (selected !== undefined && groups.some((g) => g.earlier && g.runs.some((r) => r.runId === selected))) this.earlier.open = true;
  }

  private groupElement(group: RunGroup): HTMLElement {
    const entries = group.runs.map((run) => this.entries.get(run.runId)!.element);
    const [only] = entries;
    if (!group.runAll && only !== undefined) return only;
    return h(
      'div',
      { className: 'run-group', attrs: { 'data-testid': 'run-all', role: 'group' } },
      this.groupHeads.get(group.key)!,
      ...entries,
    );
  }

  private drawGroupHead(group: RunGroup): void {
    let head = this.groupHeads.get(group.key);
    if (head === undefined) {
      head = h('div', { className: 'run-group-head' });
      this.groupHeads.set(group.key, head);
    }
    const first = group.runs[0]?.started;
    if (first === undefined) return;
    const counts = statusCounts(group.runs)
      .map(({ status, count }) => `${STATUS_ICON[status]} ${count}`)
      .join('  ');
    setText(head, `Run all · ${displayText(first.runbook.split('/').pop() ?? first.runbook)} · ${counts}`);
    head.title = displayText(`Run all of ${first.runbook}: ${plural(group.runs.length, 'cell')}`);
  }
}

function elapsedOf(run: Run, now: number): string {
  if (run.finished !== undefined) return formatElapsed(run.finished.elapsedMs);
  return runningElapsed(run.started.startedAt, now);
}
