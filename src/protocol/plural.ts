// Counts in messages people read, worded once for every face: the CLI, the editor's
// summaries and the results view say `1 row`, `2,310 rows` alike.

/** `1 file`, `2,310 files`. */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
