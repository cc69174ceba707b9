// Why the result is what it is: the error, the notes (what was read, pushed down to AWS,
// fetched, filtered locally), the problems that did not stop the run, and the SQL as run.
// All of it can quote log values (a file name, a value in an error, the substituted SQL), so
// hidden characters are shown escaped.
import { shownNodes } from './shownText';
import { h } from './dom';
import type { Run } from './runStore';

/** A run over thousands of bad files should not bury the table. */
const MAX_PROBLEMS = 50;
/** Multi-line text keeps its lines and indentation. */
const LINES = { lineBreaks: true, tab: true } as const;

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
      parts.push(h('div', { className: severity, attrs: { 'data-testid': 'error', role: 'alert' } }, ...shownNodes(finished.error, LINES)));
    }
    parts.push(h('ul', { className: 'notes', attrs: { 'data-testid': 'notes' } }, ...finished.notes.map((note) => h('li', {}, ...shownNodes(note)))));
    if (problems.length > 0) {
      parts.push(
        h(
          'ul',
          { className: 'problems', attrs: { 'data-testid': 'problems', 'aria-label': 'Problems' } },
          ...problems.slice(0, MAX_PROBLEMS).map((problem) => h('li', {}, h('span', { className: 'where' }, ...shownNodes(problem.where)), ': ', ...shownNodes(problem.message))),
          problems.length > MAX_PROBLEMS && h('li', { className: 'more', text: `and ${problems.length - MAX_PROBLEMS} more` }),
        ),
      );
    }
    if (finished.sql !== undefined) {
      parts.push(h('details', { className: 'sql', attrs: { 'data-testid': 'sql' } }, h('summary', { text: 'SQL as run' }), h('pre', {}, h('code', {}, ...shownNodes(finished.sql, LINES)))));
    }
    this.element.replaceChildren(...parts);
  }
}
