// Above the timeline and the table: the one filter box for both (the timeline draws the
// events of the rows it keeps), how many rows are listed (those in the timeline's range
// that match the filter), and the exports, which the host writes from all the rows it holds
// (a result it keeps whole, all of it).
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
  private readonly exports: { readonly format: string; readonly button: HTMLButtonElement }[];

  constructor(post: PostToHost, onFilter: (text: string) => void) {
    this.filter = h('input', {
      className: 'table-filter',
      title: 'Rows and timeline events containing every word, in any column',
      attrs: {
        type: 'search',
        placeholder: 'Filter rows and events…',
        'data-testid': 'table-filter',
        'aria-label': 'Filter rows and timeline events',
        spellcheck: 'false',
      },
    });
    this.filter.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => onFilter(this.filter.value), FILTER_DELAY_MS);
    });
    this.exports = EXPORT_FORMATS.map((format) => {
      const button = h('button', {
        className: 'button',
        text: format.toUpperCase(),
        title: `Save all rows of this run as ${format.toUpperCase()}`,
        attrs: { type: 'button', 'data-testid': `export-${format}` },
      });
      button.addEventListener('click', () => {
        if (this.runId !== undefined) post({ type: 'export', runId: this.runId, format: format as ExportFormat });
      });
      return { format, button };
    });
    this.element = h(
      'div',
      { className: 'rows-toolbar' },
      this.filter,
      this.inView,
      h('span', { className: 'exports' }, h('span', { className: 'action-label', text: 'Export' }), ...this.exports.map((e) => e.button)),
    );
  }

  /**
   * `kept`: the host keeps the whole result; it sorts and filters it (the table and the
   * timeline ask), and an export saves all of it in the query's order. `pending`:
   * the host has not said yet how many rows the filter keeps.
   */
  update(runId: string | undefined, listed: number, total: number, scoped: boolean, kept = false, filtered = false, pending = false): void {
    this.runId = runId;
    this.inView.dataset.count = String(listed);
    this.filter.title = kept
      ? 'Rows containing every word, in any column: the host filters the whole kept result, for the table and the timeline'
      : 'Rows and timeline events containing every word, in any column';
    for (const { format: name, button } of this.exports) {
      const format = name.toUpperCase();
      button.title = kept
        ? `Save the whole result (${plural(total, 'row')}, kept by the host, in the query's order) as ${format}`
        : `Save all rows of this run as ${format}`;
    }
    const text = kept
      ? pending
        ? `filtering ${plural(total, 'row')} on the host…`
        : filtered
          ? `${listed.toLocaleString('en-US')} of ${plural(total, 'row')} match, kept by the host`
          : `${plural(total, 'row')}, kept by the host`
      : scoped
        ? `${listed.toLocaleString('en-US')} of ${plural(total, 'row')} in view`
        : plural(total, 'row');
    setText(this.inView, text);
  }
}
