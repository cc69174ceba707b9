// The investigation record: a Markdown file in the workspace that collects, as the person
// works, each cell run, the events they star or tag, the pivots they take, and their notes
// and decisions (docs/investigations.md). It is written for review in a pull request:
// a fixed header, then one `### time · what` section per entry, only ever appended, so a
// diff shows what was added and nothing earlier moves. Rows are never written, only their
// count and hash (src/app/evidence.ts). Every value from outside goes through recordText.ts.
import { codeSpan, fencedBlock, proseLine, quotedBlock } from './recordText';

export const RECORD_FORMAT = 'trailbook-investigation/1';

export interface RecordHeader {
  readonly title: string;
  /** The runbook it started from, as the workspace names it (`runbooks/keys.md`). */
  readonly runbook: string;
  /** ISO-8601. */
  readonly openedAt: string;
}

export interface CellRunEntry {
  readonly kind: 'run';
  readonly at: string;
  readonly runbook: string;
  readonly runbookSha256?: string;
  readonly cellId: string;
  readonly status: string;
  readonly source: string;
  readonly account?: string;
  readonly window?: { readonly start: string; readonly end: string; readonly label: string };
  readonly rowCount: number;
  readonly truncated: boolean;
  readonly resultSha256?: string;
  readonly error?: string;
  readonly sql?: string;
}

/** An event the person starred (tag `starred`) or tagged, with their note. */
export interface EventMarkEntry {
  readonly kind: 'event';
  readonly at: string;
  readonly eventId: string;
  readonly tag: string;
  readonly note?: string;
  readonly cellId?: string;
  readonly eventTime?: string;
  readonly eventName?: string;
  readonly principal?: string;
  readonly sourceIp?: string;
}

export interface PivotEntry {
  readonly kind: 'pivot';
  readonly at: string;
  readonly pivot: string;
  readonly fromCell: string;
  readonly newCell: string;
  readonly value: string;
  readonly runbook: string;
}

export interface NoteEntry {
  readonly kind: 'note' | 'decision';
  readonly at: string;
  readonly text: string;
}

export type RecordEntry = CellRunEntry | EventMarkEntry | PivotEntry | NoteEntry;

export const STARRED = 'starred';

/** The words after the time in an entry's heading, one per kind: the parser reads them back. */
export const ENTRY_WORDS = { run: 'Ran', event: 'Marked', pivot: 'Pivoted from', note: 'Note', decision: 'Decision' } as const;

const MARKER = `<!-- ${RECORD_FORMAT}: Trailbook appends entries below; earlier entries are not rewritten -->`;

export function renderHeader(header: RecordHeader): string {
  return [
    `# Investigation: ${proseLine(header.title)}`,
    '',
    MARKER,
    '',
    `- Runbook: ${codeSpan(header.runbook)}`,
    `- Opened: ${codeSpan(header.openedAt)}`,
    `- Format: ${codeSpan(RECORD_FORMAT)}`,
    '',
    '## Log',
    '',
  ].join('\n');
}

const item = (name: string, value: string): string => `- ${name}: ${value}`;

/** One entry as Markdown lines: its heading, its fields, then its text (note) or SQL. */
export function renderEntry(entry: RecordEntry): string[] {
  const at = codeSpan(entry.at);
  switch (entry.kind) {
    case 'run': {
      const lines = [`### ${at} · ${ENTRY_WORDS.run} ${codeSpan(entry.cellId)}`, ''];
      lines.push(item('Runbook', codeSpan(entry.runbook)));
      if (entry.runbookSha256) lines.push(item('Runbook SHA-256', codeSpan(entry.runbookSha256)));
      lines.push(item('Status', codeSpan(entry.status)));
      lines.push(item('Source', codeSpan(entry.source)));
      if (entry.account) lines.push(item('Account', codeSpan(entry.account)));
      if (entry.window)
        lines.push(item('Window', `${codeSpan(entry.window.start)} to ${codeSpan(entry.window.end)} (${codeSpan(entry.window.label)})`));
      lines.push(item('Rows', `${entry.rowCount}${entry.truncated ? ' (truncated at the row limit)' : ''}`));
      if (entry.resultSha256) lines.push(item('Result SHA-256', codeSpan(entry.resultSha256)));
      if (entry.error) lines.push(item('Error', codeSpan(entry.error)));
      if (entry.sql !== undefined) lines.push('', ...fencedBlock(entry.sql, 'sql'));
      return lines;
    }
    case 'event': {
      const lines = [`### ${at} · ${ENTRY_WORDS.event} ${codeSpan(entry.tag)} ${codeSpan(entry.eventId)}`, ''];
      if (entry.eventTime) lines.push(item('Event time', codeSpan(entry.eventTime)));
      if (entry.eventName) lines.push(item('Event', codeSpan(entry.eventName)));
      if (entry.principal) lines.push(item('Principal', codeSpan(entry.principal)));
      if (entry.sourceIp) lines.push(item('Source IP', codeSpan(entry.sourceIp)));
      if (entry.cellId) lines.push(item('Cell', codeSpan(entry.cellId)));
      if (entry.note !== undefined && entry.note.trim() !== '') lines.push('', ...quotedBlock(entry.note));
      return lines;
    }
    case 'pivot':
      return [
        `### ${at} · ${ENTRY_WORDS.pivot} ${codeSpan(entry.fromCell)}`,
        '',
        item('Pivot', codeSpan(entry.pivot)),
        item('Value', codeSpan(entry.value)),
        item('New cell', codeSpan(entry.newCell)),
        item('Runbook', codeSpan(entry.runbook)),
      ];
    case 'note':
    case 'decision':
      return [`### ${at} · ${ENTRY_WORDS[entry.kind]}`, '', ...quotedBlock(entry.text)];
  }
}

/** A new record: the header and its first entries. */
export function newRecord(header: RecordHeader, entries: readonly RecordEntry[] = []): string {
  return entries.reduce((text, entry) => appendEntry(text, entry), renderHeader(header));
}

/**
 * `text` with `entry` added at its end: nothing before it changes (a person's own lines
 * between entries included), and there is exactly one blank line before the new entry.
 */
export function appendEntry(text: string, entry: RecordEntry): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = renderEntry(entry).join(eol);
  const trimmed = text.replace(/(\r?\n)*$/, '');
  return `${trimmed}${trimmed === '' ? '' : `${eol}${eol}`}${body}${eol}`;
}
