// Why the result is what it is: the error (always shown), then folded under one line
// (data first: the rows are what one came for) where it ran, the notes (what was read,
// pushed down to AWS, fetched, filtered locally, cache paths), the problems that did not
// stop the run, and the SQL as run. All of it can quote log values (a file name, a value in
// an error, the substituted SQL), so hidden characters are shown escaped.
import { displayText } from '../protocol/displayText';
import { plural } from '../protocol/plural';
import { shownNodes } from './shownText';
import { h, setText } from './dom';
import type { Run } from './runStore';

/** A run over thousands of bad files should not bury the table. */
const MAX_PROBLEMS = 50;
/** Multi-line text keeps its lines and indentation. */
const LINES = { lineBreaks: true, tab: true } as const;

export class Explanation {
  readonly element: HTMLElement;
  private readonly error = h('div', { attrs: { 'data-testid': 'error', role: 'alert' } });
  private readonly details: HTMLDetailsElement;
  private readonly brief = h('span', { className: 'details-brief', attrs: { 'data-testid': 'details-brief' } });
  private readonly body = h('div', { className: 'details-body' });
  /** The run and its end as last drawn. */
  private drawnRun: string | undefined;
  private drawnFinished: Run['finished'];

  /** @param onToggle the details were unfolded or folded (the panel keeps it). */
  constructor(onToggle: (open: boolean) => void) {
    this.details = h(
      'details',
      { className: 'run-details', attrs: { 'data-testid': 'run-details' } },
      h('summary', {}, h('span', { className: 'details-label', text: 'Details' }), this.brief),
      this.body,
    );
    this.details.addEventListener('toggle', () => onToggle(this.details.open));
    this.element = h('section', { className: 'explanation', attrs: { 'aria-label': 'How this ran' } }, this.error, this.details);
  }

  setOpen(open: boolean): void {
    if (this.details.open !== open) this.details.open = open;
  }

  update(run: Run | undefined): void {
    // The start gives where it runs; only the end changes the rest.
    // A run answered before its cache was written finishes twice: the second says what the whole scan read.
    if (run?.runId === this.drawnRun && run?.finished === this.drawnFinished) return;
    this.drawnRun = run?.runId;
    this.drawnFinished = run?.finished;
    this.element.hidden = run === undefined;
    if (run === undefined) return;
    const finished = run.finished;
    this.error.hidden = finished?.error === undefined;
    if (finished?.error !== undefined) {
      this.error.className = finished.status === 'error' ? 'error' : 'error warning';
      this.error.replaceChildren(...shownNodes(finished.error, LINES));
    }
    const context = contextText(run);
    const problems = finished?.problems ?? [];
    const notes = finished?.notes ?? [];
    const brief = [
      context.source,
      context.window,
      notes.length > 0 && plural(notes.length, 'note'),
      problems.length > 0 && plural(problems.length, 'problem'),
      finished?.sql !== undefined && 'SQL as run',
    ]
      .filter(Boolean)
      .join(' · ');
    setText(this.brief, displayText(brief));
    this.brief.classList.toggle('has-problems', problems.length > 0);
    const parts: HTMLElement[] = [
      h('div', { className: 'run-context', attrs: { 'data-testid': 'run-context' } }, ...shownNodes(context.full)),
    ];
    parts.push(
      h('ul', { className: 'notes', attrs: { 'data-testid': 'notes' } }, ...notes.map((note) => h('li', {}, ...shownNodes(note)))),
    );
    if (problems.length > 0) {
      parts.push(
        h(
          'ul',
          { className: 'problems', attrs: { 'data-testid': 'problems', 'aria-label': 'Problems' } },
          ...problems
            .slice(0, MAX_PROBLEMS)
            .map((problem) =>
              h('li', {}, h('span', { className: 'where' }, ...shownNodes(problem.where)), ': ', ...shownNodes(problem.message)),
            ),
          problems.length > MAX_PROBLEMS && h('li', { className: 'more', text: `and ${problems.length - MAX_PROBLEMS} more` }),
        ),
      );
    }
    if (finished?.sql !== undefined) {
      parts.push(
        h(
          'details',
          { className: 'sql', attrs: { 'data-testid': 'sql' } },
          h('summary', { text: 'SQL as run' }),
          h('pre', {}, h('code', {}, ...shownNodes(finished.sql, LINES))),
        ),
      );
    }
    this.body.replaceChildren(...parts);
  }
}

/** `runbooks/keys.md:12 · local logs ./incident-42 · account 1111… · last 24 h (…)` */
function contextText(run: Run): { readonly full: string; readonly source: string; readonly window: string } {
  const { runbook, line, context } = run.started;
  const parts = [`${runbook}:${line}`, context.source];
  // LookupEvents learns the account during the run; the end message brings it.
  const account = run.finished?.account ?? context.account;
  if (account !== undefined) parts.push(`account ${account}`);
  parts.push(context.window === undefined ? 'all events' : `${context.window.label} (${context.window.start} → ${context.window.end})`);
  return { full: parts.join(' · '), source: context.source, window: context.window?.label ?? 'all events' };
}
