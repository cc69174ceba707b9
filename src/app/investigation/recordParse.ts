// Reads an investigation record back: the header and every entry Trailbook appended, so the
// editor can reopen an investigation (its starred events drawn on the timeline again) and
// the evidence can cover all of it. Lines a person added between entries are kept out of
// the entries, not refused; an entry whose fields cannot be read is named by its line.
import { ENTRY_WORDS, RECORD_FORMAT, type CellRunEntry, type EventMarkEntry, type RecordEntry, type RecordHeader } from './record';
import { readCodeSpan, readProse, readQuoted } from './recordText';

export interface RecordProblem {
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export interface ParsedRecord {
  readonly header: RecordHeader | undefined;
  readonly entries: readonly RecordEntry[];
  readonly problems: readonly RecordProblem[];
}

interface Block {
  /** 1-based line of the entry's heading. */
  readonly line: number;
  readonly heading: string;
  readonly body: readonly string[];
}

/** Splits the text at `### ` headings outside fenced blocks and block quotes. */
function blocks(lines: readonly string[]): { preamble: string[]; blocks: Block[] } {
  const preamble: string[] = [];
  const found: { line: number; heading: string; body: string[] }[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    if (fence !== undefined) {
      if (new RegExp(`^ {0,3}${fence}\`*\\s*$`).test(line)) fence = undefined;
    } else {
      const open = /^ {0,3}(`{3,})/.exec(line);
      if (open) fence = open[1];
      else if (line.startsWith('### ')) {
        found.push({ line: index + 1, heading: line.slice(4), body: [] });
        return;
      }
    }
    (found.at(-1)?.body ?? preamble).push(line);
  });
  return { preamble, blocks: found };
}

/** The code spans of `text` in order, with the text between them (trimmed). */
function spans(text: string): { values: string[]; between: string[] } {
  const values: string[] = [];
  const between: string[] = [];
  let rest = text;
  let gap = '';
  while (rest.length > 0) {
    const span = rest.startsWith('`') ? readCodeSpan(rest) : undefined;
    if (span) {
      between.push(gap.trim());
      gap = '';
      values.push(span.value);
      rest = span.rest;
    } else {
      gap += rest[0];
      rest = rest.slice(1);
    }
  }
  between.push(gap.trim());
  return { values, between };
}

function fields(body: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of body) {
    const [, name, value] = /^- ([A-Za-z0-9 -]+): (.*)$/.exec(line) ?? [];
    if (name !== undefined && value !== undefined && !found.has(name)) found.set(name, value);
  }
  return found;
}

const only = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const { values, between } = spans(text);
  return values.length === 1 && between.every((b) => b === '') ? values[0] : undefined;
};

function quoted(body: readonly string[]): string | undefined {
  const start = body.findIndex((line) => line.startsWith('>'));
  if (start < 0) return undefined;
  const lines: string[] = [];
  for (const line of body.slice(start)) {
    if (!line.startsWith('>')) break;
    lines.push(line);
  }
  return readQuoted(lines);
}

function sqlOf(body: readonly string[]): string | undefined {
  const start = body.findIndex((line) => /^`{3,}sql\s*$/.test(line));
  const opening = body[start];
  if (start < 0 || opening === undefined) return undefined;
  const fence = /^`+/.exec(opening)![0];
  const end = body.findIndex((line, i) => i > start && new RegExp(`^${fence}\`*\\s*$`).test(line));
  return body.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The entry, why it cannot be read, or undefined for a heading of the person's own (no time first). */
function entryOf(block: Block): RecordEntry | string | undefined {
  const { values, between } = spans(block.heading);
  const at = values[0];
  if (at === undefined || between[0] !== '') return undefined;
  if (Number.isNaN(Date.parse(at))) return `${at} is not a time`;
  const words = (between[1] ?? '').replace(/^·\s*/, '');
  const f = fields(block.body);
  switch (words) {
    case ENTRY_WORDS.run: {
      const cellId = values[1];
      const runbook = only(f.get('Runbook'));
      const status = only(f.get('Status'));
      const source = only(f.get('Source'));
      const rows = /^(\d+)( \(truncated at the row limit\))?$/.exec(f.get('Rows') ?? '');
      if (cellId === undefined || runbook === undefined || status === undefined || source === undefined || !rows)
        return 'a cell run needs its cell, Runbook, Status, Source and Rows';
      const entry: CellRunEntry = {
        kind: 'run',
        at,
        runbook,
        cellId,
        status,
        source,
        rowCount: Number(rows[1]),
        truncated: rows[2] !== undefined,
        ...optional('runbookSha256', only(f.get('Runbook SHA-256'))),
        ...optional('account', only(f.get('Account'))),
        ...optional('window', windowOf(f.get('Window'))),
        ...optional('resultSha256', only(f.get('Result SHA-256'))),
        ...optional('error', only(f.get('Error'))),
        ...optional('sql', sqlOf(block.body)),
      };
      return entry;
    }
    case ENTRY_WORDS.event: {
      const [, tag, eventId] = values;
      if (tag === undefined || eventId === undefined) return 'a marked event needs its tag and eventID in code spans';
      const entry: EventMarkEntry = {
        kind: 'event',
        at,
        tag,
        eventId,
        ...optional('eventTime', only(f.get('Event time'))),
        ...optional('eventName', only(f.get('Event'))),
        ...optional('principal', only(f.get('Principal'))),
        ...optional('sourceIp', only(f.get('Source IP'))),
        ...optional('cellId', only(f.get('Cell'))),
        ...optional('note', quoted(block.body)),
      };
      return entry;
    }
    case ENTRY_WORDS.pivot: {
      const fromCell = values[1];
      const [pivot, value, newCell, runbook] = ['Pivot', 'Value', 'New cell', 'Runbook'].map((name) => only(f.get(name)));
      if (fromCell === undefined || pivot === undefined || value === undefined || newCell === undefined || runbook === undefined)
        return 'a pivot needs its cell, Pivot, Value, New cell and Runbook';
      return { kind: 'pivot', at, fromCell, pivot, value, newCell, runbook };
    }
    case ENTRY_WORDS.note:
    case ENTRY_WORDS.decision:
      return { kind: words === ENTRY_WORDS.note ? 'note' : 'decision', at, text: quoted(block.body) ?? '' };
    default:
      return `"${words}" is not a kind of entry (${Object.values(ENTRY_WORDS).join(', ')})`;
  }
}

/** A Window field: `start` `end` `label`, all three or it is not one. */
function windowOf(text: string | undefined): { start: string; end: string; label: string } | undefined {
  if (text === undefined) return undefined;
  const [start, end, label, ...more] = spans(text).values;
  return start !== undefined && end !== undefined && label !== undefined && more.length === 0 ? { start, end, label } : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function headerOf(preamble: readonly string[]): RecordHeader | undefined {
  const title = preamble.find((line) => line.startsWith('# Investigation: '));
  const f = fields(preamble);
  const runbook = only(f.get('Runbook'));
  const openedAt = only(f.get('Opened'));
  if (title === undefined || runbook === undefined || openedAt === undefined || only(f.get('Format')) !== RECORD_FORMAT) return undefined;
  return { title: readProse(title.slice('# Investigation: '.length)), runbook, openedAt };
}

export function parseRecord(text: string): ParsedRecord {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const split = blocks(lines);
  const header = headerOf(split.preamble);
  const problems: RecordProblem[] = header
    ? []
    : [
        {
          line: 1,
          message: `not an investigation record: the header (# Investigation: …, Runbook, Opened, Format ${RECORD_FORMAT}) is missing or changed`,
        },
      ];
  const entries: RecordEntry[] = [];
  for (const block of split.blocks) {
    const entry = entryOf(block);
    if (entry === undefined) continue;
    if (typeof entry === 'string') problems.push({ line: block.line, message: `entry skipped: ${entry}` });
    else entries.push(entry);
  }
  return { header, entries, problems };
}

/** The latest mark of each event (a later tag or note replaces an earlier one), in the order first marked. */
export function markedEvents(entries: readonly RecordEntry[]): EventMarkEntry[] {
  const byId = new Map<string, EventMarkEntry>();
  for (const entry of entries) if (entry.kind === 'event') byId.set(entry.eventId, entry);
  return [...byId.values()];
}
