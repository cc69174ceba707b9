// What one does next with the selected event: copy the identifiers one pastes elsewhere
// (ARN, access key, IP, event id), or pivot, which asks the host to add the next cell to
// the runbook ("everything this principal did", "±15 minutes around it", …) and run it.
// A row with an eventID offers every pivot: they read the whole stored event (which the
// host looks up by eventID), not only the columns the cell selected; the row's own columns
// win where both have one (`newKey AS accessKeyId` means that key). A button is disabled
// only when neither has what it needs (src/protocol/pivotValues.ts, as the host reads it),
// and its title says why.
import { displayText } from '../protocol/displayText';
import { pivotValue, type PivotKind, type PivotRow } from '../protocol/pivotValues';
import type { EventMark, ResultValue } from '../protocol/results';
import { h } from './dom';
import type { PostToHost } from './hostApi';
import type { WholeEventState } from './wholeEvents';

interface CopySpec {
  readonly testId: string;
  readonly label: string;
  /** Read as the pivot of this kind reads it; the event id is the row's own. */
  readonly kind: PivotKind | 'eventId';
}

const COPIES: readonly CopySpec[] = [
  { testId: 'copy-arn', label: 'ARN', kind: 'principal' },
  { testId: 'copy-access-key', label: 'Access key', kind: 'accessKey' },
  { testId: 'copy-ip', label: 'IP', kind: 'sourceIp' },
  { testId: 'copy-event-id', label: 'Event id', kind: 'eventId' },
];

interface PivotSpec {
  readonly kind: PivotKind;
  readonly label: string;
  /** What the row must have, in words for the disabled button's title. */
  readonly needs: string;
}

const PIVOTS: readonly PivotSpec[] = [
  { kind: 'principal', label: 'Everything this principal did', needs: 'a principal ARN (userIdentity.arn)' },
  { kind: 'accessKey', label: '… this access key did', needs: 'an access key id (userIdentity.accessKeyId)' },
  { kind: 'sourceIp', label: '… this IP did', needs: 'a source IP (sourceIPAddress)' },
  { kind: 'around', label: '±15 minutes around it', needs: 'an eventTime' },
  { kind: 'resource', label: '… on this resource', needs: 'a resource ARN (resources)' },
];

/** The selected event as the buttons read it. */
export interface ActionTarget {
  readonly runId: string;
  /** The row by column. */
  readonly row: { readonly [column: string]: ResultValue };
  readonly eventId: string | undefined;
  /** The whole event, when the row has an eventID and the run has ended (the host can look it up then). */
  readonly whole: WholeEventState | undefined;
}

/** The row read over the whole event: the row's own columns win. */
export function pivotSource(target: ActionTarget): PivotRow {
  return target.whole?.kind === 'found' ? { ...target.whole.event, ...target.row } : target.row;
}

export class EventActions {
  readonly element: HTMLElement;
  private readonly copies = new Map<string, HTMLButtonElement>();
  private readonly pivots = new Map<PivotKind, HTMLButtonElement>();
  private readonly status = h('span', { className: 'action-status', attrs: { 'data-testid': 'pivot-status', role: 'status' } });
  private target: ActionTarget | undefined;
  private values = new Map<string, string>();
  /** A pivot clicked while the whole event was still on its way: sent when it arrives. */
  private pending: PivotKind | undefined;
  private readonly star: HTMLButtonElement;
  private readonly tag: HTMLButtonElement;

  constructor(
    private readonly post: PostToHost,
    private readonly markOf: (eventId: string | undefined) => EventMark | undefined,
  ) {
    // Starring or tagging goes into the investigation record; the host asks for the note.
    this.star = h('button', { className: 'button star', text: '★ Star', attrs: { type: 'button', 'data-testid': 'star-event' } });
    this.star.addEventListener('click', () => this.mark('star'));
    this.tag = h('button', { className: 'button', text: 'Tag…', attrs: { type: 'button', 'data-testid': 'tag-event' } });
    this.tag.addEventListener('click', () => this.mark('tag'));
    const markGroup = h(
      'span',
      { className: 'action-group' },
      h('span', { className: 'action-label', text: 'Investigation' }),
      this.star,
      this.tag,
    );
    const copyGroup = h('span', { className: 'action-group' }, h('span', { className: 'action-label', text: 'Copy' }));
    for (const spec of COPIES) {
      const button = h('button', { className: 'button', text: spec.label, attrs: { type: 'button', 'data-testid': spec.testId } });
      button.addEventListener('click', () => {
        const text = this.values.get(spec.testId);
        if (text !== undefined) this.post({ type: 'copy', text });
      });
      this.copies.set(spec.testId, button);
      copyGroup.append(button);
    }
    const pivotGroup = h('span', { className: 'action-group' }, h('span', { className: 'action-label', text: 'Pivot' }));
    for (const spec of PIVOTS) {
      const button = h('button', {
        className: 'button pivot',
        text: spec.label,
        attrs: { type: 'button', 'data-testid': `pivot-${spec.kind}` },
      });
      button.addEventListener('click', () => this.pivot(spec.kind));
      this.pivots.set(spec.kind, button);
      pivotGroup.append(button);
    }
    this.element = h('div', { className: 'event-actions' }, markGroup, pivotGroup, copyGroup, this.status);
  }

  show(target: ActionTarget): void {
    if (target.runId !== this.target?.runId || target.eventId !== this.target?.eventId) this.pending = undefined;
    this.target = target;
    const source = pivotSource(target);
    const waiting = target.whole?.kind === 'asked';
    this.values = new Map();
    for (const spec of COPIES) {
      const value = spec.kind === 'eventId' ? target.eventId : pivotValue(source, spec.kind);
      const button = this.copies.get(spec.testId)!;
      button.disabled = value === undefined;
      button.title =
        value === undefined
          ? waiting
            ? 'Looking up the whole event…'
            : `This event has no ${spec.label.toLowerCase()}`
          : `Copy ${displayText(value)}`;
      if (value !== undefined) this.values.set(spec.testId, value);
    }
    // The same reading of the row as the host's, which builds the cell: enabled means it can.
    for (const spec of PIVOTS) {
      const value = pivotValue(source, spec.kind);
      const button = this.pivots.get(spec.kind)!;
      // While the whole event is on its way, every pivot is offered: a click waits for it.
      button.disabled = value === undefined && !waiting;
      button.title =
        value !== undefined
          ? `Add a cell below this one for ${displayText(value)}, and run it`
          : waiting
            ? 'Reads the whole event, being looked up by eventID'
            : `Needs ${spec.needs} in the event`;
    }
    const mark = this.markOf(target.eventId);
    for (const button of [this.star, this.tag]) button.disabled = target.eventId === undefined;
    this.star.textContent = mark === undefined ? '★ Star' : `★ ${displayText(mark.tag)}`;
    this.star.classList.toggle('marked', mark !== undefined);
    this.star.setAttribute('aria-pressed', String(mark !== undefined));
    this.star.title =
      target.eventId === undefined
        ? 'Select eventID in the cell to star its events: the record names an event by its eventID'
        : mark === undefined
          ? 'Star this event in the investigation record, with a note'
          : displayText(`In the investigation as ${mark.tag}${mark.note ? `: ${mark.note}` : ''}. Click to star it again with a new note`, {
              lineBreaks: true,
            });
    this.tag.title =
      target.eventId === undefined ? this.star.title : 'Tag this event (suspicious, benign, …) in the investigation record, with a note';
    this.status.textContent = statusText(target);
    if (this.pending !== undefined && !waiting) {
      const kind = this.pending;
      this.pending = undefined;
      if (pivotValue(source, kind) !== undefined) this.send(kind);
    }
  }

  /** Re-reads the mark of the event shown (the record changed). */
  refreshMark(): void {
    if (this.target !== undefined) this.show(this.target);
  }

  private mark(how: 'star' | 'tag'): void {
    const target = this.target;
    if (target?.eventId === undefined) return;
    this.post({
      type: 'markEvent',
      runId: target.runId,
      eventId: target.eventId,
      how,
      row: pivotSource(target) as { readonly [column: string]: ResultValue },
    });
  }

  private pivot(kind: PivotKind): void {
    const target = this.target;
    if (target === undefined) return;
    if (target.whole?.kind === 'asked' && pivotValue(pivotSource(target), kind) === undefined) {
      this.pending = kind;
      this.status.textContent = 'Looking up the whole event for this pivot…';
      return;
    }
    this.send(kind);
  }

  private send(kind: PivotKind): void {
    const target = this.target;
    if (target === undefined) return;
    this.post({ type: 'pivot', runId: target.runId, kind, row: pivotSource(target) as { readonly [column: string]: ResultValue } });
  }
}

function statusText(target: ActionTarget): string {
  if (target.eventId === undefined) return 'Pivots read this row only: select eventID in the cell to pivot from the whole event';
  switch (target.whole?.kind) {
    case undefined:
      return 'Pivots read the whole event once the run has ended';
    case 'asked':
      return 'Looking up the whole event…';
    case 'found':
      return '';
    case 'failed':
      return displayText(`Pivots read this row only: ${target.whole.error}`);
  }
}
