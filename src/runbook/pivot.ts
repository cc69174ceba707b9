// Pivots: from one result row to a new cell that asks "what else did this principal /
// key / IP do, what happened around this moment, what touched this resource?". Pure text in,
// text out, so the editor (which inserts the cell) and the tests share it.
//
// The new cell is Markdown a reviewer will read and re-run, so the value it pivots on must
// stay a value in three languages at once:
// - SQL: every piece of the value goes through sqlLiteral, never spliced;
// - Markdown: the SQL sits inside a fence, so no line break may come from the value (a
//   value line starting with ``` would close the fence and turn the rest into prose);
// - runbook references: `{{x}}` inside the value must not be seen as a reference (inside a
//   string it is "reference-in-string", a warning) when the runbook is parsed again.
// - what a reviewer sees: a bidi override or a zero-width space inside a literal would make
//   the diff read differently from the value it matches (protocol/displayText.ts lists them).
// (NUL is left to sqlLiteral, which refuses it: DuckDB strings cannot hold it.)
// So a value with line breaks, `{{` or hidden characters is written as literals joined by
// `||` with chr(n) for those characters: `'a{' || '{b' || chr(10) || 'c'`. Both DuckDB and
// Trino have chr and ||, and the result is exactly the original text. The heading shows the
// value with those characters as visible `\u202E` codes.
import { displayText, isHiddenCharacter } from '../protocol/displayText';
import { availablePivots, PIVOT_COLUMNS, PIVOT_KINDS, pivotValues, type PivotKind, type PivotRow } from '../protocol/pivotValues';
import type { Runbook } from './types';
import { sqlLiteral } from './sqlLiteral';
import { parseTimestamp } from './window';

export { availablePivots, pivotValues, PIVOT_KINDS, type PivotKind, type PivotRow };

export interface PivotCell {
  readonly kind: PivotKind;
  /** The heading as a reader sees it (the Markdown holds it escaped). */
  readonly heading: string;
  /** Unique among the runbook's cell and action ids. */
  readonly id: string;
  /** `### heading`, a blank line, then the fenced cell, ending with a newline. */
  readonly markdown: string;
  /** The value pivoted on (for `around`, the event time as ISO-8601). */
  readonly value: string;
}

/** What a row lacks, in words for the person who clicked. */
export interface PivotError {
  readonly kind: PivotKind;
  readonly error: string;
}

export type PivotResult = PivotCell | PivotError;

export interface PivotOptions {
  /** The value to use when the row offers several (e.g. one of many resource ARNs); must be one of pivotValues(). */
  readonly value?: string;
  /** Half-width of the `around` window in minutes (default 15). */
  readonly aroundMinutes?: number;
}

export const AROUND_MINUTES = 15;

/** Columns every pivot returns: enough to read the story and to pivot again from it. */
const COLUMNS = [
  'eventTime',
  'eventSource',
  'eventName',
  'userIdentity.arn AS actor',
  'userIdentity.accessKeyId AS accessKeyId',
  'sourceIPAddress',
  'awsRegion',
  'errorCode',
  'resources',
  'eventID',
];

/** How each pivot speaks of its value; which columns hold it is src/protocol/pivotValues.ts. */
interface KindSpec {
  /** Base of the new cell's id. */
  readonly id: string;
  /** What the value is, in an error message. */
  readonly noun: string;
  readonly hint: string;
}

const KINDS: Record<PivotKind, KindSpec> = {
  principal: { id: 'pivot-principal', noun: 'principal ARN', hint: 'select userIdentity.arn AS actor in the cell' },
  accessKey: { id: 'pivot-access-key', noun: 'access key ID', hint: 'select userIdentity.accessKeyId in the cell' },
  sourceIp: { id: 'pivot-source-ip', noun: 'source IP address', hint: 'select sourceIPAddress in the cell' },
  around: { id: 'pivot-around', noun: 'event time', hint: 'select eventTime in the cell' },
  resource: { id: 'pivot-resource', noun: 'resource ARN', hint: 'select resources in the cell' },
};

/** The cell to insert below `cellId` for a pivot on `row`, or why the row cannot give one. */
export function buildPivot(
  runbook: Pick<Runbook, 'cells' | 'actions'>,
  cellId: string | undefined,
  row: PivotRow,
  kind: PivotKind,
  options: PivotOptions = {},
): PivotResult {
  const spec = KINDS[kind];
  if (!spec) return { kind, error: `unknown pivot ${JSON.stringify(kind)}; use one of ${PIVOT_KINDS.join(', ')}` };
  const values = pivotValues(row, kind);
  const [first] = values;
  if (first === undefined) {
    const { columns, identityField } = PIVOT_COLUMNS[kind];
    const names = [...columns, ...(identityField !== undefined ? [`userIdentity (with .${identityField})`] : [])];
    return { kind, error: `this row has no ${spec.noun} to pivot on: it needs a non-empty column ${names.join(', ')}; ${spec.hint}` };
  }
  if (options.value !== undefined && !values.includes(options.value)) {
    return { kind, error: `${JSON.stringify(options.value)} is not a ${spec.noun} of this row (it has ${values.length})` };
  }
  const value = options.value ?? first;
  const current = cellId === undefined ? undefined : runbook.cells.find((c) => c.id === cellId);
  const id = uniqueId(spec.id, [...runbook.cells.map((c) => c.id), ...(runbook.actions ?? []).map((a) => a.id)]);

  let where: string;
  let heading: string;
  const attributes = [`id=${id}`];
  try {
    switch (kind) {
      case 'principal':
        where = `userIdentity.arn = ${markdownSafeLiteral(value)}`;
        heading = `Pivot: everything ${shown(value)} did`;
        break;
      case 'accessKey':
        where = `userIdentity.accessKeyId = ${markdownSafeLiteral(value)}`;
        heading = `Pivot: everything access key ${shown(value)} did`;
        break;
      case 'sourceIp':
        where = `sourceIPAddress = ${markdownSafeLiteral(value)}`;
        heading = `Pivot: everything from ${shown(value)}`;
        break;
      case 'resource':
        // Trino's any_match/transform take lambdas DuckDB macros cannot; filter + cardinality
        // is the form both engines run (see trinoFunctions.ts, UNSUPPORTED_TRINO_FUNCTIONS).
        where = `cardinality(filter(resources, r -> r.arn = ${markdownSafeLiteral(value)})) > 0`;
        heading = `Pivot: everything on ${shown(value)}`;
        break;
      case 'around': {
        const at = parseTimestamp(value);
        if (!at)
          return { kind, error: `the row's ${spec.noun} ${JSON.stringify(clip(value, 40))} is not an ISO-8601 timestamp with a time zone` };
        const minutes = options.aroundMinutes ?? AROUND_MINUTES;
        if (!(minutes > 0 && minutes <= 7 * 24 * 60))
          return { kind, error: `aroundMinutes must be between 0 and one week, not ${minutes}` };
        const start = new Date(at.getTime() - minutes * 60_000);
        const end = new Date(at.getTime() + minutes * 60_000);
        // eventTime is text; comparing instants (not strings) also holds for offsets other than Z.
        where = `from_iso8601_timestamp(eventTime) BETWEEN from_iso8601_timestamp(${sqlLiteral(start)}) AND from_iso8601_timestamp(${sqlLiteral(end)})`;
        heading = `Pivot: everything within ${minutes} minutes of ${shown(value)}`;
        // The cell's own window makes every backend fetch just this span (LookupEvents'
        // StartTime/EndTime); its end is exclusive, BETWEEN's is not, hence the extra millisecond.
        attributes.push(`window=${start.toISOString()}/${new Date(end.getTime() + 1).toISOString()}`);
        break;
      }
    }
  } catch (error) {
    // sqlLiteral refuses what it cannot write exactly (a NUL character).
    return { kind, error: `cannot pivot on this ${spec.noun}: ${(error as Error).message}` };
  }
  // A pivot asks the same backend as the cell it came from.
  if (current?.source !== undefined) attributes.push(`source=${current.source}`);

  const sql = [
    `SELECT ${COLUMNS.slice(0, 4).join(', ')},`,
    `       ${COLUMNS.slice(4).join(', ')}`,
    'FROM cloudtrail_logs',
    `WHERE ${where}`,
    'ORDER BY eventTime',
  ].join('\n');
  const markdown = `### ${escapeMarkdown(heading)}\n\n\`\`\`cloudtrail ${attributes.join(' ')}\n${sql}\n\`\`\`\n`;
  return { kind, heading, id, markdown, value };
}

/** `base`, else `base-2`, `base-3`, …: the first not taken (ids compare without case, as a reader would). */
export function uniqueId(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((id) => id.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
}

/**
 * The 0-based line after which a pivot from `cellId` goes: the cell's closing fence (or its
 * last line if it is never closed). Undefined when the runbook has no such cell.
 */
export function pivotInsertLine(runbook: Pick<Runbook, 'cells'>, cellId: string): number | undefined {
  return runbook.cells.find((c) => c.id === cellId)?.endLine;
}

/**
 * `text` with `markdown` inserted after line `afterLine`, a blank line before it and, when
 * the next line is not blank, one after it. Keeps the text's line breaks (\r\n stays \r\n).
 */
export function insertPivot(text: string, afterLine: number, markdown: string): string {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = text.split(/\r\n|\r|\n/);
  const at = Math.min(Math.max(afterLine + 1, 0), lines.length);
  const block = markdown.replace(/\n$/, '').split('\n');
  const next = lines[at];
  const trailingEmpty = at === lines.length - 1 && next === '';
  const insert = ['', ...block, ...(next !== undefined && next.trim() !== '' ? [''] : [])];
  if (at === lines.length || trailingEmpty) {
    // At the end of the file: keep exactly one final newline.
    return [...lines.slice(0, at), ...insert, ''].join(eol);
  }
  return [...lines.slice(0, at), ...insert, ...lines.slice(at)].join(eol);
}

// ---------------------------------------------------------------- literals in Markdown

/**
 * A SQL expression equal to `value` that, written inside a ```cloudtrail fence, stays on
 * one line, holds no `{{` and no invisible controls. A plain value is just sqlLiteral(value).
 */
export function markdownSafeLiteral(value: string): string {
  const parts: string[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push(sqlLiteral(text));
    text = '';
  };
  for (const ch of value) {
    // Line breaks would end the SQL line and could close the fence (editors also rewrite \r
    // and U+2028); other hidden characters make the SQL a reviewer sees differ from what runs.
    // NUL stays in the text for sqlLiteral to refuse; a lone surrogate has no UTF-8 form, so
    // no chr() could give it back.
    if (isHiddenCharacter(ch) && ch !== '\0') {
      if (/^\p{Cs}$/u.test(ch))
        throw new RangeError(`cannot use a value with a lone surrogate (U+${ch.charCodeAt(0).toString(16).toUpperCase()}) in SQL`);
      flush();
      parts.push(`chr(${ch.codePointAt(0)})`);
    } else {
      // Splitting between two braces keeps `{{` out of the text: no reference, no warning.
      if (ch === '{' && text.endsWith('{')) flush();
      text += ch;
    }
  }
  flush();
  if (parts.length === 0) return sqlLiteral('');
  return parts.join(' || ');
}

// ---------------------------------------------------------------- headings

const HEADING_VALUE_MAX = 80;

/**
 * A value for a heading: one line, every hidden character (NUL included) as its visible code,
 * at most 80 characters, trimmed as Markdown trims headings. Escaped before flattening, so a
 * U+2028 or U+FEFF shows as its code and not as a space.
 */
function shown(value: string): string {
  const flat = displayText(value, { lineBreaks: true, tab: true }).replace(/\s+/g, ' ').trim();
  return clip(flat, HEADING_VALUE_MAX);
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/**
 * Backslash before every character Markdown (with HTML on, as the parser reads it) could
 * take as markup, so the heading shows the value as text. CommonMark lets any ASCII
 * punctuation be escaped; `:`, `/`, `.` and `-` are left alone for readability, which is
 * safe because the value never starts the heading line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#!|~&]/g, (ch) => `\\${ch}`).replace(/^(\s*)([-+])/, '$1\\$2');
}
