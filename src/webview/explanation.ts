// Why the result is what it is: the error, the notes (what was read, pushed down to AWS,
// fetched, filtered locally), the problems that did not stop the run, and the SQL as run.
import { h } from './dom';
import type { Run } from './runStore';

/** A run over thousands of bad files should not bury the table. */
const MAX_PROBLEMS = 50;

export class Explanation {
  readonly element = h('section', { className: 'explanation', attrs: { 'aria-label': 'How this ran' } });
  private drawn = '';

  update(run: Run | undefined): void {
    // Only the end of a run changes the explanation.
    const drawn = run === undefined ? '' : `${run.runId}|${run.finished === undefined ? 'running' : 'finished'}`;
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    const finished = run?.finished;
    if (finished === undefined) {
      this.element.replaceChildren();
      return;
    }
    const problems = finished.problems;
    const parts: HTMLElement[] = [];
    if (finished.error !== undefined) {
      const severity = finished.status === 'error' ? 'error' : 'error warning';
      parts.push(h('div', { className: severity, text: finished.error, attrs: { 'data-testid': 'error', role: 'alert' } }));
    }
    parts.push(h('ul', { className: 'notes', attrs: { 'data-testid': 'notes' } }, ...finished.notes.map((note) => h('li', { text: note }))));
    if (problems.length > 0) {
      parts.push(
        h(
          'ul',
          { className: 'problems', attrs: { 'data-testid': 'problems', 'aria-label': 'Problems' } },
          ...problems.slice(0, MAX_PROBLEMS).map((problem) => h('li', {}, h('span', { className: 'where', text: problem.where }), `: ${problem.message}`)),
          problems.length > MAX_PROBLEMS && h('li', { className: 'more', text: `and ${problems.length - MAX_PROBLEMS} more` }),
        ),
      );
    }
    if (finished.sql !== undefined) {
      parts.push(h('details', { className: 'sql', attrs: { 'data-testid': 'sql' } }, h('summary', { text: 'SQL as run' }), h('pre', {}, h('code', { text: finished.sql }))));
    }
    this.element.replaceChildren(...parts);
  }
}
