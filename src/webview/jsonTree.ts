// The selected event as a folded JSON tree: each object and array is a <details>, the
// first levels open, deeper ones (requestParameters, sessionContext) closed until asked.
// Built only from text nodes, so the tree's textContent is JSON of the event's exact value,
// and a folded node says what it hides (` … } 4 keys`) through CSS, not through its text.
// Hidden characters in keys and strings (bidi overrides, zero-width) are written as JSON's
// own \uXXXX escapes, styled apart: still the same JSON value, but nothing reorders or hides.
import type { ResultValue } from '../protocol/results';
import { h } from './dom';
import { shownNodes } from './shownText';

/** Levels open at first: the row, and the structs directly in it (userIdentity). */
const OPEN_DEPTH = 2;

export function jsonTree(value: ResultValue): HTMLElement {
  return h('div', { className: 'json-tree' }, node(undefined, value, 0, false));
}

function node(key: string | undefined, value: ResultValue, depth: number, comma: boolean): HTMLElement {
  const label = key === undefined ? [] : [h('span', { className: 'j-key' }, ...shownNodes(JSON.stringify(key), { json: true })), ': '];
  const tail = comma ? ',' : '';
  if (value === null || typeof value !== 'object' || isEmpty(value)) {
    return h('div', { className: 'j-line' }, ...label, scalar(value), tail);
  }
  const isArray = Array.isArray(value);
  const entries: [string | undefined, ResultValue][] = isArray ? value.map((item) => [undefined, item]) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  const hidden = `${entries.length} ${isArray ? 'item' : 'key'}${entries.length === 1 ? '' : 's'}`;
  const summary = h('summary', { className: 'j-line', attrs: { 'data-folded': ` … ${close}${tail} ${hidden}` } }, ...label, open);
  const body = h('div', { className: 'j-body' }, ...entries.map(([k, v], i) => node(k, v, depth + 1, i < entries.length - 1)));
  const details = h('details', { className: 'j-node' }, summary, body, h('div', { className: 'j-line' }, close + tail));
  details.open = depth < OPEN_DEPTH;
  return details;
}

function isEmpty(value: ResultValue[] | { [key: string]: ResultValue }): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function scalar(value: ResultValue): HTMLElement {
  const kind = value === null ? 'null' : Array.isArray(value) || typeof value === 'object' ? 'json' : typeof value;
  return h('span', { className: `j-${kind}` }, ...shownNodes(JSON.stringify(value), { json: true }));
}
