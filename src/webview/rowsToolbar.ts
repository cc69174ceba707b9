// Above the timeline and the table: the one filter box for both (the timeline draws the
// events of the rows it keeps), how many rows are listed (those in the timeline's range
// that match the filter), and the exports, which the host writes from all the rows it holds.
import { EXPORT_FORMATS, type ExportFormat } from '../protocol/results';
import { plural } from '../protocol/plural';
import { h, setText } from './dom';
import type { PostToHost } from './hostApi';

/** Typing waits this long before filtering 100,000 rows. */
const FILTER_DELAY_MS = 120;

export class RowsToolbar {
  readonly element: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly inView = h('span', { className: 'rows-in-view', attrs: { 'data-testid': 'rows-in-view', role: 'status' } });
  private runId: string | undefined;
  private timer: number | undefined;
  private readonly exports: HTMLButtonElement[];

  constructor(post: PostToHost, onFilter: (text: string) => void) {
    this.filter = h('input', {
      className: 'table-filter',
      title: 'Rows and timeline events containing every word, in any column',
      attrs: { type: 'search', placeholder: 'Filter rows and events…', 'data-testid': 'table-filter', 'aria-label': 'Filter rows and timeline events', spellcheck: 'false' },
    });
    this.filter.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => onFilter(this.filter.value), FILTER_DELAY_MS);
    });
    this.exports = EXPORT_FORMATS.map((format) => {
      const button = h('button', { className: 'button', text: format.toUpperCase(), title: `Save all rows of this run as ${format.toUpperCase()}`, attrs: { type: 'button', 'data-testid': `export-${format}` } });
      button.addEventListener('click', () => {
        if (this.runId !== undefined) post({ type: 'export', runId: this.runId, format: format as ExportFormat });
      });
      return button;
    });
    this.element = h('div', { className: 'rows-toolbar' }, this.filter, this.inView, h('span', { className: 'exports' }, h('span', { className: 'action-label', text: 'Export' }), ...this.exports));
  }

  /** `kept`: the host keeps the whole result, listed in the query's order; sorting and filtering it are the query's. */
  update(runId: string | undefined, listed: number, total: number, scoped: boolean, kept = false): void {
    this.runId = runId;
    this.inView.dataset.count = String(listed);
    this.filter.disabled = kept;
    this.filter.title = kept
      ? 'This result is kept by the host and listed whole: filter it in the query (WHERE) and run the cell again'
      : 'Rows and timeline events containing every word, in any column';
    // The host exports the rows the run finished with: for a kept result, the first ones only.
    for (const [i, button] of this.exports.entries()) {
      const format = EXPORT_FORMATS[i]!.toUpperCase();
      button.title = kept ? `Save the rows this run finished with (up to the row limit, not the whole kept result) as ${format}` : `Save all rows of this run as ${format}`;
    }
    setText(this.inView, kept ? `${plural(total, 'row')}, kept by the host (sort and filter in the query)` : scoped ? `${listed.toLocaleString('en-US')} of ${plural(total, 'row')} in view` : plural(total, 'row'));
  }
}
