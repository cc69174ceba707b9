// The filter box's answer for every row of one run, read once per change of the words and
// extended as rows arrive: the table lists the rows it keeps and the timeline draws only
// their events, so the one box filters both. Pure: no DOM.
import type { ResultValue } from '../protocol/results';
import { rowMatches } from './rowFilter';

export class FilterMask {
  /** 1 for a row the words keep; a new array whenever the words change (the painter keys on it). */
  mask = new Uint8Array(0);
  /** Rows read so far. */
  length = 0;
  matched = 0;
  private terms: readonly string[] = [];
  private termsKey = '';
  private rows: readonly (readonly ResultValue[])[] | undefined;

  /** Brings the mask up to date with these words and rows (a new Run's rows start over). */
  sync(rows: readonly (readonly ResultValue[])[], terms: readonly string[]): void {
    const key = terms.join('\u0000');
    if (key !== this.termsKey || rows !== this.rows) {
      this.termsKey = key;
      this.terms = terms;
      this.rows = rows;
      this.mask = new Uint8Array(Math.max(1024, rows.length));
      this.length = 0;
      this.matched = 0;
    }
    if (rows.length === this.length) return;
    if (rows.length > this.mask.length) {
      const grown = new Uint8Array(Math.max(rows.length, this.mask.length * 2));
      grown.set(this.mask.subarray(0, this.length));
      this.mask = grown;
    }
    for (let i = this.length; i < rows.length; i += 1) {
      const keep = rowMatches(rows[i]!, this.terms);
      this.mask[i] = keep ? 1 : 0;
      if (keep) this.matched += 1;
    }
    this.length = rows.length;
  }
}
