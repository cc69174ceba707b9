// The skipping search for several byte strings at once (sources/local/needleScan.ts) decides
// which log files a cold first answer reads: a place it misses is an event missing from the
// answer. So it is checked against the plainest search there is, on texts made to be hard:
// few letters (many near misses and overlaps), needles that share blocks, that end the text,
// that run past it, and one inside another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needleScan, SCAN_MIN_NEEDLE } from '../../src/sources/local/needleScan';

/** How often each needle occurs in the text, overlapping places included, found one place at a time. */
function plainCounts(text: Buffer, needles: readonly Buffer[]): number[] {
  return needles.map((needle) => {
    let count = 0;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) count++;
    return count;
  });
}

function scanCounts(text: Buffer, needles: readonly Buffer[]): number[] {
  const counts = needles.map(() => 0);
  needleScan(needles)(text, (index) => {
    counts[index]!++;
    return false;
  });
  return counts;
}

/** A small deterministic generator (the same cases on every run). */
function randomFrom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

test('the scan finds every place of every needle that a plain search finds, on texts of few letters', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const random = randomFrom(seed);
    const letters = 'ab"c\\d'.slice(0, 2 + random(5));
    const word = (length: number): string => Array.from({ length }, () => letters[random(letters.length)]).join('');
    const needles = Array.from({ length: 1 + random(5) }, () => Buffer.from(word(SCAN_MIN_NEEDLE + random(7))));
    const text = Buffer.from(word(random(300)) + (random(2) ? needles[random(needles.length)]!.toString() : ''));
    assert.deepEqual(
      scanCounts(text, needles),
      plainCounts(text, needles),
      `seed ${seed}: ${JSON.stringify({ text: text.toString(), needles: needles.map(String) })}`,
    );
  }
});

test('needles at the very start and end of the text, inside one another, longer than the text, and of UTF-8 bytes', () => {
  const cases: [string, string[]][] = [
    ['StopLogging', ['StopLogging', 'Stop', 'Logging']],
    ['xxStopLoggingStopLogging', ['StopLogging', 'ggingS']],
    ['Stop', ['StopLogging', 'Stop']],
    ['aaaaaa', ['aa', 'aaa']],
    ['arn:aws:iam::1:user/é ü', ['user/é', 'é ü', 'ü']],
    ['', ['ab']],
  ].map(([text, needles]) => [text as string, (needles as string[]).filter((n) => Buffer.byteLength(n) >= SCAN_MIN_NEEDLE)]);
  for (const [text, needles] of cases) {
    const bytes = Buffer.from(text);
    const buffers = needles.map((needle) => Buffer.from(needle));
    assert.deepEqual(scanCounts(bytes, buffers), plainCounts(bytes, buffers), `${text}: ${needles.join(', ')}`);
  }
});

test('the scan stops when told to, and refuses a needle it cannot skip with', () => {
  let calls = 0;
  needleScan([Buffer.from('ab')])(Buffer.from('ab ab ab'), () => ++calls === 2);
  assert.equal(calls, 2);
  assert.throws(() => needleScan([Buffer.from('abc'), Buffer.from('a')]), /2 bytes or more/);
});

test('a list of 200,000 strings (a cell with a long IN list of indicators) is searched, not refused', () => {
  const needles = Array.from({ length: 200_000 }, (_, i) => Buffer.from(`ioc-${i}-x`));
  const found: number[] = [];
  needleScan(needles)(Buffer.from('{"a":"ioc-7-x","b":"ioc-199999-x","c":"ioc-200000-x"}'), (index) => {
    found.push(index);
    return false;
  });
  assert.deepEqual(found, [7, 199_999]);
});
