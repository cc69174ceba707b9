// The selected row, whole: a folded JSON tree keyed by column, the copy and pivot
// buttons, and Copy for the row as JSON. The event one pivots from (an access key, an
// IP, a role) is usually in there.
import { displayText } from '../protocol/displayText';
import type { HostMessage } from '../protocol/results';
import type { PostToHost } from './hostApi';
import { h, setText } from './dom';
import { EventActions } from './eventActions';
import { prettyJson, rowAsObject } from './formatValue';
import { jsonTree } from './jsonTree';
import { plural } from '../protocol/plural';
import type { Run } from './runStore';
import { readText, resolveFields } from './timeline/eventFields';

type WholeEvent = Extract<HostMessage, { type: 'wholeEvent' }>;

export class RowDetail {
  readonly element: HTMLElement;
  private readonly caption: HTMLSpanElement;
  private readonly json: HTMLElement;
  private readonly actions: EventActions;
  private text = '';
  private shown: { run: Run; row: number } | undefined;
  private readonly whole: HTMLButtonElement;
  private readonly wholeSection: HTMLElement;
  private readonly wholeCaption: HTMLElement;
  private readonly wholeJson: HTMLElement;
  /** The event asked for: a late answer about another row is dropped. */
  private asked: { runId: string; eventId: string } | undefined;
  private wholeText = '';

  constructor(private readonly post: PostToHost, onClose: () => void) {
    this.caption = h('span', { className: 'detail-caption' });
    const copy = h('button', { className: 'button', text: 'Copy JSON', title: 'Copy the row as JSON', attrs: { type: 'button', 'data-testid': 'copy-row' } });
    copy.addEventListener('click', () => post({ type: 'copy', text: this.text }));
    const close = h('button', { className: 'icon-button', text: '×', title: 'Close (Esc in the table)', attrs: { type: 'button', 'aria-label': 'Close the row' } });
    close.addEventListener('click', onClose);
    this.actions = new EventActions(post);
    this.json = h('div', { className: 'event-json', attrs: { 'data-testid': 'event-json', tabindex: '0' } });
    // The query may select a few columns; the whole event (every column of the table) is
    // fetched by eventID on request, so selecting rows stays instant.
    this.whole = h('button', { className: 'button', text: 'Whole event', title: 'Show every column of this event, as stored', attrs: { type: 'button', 'data-testid': 'whole-event' } });
    this.whole.addEventListener('click', () => this.askWhole());
    this.wholeCaption = h('div', { className: 'detail-caption' });
    const copyWhole = h('button', { className: 'button', text: 'Copy', title: 'Copy the whole event as JSON', attrs: { type: 'button' } });
    copyWhole.addEventListener('click', () => post({ type: 'copy', text: this.wholeText }));
    this.wholeJson = h('div', { className: 'event-json', attrs: { 'data-testid': 'whole-event-json', tabindex: '0' } });
    this.wholeSection = h('section', { className: 'whole-event', attrs: { 'aria-label': 'Whole event' } }, h('div', { className: 'detail-bar' }, this.wholeCaption, copyWhole), this.wholeJson);
    this.wholeSection.hidden = true;
    this.element = h(
      'section',
      { className: 'detail', attrs: { 'aria-label': 'Selected row' } },
      h('div', { className: 'detail-bar' }, this.caption, this.whole, copy, close),
      this.actions.element,
      this.json,
      this.wholeSection,
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
    this.asked = undefined;
    this.wholeSection.hidden = true;
    this.wholeJson.replaceChildren();
    const eventId = readText(values, resolveFields(run.columns).eventId);
    this.whole.disabled = eventId === undefined;
    this.whole.title = eventId === undefined ? 'Select eventID in the query to look up the whole event' : 'Show every column of this event, as stored';
    const object = rowAsObject(run.columns, values);
    this.text = prettyJson(object);
    setText(this.caption, `Row ${(row + 1).toLocaleString('en-US')} of ${plural(run.rows.length, 'row')} (query order)`);
    this.json.replaceChildren(jsonTree(object));
    this.actions.show(run, row);
    this.element.hidden = false;
  }

  private askWhole(): void {
    const shown = this.shown;
    if (!shown) return;
    const eventId = readText(shown.run.rows[shown.row]!, resolveFields(shown.run.columns).eventId);
    if (eventId === undefined) return;
    this.asked = { runId: shown.run.runId, eventId };
    setText(this.wholeCaption, displayText(`Whole event ${eventId}: looking it up…`));
    this.wholeJson.replaceChildren();
    this.wholeSection.hidden = false;
    this.post({ type: 'wholeEvent', runId: shown.run.runId, eventId });
  }

  /** The host's answer to askWhole. */
  showWhole(message: WholeEvent): void {
    if (this.asked?.runId !== message.runId || this.asked.eventId !== message.eventId) return;
    if (message.event === undefined) {
      setText(this.wholeCaption, displayText(`Whole event ${message.eventId}: ${message.error ?? 'not found'}`));
      this.wholeText = '';
      return;
    }
    setText(this.wholeCaption, displayText(`Whole event ${message.eventId}, every column as stored`));
    this.wholeText = prettyJson(message.event);
    this.wholeJson.replaceChildren(jsonTree(message.event));
  }
}
