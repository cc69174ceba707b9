// Text someone else wrote, put in the DOM with its hidden characters (bidi overrides,
// zero-width spaces, controls) as escape tokens that are styled apart, so a real `\u202E`
// escape and the six characters `\u202E` in a value do not look the same.
import { displayParts, type DisplayOptions, type DisplayPart } from '../protocol/displayText';
import { h } from './dom';

const TOKEN_TITLE = 'A hidden character (control, bidi or zero-width) in the value, shown as its code';

/** Nodes for `parts`: plain text as text, tokens as `<span class="escaped">`. */
export function partNodes(parts: readonly DisplayPart[]): (HTMLElement | string)[] {
  return parts.map((part) => (part.escaped ? h('span', { className: 'escaped', text: part.text, title: TOKEN_TITLE }) : part.text));
}

/** Nodes for a value, escaped. */
export function shownNodes(text: string, options: DisplayOptions = {}): (HTMLElement | string)[] {
  return partNodes(displayParts(text, options));
}

/** Sets an element's content to the value, escaped; cheap when nothing is hidden. */
export function setShownText(element: Element, text: string, options: DisplayOptions = {}): void {
  const parts = displayParts(text, options);
  const [only, ...more] = parts;
  if (only !== undefined && more.length === 0 && !only.escaped) {
    if (element.textContent !== text || element.childElementCount > 0) element.textContent = text;
    return;
  }
  element.replaceChildren(...partNodes(parts));
}
