// The test a log file's raw text must pass to be read for a cell whose WHERE requires strings
// (engine/requiredValues.ts): see valuePrefilter.ts. Shared by the search threads
// (searchThread.ts) and the tests.
import type { RequiredValues } from '../../engine/requiredValues';
import { needleScan } from './needleScan';

/**
 * Several strings, the shortest this long or longer: one skipping pass for all of them
 * (needleScan.ts). Otherwise one `indexOf` a string. Measured over the bench's 1.6 GB of log
 * text: the pass took 0.7-1.0 s for strings of 9 to 12 bytes and 1.6 s at 6, but 2.0-2.6 s
 * at 4 and 5, where `indexOf` took 0.16-0.9 s a string (V8 looks for a short string's first
 * byte, fast when that byte is rare, and skips through a long one as the pass does).
 */
const ONE_PASS_FROM = 6;

/** JSON's escapes that can spell a character a required string holds (no `"`, `\\` or control character): `\u0041`, `\/`. */
const UNICODE_ESCAPE = Buffer.from('\\u');
const SLASH_ESCAPE = Buffer.from('\\/');

/**
 * A test of a file's text (its bytes, as read and inflated): true when it holds, for every
 * conjunct, one of its strings (as UTF-8 bytes), or an escape of a character one of them
 * holds. Only such an escape can hide a string from the search: `\u0026` (`&`, which some
 * writers escape, as in the Stratus Red Team's logs) cannot spell `StopLogging`, and a search
 * that read every file holding one would read most files of a real trail.
 */
export function searcher(required: RequiredValues): (text: Buffer) => boolean {
  if (required.length === 0) return () => true;
  const conjunctsOf = new Map<string, number[]>();
  required.forEach((values, i) => {
    for (const value of values) conjunctsOf.set(value, [...(conjunctsOf.get(value) ?? []), i]);
  });
  const values = [...conjunctsOf.keys()];
  const needles = values.map((value) => Buffer.from(value, 'utf8'));
  const onePass = needles.length > 1 && needles.every((needle) => needle.length >= ONE_PASS_FROM);
  const holdsAll = onePass ? inOnePass() : oneByOne();
  const mayHideOne = escapesOf(values);
  return (text) => mayHideOne(text) || holdsAll(text);

  function inOnePass(): (text: Buffer) => boolean {
    const scan = needleScan(needles);
    const conjuncts = needles.map((_, index) => conjunctsOf.get(values[index]!)!);
    return (text) => {
      const met = new Uint8Array(required.length);
      let left = required.length;
      scan(text, (index) => {
        for (const i of conjuncts[index]!) {
          if (met[i] === 1) continue;
          met[i] = 1;
          left--;
        }
        return left === 0;
      });
      return left === 0;
    };
  }

  function oneByOne(): (text: Buffer) => boolean {
    const conjuncts = required.map((values) => values.map((value) => Buffer.from(value, 'utf8')));
    return (text) => conjuncts.every((strings) => strings.some((string) => text.includes(string)));
  }
}

/** Whether a text holds an escape of a character (a UTF-16 code unit, as `\\u` counts them) of `values`. */
function escapesOf(values: readonly string[]): (text: Buffer) => boolean {
  const held = new Set<number>();
  for (const value of values) for (let i = 0; i < value.length; i++) held.add(value.charCodeAt(i));
  const slash = held.has('/'.charCodeAt(0));
  return (text) => {
    if (slash && text.includes(SLASH_ESCAPE)) return true;
    for (let at = text.indexOf(UNICODE_ESCAPE); at !== -1; at = text.indexOf(UNICODE_ESCAPE, at + 1)) {
      const digits = text.toString('latin1', at + 2, at + 6);
      // Not four hex digits: no escape DuckDB's reader takes, but counted as one, erring towards reading the file.
      if (!/^[0-9a-fA-F]{4}$/.test(digits) || held.has(Number.parseInt(digits, 16))) return true;
    }
    return false;
  };
}
