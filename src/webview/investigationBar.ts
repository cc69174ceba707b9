// The active investigation over the results: its name, how many events are marked, and
// its notes and decisions (folded), so the person sees what the record holds while they
// work. Everything shown is text (textContent): a note or a tag is never parsed as HTML.
import { displayText } from '../protocol/displayText';
import { plural } from '../protocol/plural';
import type { EventMark, InvestigationMessage } from '../protocol/results';
import { h, setText } from './dom';

export class InvestigationBar {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly notes: HTMLElement;
  private marks = new Map<string, EventMark>();

  constructor() {
    this.summary = h('summary', { className: 'investigation-summary', attrs: { 'data-testid': 'investigation-summary' } });
    this.notes = h('ol', { className: 'investigation-notes', attrs: { 'data-testid': 'investigation-notes' } });
    this.element = h(
      'details',
      { className: 'investigation-bar', attrs: { 'data-testid': 'investigation-bar' } },
      this.summary,
      this.notes,
    );
    this.element.hidden = true;
  }

  /** The mark of an event in the active investigation. */
  markOf(eventId: string | undefined): EventMark | undefined {
    return eventId === undefined ? undefined : this.marks.get(eventId);
  }

  get marked(): ReadonlyMap<string, EventMark> {
    return this.marks;
  }

  update(message: InvestigationMessage): void {
    this.marks = new Map(message.marks.map((mark) => [mark.eventId, mark]));
    this.element.hidden = message.title === undefined;
    if (message.title === undefined) return;
    const last = message.notes[message.notes.length - 1];
    const lastText = last === undefined ? '' : ` · last ${last.kind}: ${firstLine(last.text)}`;
    setText(
      this.summary,
      displayText(
        `Investigation: ${message.title} · ★ ${plural(message.marks.length, 'event')} marked · ${plural(message.notes.length, 'note')}${lastText}`,
      ),
    );
    this.summary.title = message.record === undefined ? '' : displayText(`Recorded in ${message.record}`);
    this.notes.replaceChildren(
      ...message.notes.map((note) =>
        h('li', {
          className: `investigation-note ${note.kind}`,
          text: displayText(`${note.at.slice(0, 19).replace('T', ' ')} ${note.kind === 'decision' ? 'Decision' : 'Note'}: ${note.text}`, {
            lineBreaks: true,
          }),
        }),
      ),
      ...message.marks.map((mark) =>
        h('li', {
          className: 'investigation-mark',
          text: displayText(`★ ${mark.tag} ${mark.eventId}${mark.note ? `: ${mark.note}` : ''}`, { lineBreaks: true }),
        }),
      ),
    );
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
