// Hidden characters in values (bidi overrides, zero-width, controls, ANSI escapes) are shown
// as visible codes everywhere a value is shown: one function (protocol/displayText.ts), used
// by the webview's table, detail and timeline, and by the CLI's table and json outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayJson, displayParts, displayText, escapeToken, hasHiddenCharacters } from '../../src/protocol/displayText';
import { formatCell, prettyJson } from '../../src/webview/formatValue';
import { topLanes } from '../../src/webview/timeline/laneGrouping';
import { csvText, toTable } from '../../src/app/output';
import { formatProblem, terminalText } from '../../src/cli/text';
import { renderRuns } from '../../src/cli/renderRuns';
import { statusLine } from '../../src/cli/statusLine';
import type { CellRun } from '../../src/app/runbookRunner';
import type { RunbookCell } from '../../src/runbook/types';

/** Every character the issue names, one of each range's ends and middle. */
const HIDDEN = [
  ...'\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c',
  ...'\u200b\u200c\u200d\u2060\ufeff\u2028\u2029',
  ...'\u0000\u0001\u0007\u0008\u000b\u000c\u001b\u001f\u007f',
  ...'\u0080\u0085\u009b\u009f',
];

test('every hidden character becomes its visible \\uXXXX code, and nothing else changes', () => {
  for (const ch of HIDDEN) {
    const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    assert.equal(displayText(`a${ch}b`), `a\\u${code}b`, `U+${code}`);
  }
  const plain = 'arn:aws:iam::111122223333:user/bob ünïcødé 🚀 中文 C:\\temp\\ \u00a0';
  assert.equal(displayText(plain), plain);
  assert.equal(hasHiddenCharacters(plain), false);
  // Tag characters smuggle invisible ASCII; lone surrogates render as nothing useful.
  assert.equal(displayText('x\u{E0041}\u{E007F}'), 'x\\u{E0041}\\u{E007F}');
  assert.equal(displayText('a\ud800b'), 'a\\uD800b');
  assert.equal(displayText('\u3164'), '\\u3164', 'a Hangul filler renders as a blank letter');
});

test('the RLO trick: evil.exe cannot read as something else', () => {
  const shown = displayText('invoice\u202egpj.exe');
  assert.equal(shown, 'invoice\\u202Egpj.exe');
  assert.ok(!hasHiddenCharacters(shown));
});

test('an ANSI sequence cannot clear a terminal: ESC is shown as a code in terminal text', () => {
  assert.equal(terminalText('x\u001b[2J\u001b]0;title\u0007y'), 'x\\u001B[2J\\u001B]0;title\\u0007y');
  assert.equal(terminalText('line one\n\tline two\r\n'), 'line one\n\tline two\r\n', 'line breaks and tabs stay');
});

test('options keep line breaks and tabs where several lines are shown', () => {
  assert.equal(displayText('a\nb\tc'), 'a\\u000Ab\\u0009c');
  assert.equal(displayText('a\nb\tc', { lineBreaks: true }), 'a\nb\\u0009c');
  assert.equal(displayText('a\nb\tc', { tab: true }), 'a\\u000Ab\tc');
});

test('parts mark each token, so the webview can style it apart from a typed backslash', () => {
  assert.deepEqual(displayParts('plain'), [{ text: 'plain', escaped: false }]);
  assert.deepEqual(displayParts(''), [{ text: '', escaped: false }]);
  assert.deepEqual(displayParts('\\u202E\u202e'), [
    { text: '\\u202E', escaped: false },
    { text: '\\u202E', escaped: true },
  ]);
  assert.deepEqual(displayParts('\u200b\u200b'), [
    { text: '\\u200B', escaped: true },
    { text: '\\u200B', escaped: true },
  ]);
});

test('JSON mode: the escaped text is JSON of exactly the same value', () => {
  const value = { 'k\u202ey': ['a\u2028b', 'tag\u{E0041}', '\u0085\u007f\u200d', 'ok\n\t"\\'] };
  const pretty = JSON.stringify(value, null, 2);
  const shown = displayJson(pretty);
  assert.ok(!hasHiddenCharacters(shown.replace(/[\n]/g, '')), shown);
  assert.deepEqual(JSON.parse(shown), value);
  assert.equal(escapeToken(0xe0041, true), '\\uDB40\\uDC41');
  assert.deepEqual(JSON.parse(prettyJson(value)), value, 'the detail copies the same value');
  assert.ok(!prettyJson(value).includes('\u202e'));
});

test('table cells: escaped, styled parts, cut without splitting a token, title escaped too', () => {
  const cell = formatCell('file\u202egpj.exe');
  assert.equal(cell.text, 'file\\u202Egpj.exe');
  assert.deepEqual(cell.parts, [
    { text: 'file', escaped: false },
    { text: '\\u202E', escaped: true },
    { text: 'gpj.exe', escaped: false },
  ]);
  assert.equal(formatCell('plain').parts, undefined, 'the common cell needs no parts');
  const cut = formatCell('abcd\u200bxyz', 8);
  assert.equal(cut.text, 'abcd…', 'a token that does not fit is dropped whole');
  assert.equal(cut.title, 'abcd\\u200Bxyz');
  const lines = formatCell('a\u2028b\nc');
  assert.equal(lines.text, 'a\\u2028b c');
  assert.equal(lines.title, 'a\\u2028b\nc');
  const json = formatCell({ 'a\u202e': 'b\u0085' });
  assert.equal(json.text, '{"a\\u202E":"b\\u0085"}');
  assert.deepEqual(JSON.parse(json.text), { 'a\u202e': 'b\u0085' });
});

test('timeline lanes are labelled with the escaped value', () => {
  const { lanes } = topLanes(['arn:aws:iam::1:user/\u202eevil', 'bob'], [3, 1], 5);
  assert.deepEqual(
    lanes.map((lane) => lane.label),
    ['arn:aws:iam::1:user/\\u202Eevil', 'bob'],
  );
});

const cell = (id: string, heading?: string): RunbookCell => ({ id, heading, fenceLine: 0 }) as unknown as RunbookCell;
const run = (columns: string[], rows: CellRun['rows'], extra: Partial<CellRun> = {}): CellRun =>
  ({
    cell: cell('c1', 'Head\u001b[2J'),
    status: 'ok',
    columns,
    rows,
    truncated: false,
    elapsedMs: 1,
    notes: [],
    problems: [],
    ...extra,
  }) as CellRun;

test('trailbook run: the table escapes values, headings and notes; json and ndjson keep the exact values as escapes; csv keeps them raw', () => {
  const hostile = 'evil\u202e\u001b[2J\u2028\u0085x';
  const runs = [run(['v\u200b', 'n'], [[hostile, 1]], { notes: ['read \u001b[31mred'] })];
  const table = renderRuns('r.md', runs, 'table');
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u2028\u202e]/.test(table), JSON.stringify(table));
  assert.match(table, /evil\\u202E\\u001B\[2J\\u2028\\u0085x/);
  assert.match(table, /── c1 · Head\\u001B\[2J ──/);
  assert.match(table, /v\\u200B/);
  assert.match(table, /read \\u001B\[31mred/);
  assert.equal(toTable(['a'], [['x\u2028y']]).split('\n')[2], 'x\\u2028y', 'a separator shows as its code, not as a space');

  const json = renderRuns('r.md', runs, 'json');
  assert.ok(!/[\u001b\u0085\u2028\u202e\u200b]/.test(json));
  assert.deepEqual(JSON.parse(json).cells[0].rows, [{ 'v\u200b': hostile, n: 1 }]);
  const ndjson = renderRuns('r.md', runs, 'ndjson');
  assert.equal(ndjson.split('\n').length, 2, 'one line per row: U+2028 and NEL cannot split it');
  assert.ok(!/[\u001b\u0085\u2028\u202e]/.test(ndjson));
  assert.deepEqual(JSON.parse(ndjson), { cell: 'c1', 'v\u200b': hostile, n: 1 });
  // CSV is data for programs: the value as it is, quoted as RFC 4180 asks.
  assert.equal(csvText(['v'], [['a\u202e,b']]), 'v\r\n"a\u202e,b"\r\n');
});

test('lint problems are one line each and escaped', () => {
  const line = formatProblem('r.md', { line: 2, severity: 'error', code: 'sql', message: 'bad {{x\u202e}}\n\u001b[2Jmore' });
  assert.equal(line, 'r.md:3: error: bad {{x\\u202E}}\\u000A\\u001B[2Jmore');
});

test("a failed cell's status line escapes the error it quotes", () => {
  const failed = run([], [], { status: 'error', error: { message: "Could not convert string 'x\u001b[2J\u202e' to INT", line: 0 } });
  assert.equal(statusLine(failed), "✗ c1 (line 1): Could not convert string 'x\\u001B[2J\\u202E' to INT");
});
