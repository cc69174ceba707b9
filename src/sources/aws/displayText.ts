// Text that a server or a setting chose, shown inside one of our messages: an endpoint's
// error message, an error code, a URL. Whoever runs the endpoint writes it, so it is bounded
// (a page of HTML must not become the error) and every character that could hide or reorder
// what is around it (controls, line breaks, bidi overrides and isolates, zero-width and
// line/paragraph separators) is shown escaped as \u{…}, never obeyed by the terminal or editor.

/** C0 and C1 controls, DEL, bidi marks/embeddings/overrides/isolates, zero-width characters, U+2028/U+2029, BOM. */
const HIDING = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

export const DISPLAY_LIMIT = 300;

export function displayText(text: string, limit: number = DISPLAY_LIMIT): string {
  const escaped = text.replace(HIDING, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  if (escaped.length <= limit) return escaped;
  // Cut on a code point, never inside a surrogate pair.
  return `${Array.from(escaped).slice(0, limit).join('')}… (${escaped.length - limit} more characters)`;
}
