// Every place any of several byte strings (needles) occurs in a text, in one pass that skips
// most of the text: the multi-needle form of Horspool's search (after Wu and Manber), on
// blocks of two bytes. The window is as long as the shortest needle; the two bytes at its end
// say how far the window can move on before it could end inside one of the needles. So the
// longer the shortest needle, the more it skips: over the bench's 1.6 GB of log text, four
// names of 11 or more characters took 0.7-1.1 s, where a regular expression over the text as a
// string took 1.6 s after 1.2 s spent making the string.

/** The shortest needle a scan takes: below this it cannot skip enough to be worth it (two-byte blocks need two). */
export const SCAN_MIN_NEEDLE = 2;

/**
 * A scan for `needles` (each at least SCAN_MIN_NEEDLE bytes): calls `found` with the index of
 * each needle at each place it occurs, overlapping ones included, in order of where they end
 * roughly; stops when `found` returns true.
 */
export function needleScan(needles: readonly Uint8Array[]): (text: Uint8Array, found: (needle: number) => boolean) => void {
  // A reduce, not Math.min(...): a cell's IN list can hold more strings than a call takes arguments.
  const window = needles.reduce((shortest, needle) => Math.min(shortest, needle.length), Infinity);
  if (!(window >= SCAN_MIN_NEEDLE)) throw new Error(`needleScan: every needle needs ${SCAN_MIN_NEEDLE} bytes or more`);
  const block = (a: number, b: number): number => (a << 8) | b;
  // How far the window may move when it ends in a block: past every place the block has in
  // the first `window` bytes of a needle, where a window ending there could still hold it.
  const shift = new Uint8Array(65536).fill(Math.min(window - 1, 255));
  // The needles whose first `window` bytes end in a block: checked where a window ends in it.
  const endingIn = new Map<number, number[]>();
  needles.forEach((needle, index) => {
    for (let end = 1; end < window; end++) {
      const at = block(needle[end - 1]!, needle[end]!);
      shift[at] = Math.min(shift[at]!, window - 1 - end);
    }
    const last = block(needle[window - 2]!, needle[window - 1]!);
    // Pushed, not copied: a long IN list's strings can share a few endings (200,000 addresses
    // took 0.6 s to copy so).
    const ending = endingIn.get(last);
    if (ending) ending.push(index);
    else endingIn.set(last, [index]);
  });
  return (text, found) => {
    const length = text.length;
    let end = window - 1;
    while (end < length) {
      const at = block(text[end - 1]!, text[end]!);
      const skip = shift[at]!;
      if (skip > 0) {
        end += skip;
        continue;
      }
      const start = end - window + 1;
      for (const index of endingIn.get(at)!) {
        const needle = needles[index]!;
        if (start + needle.length > length) continue;
        let same = 0;
        while (same < needle.length && text[start + same] === needle[same]) same++;
        if (same === needle.length && found(index)) return;
      }
      end += 1;
    }
  };
}
