// How a value that someone else wrote is shown: CloudTrail fields (userAgent, resource names,
// error messages) are written by whoever calls AWS, attackers included, and runbooks arrive
// in pull requests. A character that is invisible or reorders the text around it (a bidi
// override turns `exe.‮txt` around, a zero-width space splits a name without showing, ESC[2J
// clears a terminal) is shown as a visible `\u202E` token instead of being obeyed.
//
// Shared by the host (CLI, Markdown a pivot writes) and the webview (table, detail, timeline),
// so one list decides what is hidden everywhere. No DOM, no node.
//
// A backslash already in the value is left alone, so `\u202E` typed as six characters reads
// the same as an escaped override in plain text; the webview styles real escapes apart. That
// ambiguity hides nothing, while doubling every backslash would garble Windows paths and regexes.

export interface DisplayPart {
  readonly text: string;
  /** The part is one escape token standing for a hidden character. */
  readonly escaped: boolean;
}

export interface DisplayOptions {
  /** Keep `\n` and `\r` (places that show several lines: a terminal, a tooltip, pretty JSON). */
  readonly lineBreaks?: boolean;
  /** Keep `\t` (a terminal, a tooltip). */
  readonly tab?: boolean;
  /** The text is JSON: write tokens JSON reads back (a surrogate pair rather than `\u{E0041}`). */
  readonly json?: boolean;
}

/**
 * Hidden characters: controls (C0, DEL, C1: ESC starts terminal sequences), format characters
 * (bidi marks, embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069, U+200E/F,
 * U+061C; zero-width U+200B–U+200D, U+2060, U+FEFF; soft hyphen; the tag characters
 * U+E0000–U+E007F that smuggle invisible ASCII), line and paragraph separators U+2028/U+2029,
 * lone surrogates, and the Hangul fillers that render as blank letters.
 */
const CLASS = '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\u115f\\u1160\\u3164\\uffa0]';
/** Global, for matchAll (which copies it, lastIndex 0). Never used with test(): that moves lastIndex. */
const HIDDEN = new RegExp(CLASS, 'gu');
const ANY_HIDDEN = new RegExp(CLASS, 'u');
const HIDDEN_ONE = new RegExp(`^${CLASS}$`, 'u');

/** True when `ch` (one code point) is one of the hidden characters. */
export function isHiddenCharacter(ch: string): boolean {
  return HIDDEN_ONE.test(ch);
}

/** True when the text holds a character that would be escaped (with every option off). */
export function hasHiddenCharacters(text: string): boolean {
  return ANY_HIDDEN.test(text);
}

/** `\u202E`; above U+FFFF `\u{E0041}`, or as a JSON surrogate pair. */
export function escapeToken(codePoint: number, json = false): string {
  if (codePoint <= 0xffff) return `\\u${hex4(codePoint)}`;
  if (!json) return `\\u{${codePoint.toString(16).toUpperCase()}}`;
  const offset = codePoint - 0x10000;
  return `\\u${hex4(0xd800 + (offset >> 10))}\\u${hex4(0xdc00 + (offset & 0x3ff))}`;
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

function kept(ch: string, options: DisplayOptions): boolean {
  if (ch === '\n' || ch === '\r') return options.lineBreaks === true;
  if (ch === '\t') return options.tab === true;
  return false;
}

/** The text as plain parts and escape tokens, in order; one plain part when nothing is hidden. */
export function displayParts(text: string, options: DisplayOptions = {}): DisplayPart[] {
  if (!hasHiddenCharacters(text)) return [{ text, escaped: false }];
  const parts: DisplayPart[] = [];
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(HIDDEN)) {
    const ch = match[0];
    plain += text.slice(last, match.index);
    last = match.index + ch.length;
    if (kept(ch, options)) {
      plain += ch;
      continue;
    }
    if (plain !== '') parts.push({ text: plain, escaped: false });
    plain = '';
    parts.push({ text: escapeToken(ch.codePointAt(0)!, options.json), escaped: true });
  }
  plain += text.slice(last);
  if (plain !== '' || parts.length === 0) parts.push({ text: plain, escaped: false });
  return parts;
}

/** The text with every hidden character written as its escape token. */
export function displayText(text: string, options: DisplayOptions = {}): string {
  if (!hasHiddenCharacters(text)) return text;
  return displayParts(text, options)
    .map((part) => part.text)
    .join('');
}

/**
 * `JSON.stringify` output with the hidden characters it leaves raw (DEL, C1, bidi, zero-width,
 * U+2028/U+2029) escaped too: the same JSON value, safe to print or paste. Only string contents
 * can hold such characters, so the structure (newlines and indentation) is untouched.
 */
export function displayJson(json: string): string {
  return displayText(json, { lineBreaks: true, tab: true, json: true });
}
