// The selected row, whole: a folded JSON tree keyed by column, the copy and pivot
// buttons, and Copy for the row as JSON. The event one pivots from (an access key, an
// IP, a role) is usually in there.
import type { PostToHost } from './hostApi';
import { h, setText } from './dom';
import { EventActions } from './eventActions';
import { prettyJson, rowAsObject } from './formatValue';
import { jsonTree } from './jsonTree';
import { count } from './runLabels';
import type { Run } from './runStore';

export class RowDetail {
  readonly element: HTMLElement;
  private readonly caption: HTMLSpanElement;
  private readonly json: HTMLElement;
  private readonly actions: EventActions;
  private text = '';
  private shown: { run: Run; row: number } | undefined;

  constructor(post: PostToHost, onClose: () => void) {
    this.caption = h('span', { className: 'detail-caption' });
    const copy = h('button', { className: 'button', text: 'Copy JSON', title: 'Copy the row as JSON', attrs: { type: 'button', 'data-testid': 'copy-row' } });
    copy.addEventListener('click', () => post({ type: 'copy', text: this.text }));
    const close = h('button', { className: 'icon-button', text: '×', title: 'Close (Esc in the table)', attrs: { type: 'button', 'aria-label': 'Close the row' } });
    close.addEventListener('click', onClose);
    this.actions = new EventActions(post);
    this.json = h('div', { className: 'event-json', attrs: { 'data-testid': 'event-json', tabindex: '0' } });
    this.element = h(
      'section',
      { className: 'detail', attrs: { 'aria-label': 'Selected row' } },
      h('div', { className: 'detail-bar' }, this.caption, copy, close),
      this.actions.element,
      this.json,
    );
    this.element.hidden = true;
  }

  show(run: Run | undefined, row: number | undefined): void {
    const values = run === undefined || row === undefined ? undefined : run.rows[row];
    if (run === undefined || row === undefined || values === undefined) {
      this.element.hidden = true;
      this.shown = undefined;
      this.text = '';
      this.json.replaceChildren();
      return;
    }
    if (this.shown?.run === run && this.shown.row === row) return;
    this.shown = { run, row };
    const object = rowAsObject(run.columns, values);
    this.text = prettyJson(object);
    setText(this.caption, `Row ${(row + 1).toLocaleString('en-US')} of ${count(run.rows.length, 'row')} (query order)`);
    this.json.replaceChildren(jsonTree(object));
    this.actions.show(run, row);
    this.element.hidden = false;
  }
}
