// Text that a server or a setting chose, quoted inside one of our messages: an endpoint's
// error message, an error code, a URL. Whoever runs the endpoint writes it, so it is bounded
// (a page of HTML must not become the error), and its hidden characters are escaped by the
// one list every face uses (protocol/displayText).
import { displayText as escapeHidden } from '../../protocol/displayText';

export const DISPLAY_LIMIT = 300;

export function displayText(text: string, limit: number = DISPLAY_LIMIT): string {
  const escaped = escapeHidden(text);
  if (escaped.length <= limit) return escaped;
  // Cut on a code point, never inside a surrogate pair.
  return `${Array.from(escaped).slice(0, limit).join('')}… (${escaped.length - limit} more characters)`;
}
