// How values are written into an investigation record (and read back). The record is
// Markdown a reviewer reads on GitHub, and much of what goes in is attacker-controlled:
// CloudTrail fields (eventName, ARNs, user agents) are written by whoever calls AWS, and
// runbook titles and cell ids arrive in pull requests. So nothing from outside is written
// as Markdown: values go in code spans (which render neither links, HTML nor emphasis),
// free text (a person's note) has every markup character backslash-escaped, and SQL goes
// in a fence longer than any backtick run inside it. Each form reads back exactly.
import { displayText } from '../../protocol/displayText';

/** One line, hidden characters as visible codes (`\u202E`), so a value cannot start a new line of Markdown. */
export function oneLine(value: string): string {
  return displayText(value);
}

/**
 * An inline code span holding `value` as shown (one line): the fence is one backtick longer
 * than any run inside, padded with a space when the value starts or ends with a backtick.
 */
export function codeSpan(value: string): string {
  const flat = oneLine(value);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  // Padded when it starts or ends with a backtick or a space (or is empty): the reader takes one space off each end.
  const pad = flat === '' || /^[ `]|[ `]$/.test(flat) ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** The value of a code span at the start of `text`, and what follows it; undefined when `text` does not start with one. */
export function readCodeSpan(text: string): { readonly value: string; readonly rest: string } | undefined {
  const open = /^`+/.exec(text);
  if (!open) return undefined;
  const ticks = open[0];
  // The closing run is exactly as long as the opening one (CommonMark).
  const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, 'g');
  close.lastIndex = ticks.length;
  const found = close.exec(text);
  if (!found) return undefined;
  let value = text.slice(ticks.length, found.index);
  if (value.length >= 2 && value.startsWith(' ') && value.endsWith(' ')) value = value.slice(1, -1);
  return { value, rest: text.slice(found.index + ticks.length) };
}

/** What Markdown or GitHub could read as markup anywhere in a line: links, images, HTML, entities, emphasis, code, tables, math. */
const MARKUP = /[\\`*_{}[\]()<>#!|~&$@]/g;

/**
 * Free text of one line as Markdown text that shows as typed: markup characters escaped
 * (`@` too: GitHub links `a@b.c`), `www.` and `://` broken by an escape (GitHub links them
 * even in plain text; an escaped character is a text node of its own, which its link
 * matching does not join), and a line-start list or heading marker escaped.
 */
export function proseLine(text: string): string {
  return oneLine(text)
    .replace(MARKUP, (ch) => `\\${ch}`)
    .replace(/(www)\./gi, '$1\\.')
    .replace(/:\/\//g, '\\://')
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)\./, '$1\\.');
}

/** The text proseLine wrote. */
export function readProse(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/**
 * Several lines of free text (a note) as a block quote, each line escaped: the quote keeps
 * whatever the text holds inside it, so it cannot end the entry or start another.
 */
export function quotedBlock(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
  // A line break inside a paragraph is a hard break (a trailing backslash), so the note reads as typed.
  return lines.map((line, i) => {
    const escaped = proseLine(line.replace(/\t/g, '    '));
    if (escaped === '') return '>';
    const next = lines[i + 1];
    return `> ${escaped}${next !== undefined && next.trim() !== '' ? '\\' : ''}`;
  });
}

/** The text quotedBlock wrote, from its lines (each starting with `>`). */
export function readQuoted(lines: readonly string[]): string {
  return lines
    .map((line) => line.replace(/^>\s?/, ''))
    .map((line) => (/(?<!\\)(\\\\)*\\$/.test(line) ? line.slice(0, -1) : line))
    .map(readProse)
    .join('\n');
}

/** A fenced block longer than any backtick run inside, so the text cannot close it. */
export function fencedBlock(text: string, info: string): string[] {
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...body.split('\n').map((line) => displayText(line, { tab: true })), fence];
}
