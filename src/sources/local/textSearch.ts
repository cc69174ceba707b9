// The test a log file's raw text must pass to be read for a cell whose WHERE requires strings
// (engine/requiredValues.ts): see valuePrefilter.ts. Shared by the search threads
// (searchThread.ts) and the tests.
import type { RequiredValues } from '../../engine/requiredValues';

/**
 * A test of a file's text: true when it holds, for every conjunct, one of its strings (as
 * UTF-8 bytes), or an escape that could spell one.
 */
export function searcher(required: RequiredValues): (latin1: string) => boolean {
  if (required.length === 0) return () => true;
  const conjunctsOf = new Map<string, number[]>();
  required.forEach((values, i) => {
    for (const value of values) {
      const bytes = Buffer.from(value, 'utf8').toString('latin1');
      conjunctsOf.set(bytes, [...(conjunctsOf.get(bytes) ?? []), i]);
    }
  });
  const escapes = ['\\u', '\\/'];
  const alternatives = [...escapes, ...[...conjunctsOf.keys()].sort((a, b) => b.length - a.length)];
  const pattern = alternatives.map((text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return (latin1) => {
    const found = new RegExp(pattern, 'g');
    const met = new Set<number>();
    for (let match = found.exec(latin1); match !== null; match = found.exec(latin1)) {
      const [text] = match;
      if (escapes.includes(text)) return true;
      for (const i of conjunctsOf.get(text) ?? []) met.add(i);
      if (met.size === required.length) return true;
      // One character on, not past the match: `AB` and `BC` are both found in `ABC`.
      found.lastIndex = match.index + 1;
    }
    return false;
  };
}
