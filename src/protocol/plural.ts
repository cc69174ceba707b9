// Counts in messages people read, worded once for every face: the CLI, the editor's
// summaries and the results view say `1 row`, `2,310 rows` alike.

/**
 * `2,310`: a whole number's digits grouped as toLocaleString('en-US') groups them, without
 * its first call's cost (loading ICU's locale data: ~15 ms of every `trailbook run`).
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const grouped = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** `1 file`, `2,310 files`. */
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}
