// The table's filter box: a row matches when every word typed appears somewhere in it
// (any column, any case). Pure: no DOM.
import { filterWords } from '../protocol/keptResult';
import type { ResultValue } from '../protocol/results';

/** The words of the filter, lower-cased; empty when there is nothing to filter by (the host splits a kept result's filter alike). */
export const filterTerms = filterWords;

function valueText(value: ResultValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value).toLowerCase();
}

export function rowMatches(row: readonly ResultValue[], terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  let remaining = terms;
  for (const value of row) {
    const text = valueText(value);
    if (text === '') continue;
    remaining = remaining.filter((term) => !text.includes(term));
    if (remaining.length === 0) return true;
  }
  return false;
}
