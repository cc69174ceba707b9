// The selected row, whole: a folded JSON tree keyed by column, the copy and pivot
// buttons, and Copy for the row as JSON. The event one pivots from (an access key, an
// IP, a role) is usually in there. A row with an eventID also gets its whole stored event
// from the host (wholeEvents.ts): the pivots read it, and "Whole event" shows it.
import { displayText } from '../protocol/displayText';
import type { PostToHost } from './hostApi';
import type { EventMark, ResultValue } from '../protocol/results';
import { h, setText } from './dom';
import { EventActions } from './eventActions';
import { prettyJson, rowAsObject } from './formatValue';
import { jsonTree } from './jsonTree';
import { plural } from '../protocol/plural';
import type { Run } from './runStore';
import { readText, resolveFields } from './timeline/eventFields';
import { WholeEvents, type WholeEventAnswer } from './wholeEvents';

export class RowDetail {
  readonly element: HTMLElement;
  private readonly caption: HTMLSpanElement;
  private readonly json: HTMLElement;
  private readonly actions: EventActions;
  private readonly events: WholeEvents;
  private text = '';
  private shown: { run: Run; row: number; status: string; eventId: string | undefined; values: readonly ResultValue[] } | undefined;
  private readonly whole: HTMLButtonElement;
  private readonly wholeSection: HTMLElement;
  private readonly wholeCaption: HTMLElement;
  private readonly wholeJson: HTMLElement;
  /** "Whole event" was clicked for the row shown. */
  private wholeOpen = false;
  private wholeText = '';

  constructor(post: PostToHost, onClose: () => void, markOf: (eventId: string | undefined) => EventMark | undefined) {
    this.events = new WholeEvents(post);
    this.events.onAnswer((runId, eventId) => {
      if (this.shown?.run.runId === runId && this.shown.eventId === eventId) this.refresh(false);
    });
    this.caption = h('span', { className: 'detail-caption' });
    const copy = h('button', {
      className: 'button',
      text: 'Copy JSON',
      title: 'Copy the row as JSON',
      attrs: { type: 'button', 'data-testid': 'copy-row' },
    });
    copy.addEventListener('click', () => post({ type: 'copy', text: this.text }));
    const close = h('button', {
      className: 'icon-button',
      text: '×',
      title: 'Close (Esc in the table)',
      attrs: { type: 'button', 'aria-label': 'Close the row', 'data-testid': 'close-detail' },
    });
    close.addEventListener('click', onClose);
    this.actions = new EventActions(post, markOf);
    this.json = h('div', { className: 'event-json', attrs: { 'data-testid': 'event-json', tabindex: '0' } });
    this.whole = h('button', {
      className: 'button',
      text: 'Whole event',
      title: 'Show every column of this event, as stored',
      attrs: { type: 'button', 'data-testid': 'whole-event' },
    });
    this.whole.addEventListener('click', () => {
      this.wholeOpen = true;
      this.refresh(true);
    });
    this.wholeCaption = h('div', { className: 'detail-caption' });
    const copyWhole = h('button', { className: 'button', text: 'Copy', title: 'Copy the whole event as JSON', attrs: { type: 'button' } });
    copyWhole.addEventListener('click', () => post({ type: 'copy', text: this.wholeText }));
    this.wholeJson = h('div', { className: 'event-json', attrs: { 'data-testid': 'whole-event-json', tabindex: '0' } });
    this.wholeSection = h(
      'section',
      { className: 'whole-event', attrs: { 'aria-label': 'Whole event' } },
      h('div', { className: 'detail-bar' }, this.wholeCaption, copyWhole),
      this.wholeJson,
    );
    this.wholeSection.hidden = true;
    this.element = h(
      'section',
      { className: 'detail', attrs: { 'aria-label': 'Selected row', 'data-testid': 'detail' } },
      h('div', { className: 'detail-bar' }, this.caption, this.whole, copy, close),
      this.actions.element,
      h('div', { className: 'detail-scroll' }, this.json, this.wholeSection),
    );
    this.element.hidden = true;
  }

  /** `values`: the row's, when it is not among the run's rows (a page of a result the host keeps). */
  show(run: Run | undefined, row: number | undefined, values = run === undefined || row === undefined ? undefined : run.rows[row]): void {
    if (run === undefined || row === undefined || values === undefined) {
      this.element.hidden = true;
      this.shown = undefined;
      this.text = '';
      this.json.replaceChildren();
      return;
    }
    const sameRow = this.shown?.run === run && this.shown.row === row;
    if (sameRow && this.shown!.status === run.status) return;
    const eventId = readText(values, resolveFields(run.columns).eventId);
    this.shown = { run, row, status: run.status, eventId, values };
    if (!sameRow) {
      this.wholeOpen = false;
      const object = rowAsObject(run.columns, values);
      this.text = prettyJson(object);
      setText(
        this.caption,
        `Row ${(row + 1).toLocaleString('en-US')} of ${plural(run.kept?.rowCount ?? run.rows.length, 'row')} (query order)`,
      );
      this.json.replaceChildren(jsonTree(object));
    }
    this.element.hidden = false;
    this.refresh(!sameRow);
  }

  /** The investigation's marks changed: the star button says the event's. */
  refreshMark(): void {
    this.actions.refreshMark();
  }

  /** The host's answer about one whole event. */
  showWhole(message: WholeEventAnswer): void {
    this.events.answer(message);
  }

  /** Draws what depends on the whole event: the buttons and, when asked for, the event itself. */
  private refresh(retry: boolean): void {
    const shown = this.shown;
    if (shown === undefined) return;
    const { run, values, eventId } = shown;
    // The host looks the event up among those the cell read, which it holds once the run has ended.
    const whole = eventId === undefined || run.status === 'running' ? undefined : this.events.get(run.runId, eventId, retry);
    this.actions.show({ runId: run.runId, row: rowAsObject(run.columns, values), eventId, whole });
    this.whole.disabled = whole === undefined;
    this.whole.title =
      eventId === undefined
        ? 'Select eventID in the query to look up the whole event'
        : whole === undefined
          ? 'The whole event can be looked up once the run has ended'
          : 'Show every column of this event, as stored';
    this.wholeSection.hidden = !this.wholeOpen || whole === undefined;
    if (!this.wholeOpen || whole === undefined) return;
    switch (whole.kind) {
      case 'asked':
        setText(this.wholeCaption, displayText(`Whole event ${eventId}: looking it up…`));
        this.wholeJson.replaceChildren();
        this.wholeText = '';
        break;
      case 'failed':
        setText(this.wholeCaption, displayText(`Whole event ${eventId}: ${whole.error}`));
        this.wholeJson.replaceChildren();
        this.wholeText = '';
        break;
      case 'found':
        setText(this.wholeCaption, displayText(`Whole event ${eventId}, every column as stored`));
        this.wholeText = prettyJson(whole.event);
        this.wholeJson.replaceChildren(jsonTree(whole.event));
        break;
    }
  }
}
