// Pivots: the inserted cell must be exactly one new, problem-free cell whatever the value
// holds; DuckDB's parser must see the same query structure for a hostile value as for a
// harmless one; and on real events each pivot must return what it says, checked against
// the Stratus files read independently here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { testDuckDB } from '../support/syntaxTree';
import { isHiddenCharacter } from '../../src/protocol/displayText';
import { parseRunbook } from '../../src/runbook/parse';
import {
  PIVOT_KINDS,
  availablePivots,
  buildPivot,
  insertPivot,
  markdownSafeLiteral,
  pivotInsertLine,
  pivotValues,
  uniqueId,
  type PivotCell,
  type PivotKind,
  type PivotResult,
  type PivotRow,
} from '../../src/runbook/pivot';
import { runRunbook } from '../../src/app/runbookRunner';
import { rowObject } from '../../src/app/output';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const BASE = `---
title: Base
params:
  user: { default: alice }
---

# Base

## Detect

\`\`\`cloudtrail id=detect
SELECT eventTime, userIdentity.arn AS actor FROM cloudtrail_logs WHERE userIdentity.userName = {{user}}
\`\`\`

Some prose after the cell.

\`\`\`cloudtrail id=later
SELECT 1
\`\`\`
`;

const HOSTILE = [
  "x' OR '1'='1",
  "'); DROP TABLE cloudtrail_logs; --",
  'line one\nline two -- not a comment\n',
  'a\r\nb\rc',
  '```\n## heading\n```cloudtrail id=evil\nSELECT 1\n```',
  '~~~\nfence',
  '`code` and ``` inline',
  '{{user}}',
  '{{detect.actor}} {{{x}}} }}{{',
  '{',
  '*/ OR 1=1 /*',
  '$$ OR 1=1 $$',
  "E'\\' OR 1=1 --",
  '"; SELECT 1; --',
  'C:\\temp\\',
  'ünïcødé 🚀 中文 \u202eevil\u202c \u2028sep\u2029 \u0085nel',
  '<script>alert(1)</script> [link](http://x) **bold** # hash |pipe|',
  '\t\u0001\u001b[31mred',
  // Every kind of hidden character: bidi, zero-width, BOM, separators, C1, a tag character.
  'evil\u202e\u2066\u2069\u200e\u200f\u061cgpj.exe \u200b\u200c\u200d\u2060\ufeff \u2028\u2029 \u009b2J \u{E0041} \u3164',
];

function ok(result: PivotResult): PivotCell {
  if ('error' in result) assert.fail(`expected a pivot, got: ${result.error}`);
  return result;
}

/** The runbook text with the pivot inserted under `detect`, and the runbook parsed again. */
function inserted(pivot: PivotCell, text = BASE) {
  const runbook = parseRunbook(text, 'base.md');
  const line = pivotInsertLine(runbook, 'detect');
  assert.notEqual(line, undefined);
  const next = insertPivot(text, line!, pivot.markdown);
  return { text: next, runbook: parseRunbook(next, 'base.md') };
}

const rowFor = (kind: PivotKind, value: string): PivotRow => {
  switch (kind) {
    case 'principal':
      return { actor: value };
    case 'accessKey':
      return { accessKeyId: value };
    case 'sourceIp':
      return { sourceIPAddress: value };
    case 'resource':
      return { resources: [{ ARN: value, accountId: '1', type: 'AWS::S3::Bucket' }] };
    case 'around':
      return { eventTime: value };
  }
};
const VALUE_KINDS: PivotKind[] = ['principal', 'accessKey', 'sourceIp', 'resource'];

const duckdb = testDuckDB();
/** DuckDB's syntax tree without positions, constants as '?'. */
const syntaxShape = async (sql: string): Promise<unknown> => (await duckdb.syntaxTree(sql)).shape;

/** The same layout of characters that need chr() or a split, every other character harmless. */
const skeleton = (value: string): string => [...value].map((ch) => (isHiddenCharacter(ch) || ch === '{' ? ch : 'x')).join('');

test('every kind inserts one cell, with its id and heading, after the closing fence, and the runbook stays clean', () => {
  const values: Record<PivotKind, string> = {
    principal: 'arn:aws:iam::111122223333:user/bob',
    accessKey: 'AKIAEXAMPLE123456789',
    sourceIp: '203.0.113.7',
    resource: 'arn:aws:s3:::bucket',
    around: '2024-07-30T21:31:21Z',
  };
  const before = parseRunbook(BASE, 'base.md');
  for (const kind of PIVOT_KINDS) {
    const pivot = ok(buildPivot(before, 'detect', rowFor(kind, values[kind]), kind));
    assert.equal(pivot.kind, kind);
    assert.equal(pivot.value, values[kind]);
    assert.match(pivot.markdown, /^### .+\n\n```cloudtrail id=[a-z-]+[^\n]*\nSELECT [\s\S]+\nORDER BY eventTime\n```\n$/);
    const { text, runbook } = inserted(pivot);
    assert.deepEqual(runbook.problems, [], text);
    assert.deepEqual(
      runbook.cells.map((c) => c.id),
      ['detect', pivot.id, 'later'],
    );
    const cell = itemAt(runbook.cells, 1);
    assert.equal(cell.heading, pivot.heading);
    assert.equal(cell.references.length, 0);
    // Right after the detect cell's closing fence, separated by a blank line.
    assert.equal(cell.fenceLine, itemAt(before.cells, 0).endLine + 4);
    assert.equal(text.split('\n')[itemAt(before.cells, 0).endLine + 1], '');
    // The text around is untouched.
    assert.ok(
      text.startsWith(
        BASE.split('\n')
          .slice(0, itemAt(before.cells, 0).endLine + 1)
          .join('\n'),
      ),
    );
    assert.ok(text.endsWith('\nSome prose after the cell.\n\n```cloudtrail id=later\nSELECT 1\n```\n'));
  }
});

test('headings say what and which value, escaped and cut short', () => {
  const rb = parseRunbook(BASE, 'base.md');
  assert.equal(
    ok(buildPivot(rb, 'detect', { arn: 'arn:aws:iam::1:user/bob' }, 'principal')).heading,
    'Pivot: everything arn:aws:iam::1:user/bob did',
  );
  assert.equal(ok(buildPivot(rb, 'detect', { ip: '1.2.3.4' }, 'sourceIp')).heading, 'Pivot: everything from 1.2.3.4');
  assert.equal(ok(buildPivot(rb, 'detect', { accessKeyId: 'AKIA1' }, 'accessKey')).heading, 'Pivot: everything access key AKIA1 did');
  assert.equal(
    ok(buildPivot(rb, 'detect', { resources: [{ arn: 'arn:aws:s3:::b' }] }, 'resource')).heading,
    'Pivot: everything on arn:aws:s3:::b',
  );
  assert.equal(
    ok(buildPivot(rb, 'detect', { eventTime: '2024-07-30T21:31:21Z' }, 'around')).heading,
    'Pivot: everything within 15 minutes of 2024-07-30T21:31:21Z',
  );
  const long = ok(buildPivot(rb, 'detect', { actor: `arn:${'a'.repeat(300)}` }, 'principal'));
  assert.ok(long.heading.length < 110);
  assert.match(long.heading, /a… did$/);
  const marked = ok(buildPivot(rb, 'detect', { actor: '**x** <b>y</b> `z` [l](u) # \\' }, 'principal'));
  assert.equal(marked.heading, 'Pivot: everything **x** <b>y</b> `z` [l](u) # \\ did');
  assert.match(marked.markdown, /^### Pivot: everything \\\*\\\*x\\\*\\\* \\<b\\>y\\<\/b\\> \\`z\\` \\\[l\\\]\\\(u\\\) \\# \\\\ did\n/);
});

test('hostile values: one new cell, no references or problems, same syntax tree as a harmless value, the value intact', async () => {
  const rb = parseRunbook(BASE, 'base.md');
  for (const kind of VALUE_KINDS) {
    const harmless = ok(buildPivot(rb, 'detect', rowFor(kind, 'harmless'), kind));
    const harmlessShape = await syntaxShape(itemAt(parseRunbook(inserted(harmless).text, 'b.md').cells, 1).sql);
    for (const value of HOSTILE) {
      const pivot = ok(buildPivot(rb, 'detect', rowFor(kind, value), kind));
      assert.equal(pivot.value, value);
      const { text, runbook } = inserted(pivot);
      const what = `${kind} ${JSON.stringify(value)}:\n${text}`;
      assert.deepEqual(runbook.problems, [], what);
      assert.deepEqual(
        runbook.cells.map((c) => c.id),
        ['detect', pivot.id, 'later'],
        what,
      );
      assert.deepEqual(runbook.actions, [], what);
      const cell = itemAt(runbook.cells, 1);
      assert.equal(cell.references.length, 0, what);
      assert.equal(cell.heading, pivot.heading, what);
      assert.ok(!cell.sql.includes('{{'), what);
      // No line of the SQL comes from the value: it is still the five lines written.
      assert.equal(cell.sql.split('\n').length, 5, what);
      // Structure: that of the same value with every ordinary character made harmless…
      const shape = await syntaxShape(cell.sql);
      assert.deepEqual(
        shape,
        await syntaxShape(
          itemAt(parseRunbook(inserted(ok(buildPivot(rb, 'detect', rowFor(kind, skeleton(value)), kind))).text, 'b.md').cells, 1).sql,
        ),
        what,
      );
      // …and exactly the harmless value's when nothing needed splitting.
      if (skeleton(value) === 'x'.repeat([...value].length)) assert.deepEqual(shape, harmlessShape, what);
      // The value expression, evaluated by DuckDB, is the value.
      const expression = itemAt(/(?:= |r\.arn = )(.*?)(?:\)\) > 0)?$/m.exec(itemAt(cell.sql.split('\n'), 3))!, 1);
      const reader = await duckdb.connection().runAndReadAll(`SELECT ${expression}`);
      assert.equal(itemAt(reader.getRowsJS(), 0)[0], value, what);
    }
  }
});

test('markdownSafeLiteral is sqlLiteral for plain text and splits only what it must', () => {
  assert.equal(markdownSafeLiteral("it's"), "'it''s'");
  assert.equal(markdownSafeLiteral(''), "''");
  assert.equal(markdownSafeLiteral('{{a}}'), "'{' || '{a}}'");
  assert.equal(markdownSafeLiteral('a\nb'), "'a' || chr(10) || 'b'");
  assert.equal(markdownSafeLiteral('\n'), 'chr(10)');
  assert.equal(markdownSafeLiteral('😀'), "'😀'");
  assert.throws(() => markdownSafeLiteral('a\0b'), /NUL/);
});

test('hidden characters: none reaches the Markdown as itself, the heading shows their codes, DuckDB reads back the value', async () => {
  const rb = parseRunbook(BASE, 'base.md');
  const value = 'arn:aws:iam::1:user/\u202egpj.exe\u200b\ufeff\u2066x\u2069\u00ad\u{E0041}\u0085';
  const pivot = ok(buildPivot(rb, 'detect', { actor: value }, 'principal'));
  assert.ok(![...pivot.markdown].some((ch) => ch !== '\n' && isHiddenCharacter(ch)), JSON.stringify(pivot.markdown));
  assert.equal(
    pivot.heading,
    'Pivot: everything arn:aws:iam::1:user/\\u202Egpj.exe\\u200B\\uFEFF\\u2066x\\u2069\\u00AD\\u{E0041}\\u0085 did',
  );
  const cell = itemAt(parseRunbook(inserted(pivot).text, 'b.md').cells, 1);
  assert.equal(cell.heading, pivot.heading, 'the Markdown heading reads back as the escaped text');
  assert.match(cell.sql, /chr\(8238\) \|\| 'gpj\.exe' \|\| chr\(8203\) \|\| chr\(65279\)/);
  const expression = itemAt(/userIdentity\.arn = (.*)$/m.exec(cell.sql)!, 1);
  const reader = await duckdb.connection().runAndReadAll(`SELECT ${expression}`);
  assert.equal(itemAt(reader.getRowsJS(), 0)[0], value);
  // A lone surrogate has no UTF-8 form: no literal could give it back, so no pivot.
  assert.match((buildPivot(rb, 'detect', { actor: 'a\ud800b' }, 'principal') as { error: string }).error, /lone surrogate/);
});

test('values are found under conventional names and aliases, case-insensitively', () => {
  assert.deepEqual(pivotValues({ userIdentity: { ARN: 'arn:1', accessKeyId: 'AKIA1' } }, 'principal'), ['arn:1']);
  assert.deepEqual(pivotValues({ userIdentity: { ARN: 'arn:1', accessKeyId: 'AKIA1' } }, 'accessKey'), ['AKIA1']);
  assert.deepEqual(pivotValues({ ACTOR: 'arn:2', userIdentity: { arn: 'arn:1' } }, 'principal'), ['arn:2', 'arn:1']);
  assert.deepEqual(pivotValues({ principal_arn: 'arn:3' }, 'principal'), ['arn:3']);
  assert.deepEqual(pivotValues({ ip: '10.0.0.1' }, 'sourceIp'), ['10.0.0.1']);
  assert.deepEqual(pivotValues({ newKey: 'AKIA2' }, 'accessKey'), ['AKIA2']);
  assert.deepEqual(pivotValues({ resources: [{ ARN: 'arn:a' }, { arn: 'arn:b' }, { arn: null }] }, 'resource'), ['arn:a', 'arn:b']);
  assert.deepEqual(pivotValues({ resources: '[{"ARN":"arn:j"}]' }, 'resource'), ['arn:j']);
  assert.deepEqual(pivotValues({ resourceArn: 'arn:c' }, 'resource'), ['arn:c']);
  assert.deepEqual(pivotValues({ time: new Date('2024-01-01T00:00:00Z') }, 'around'), ['2024-01-01T00:00:00.000Z']);
  assert.deepEqual(availablePivots({ userIdentity: { arn: 'arn:1', accessKeyId: null }, eventTime: 'not a time', ip: '1.1.1.1' }), [
    'principal',
    'sourceIp',
  ]);
  assert.deepEqual(availablePivots({ eventTime: '2024-01-01T00:00:00Z', resources: [{ arn: 'arn:r' }] }), ['around', 'resource']);
  // A second resource can be chosen explicitly; one the row does not have cannot.
  const rb = parseRunbook(BASE, 'base.md');
  const row = { resources: [{ arn: 'arn:a' }, { arn: 'arn:b' }] };
  assert.equal(ok(buildPivot(rb, 'detect', row, 'resource')).value, 'arn:a');
  assert.equal(ok(buildPivot(rb, 'detect', row, 'resource', { value: 'arn:b' })).value, 'arn:b');
  assert.match(
    (buildPivot(rb, 'detect', row, 'resource', { value: 'arn:z' }) as { error: string }).error,
    /not a resource ARN of this row/,
  );
});

test('a row without what the pivot needs gives an error value saying so', () => {
  const rb = parseRunbook(BASE, 'base.md');
  const error = (row: PivotRow, kind: PivotKind, options = {}) => {
    const result = buildPivot(rb, 'detect', row, kind, options);
    assert.ok('error' in result, `expected an error for ${kind} ${JSON.stringify(row)}`);
    assert.equal(result.kind, kind);
    return result.error;
  };
  assert.match(error({ eventName: 'x' }, 'principal'), /no principal ARN .*userIdentity\.arn AS actor/);
  assert.match(error({ actor: null, userIdentity: { arn: null } }, 'principal'), /no principal ARN/);
  assert.match(error({ actor: '' }, 'principal'), /no principal ARN/);
  assert.match(error({ actor: 42 }, 'principal'), /no principal ARN/);
  assert.match(error({}, 'accessKey'), /no access key ID/);
  assert.match(error({ eventName: 'x' }, 'sourceIp'), /no source IP address/);
  assert.match(error({ resources: [] }, 'resource'), /no resource ARN/);
  assert.match(error({ resources: null }, 'resource'), /no resource ARN/);
  assert.match(error({}, 'around'), /no event time/);
  assert.match(error({ eventTime: 'yesterday' }, 'around'), /not an ISO-8601 timestamp/);
  assert.match(error({ eventTime: '2024-07-30T21:31:21' }, 'around'), /not an ISO-8601 timestamp/);
  assert.match(error({ eventTime: '2024-07-30T21:31:21Z' }, 'around', { aroundMinutes: -1 }), /aroundMinutes/);
  assert.match(error({ actor: 'a\0b' }, 'principal'), /cannot pivot .*NUL/);
  assert.match(error({ actor: 'x' }, 'bogus' as PivotKind), /unknown pivot/);
});

test('ids are unique among cells and actions: pivot-principal, pivot-principal-2, …', () => {
  const text = `${BASE}
\`\`\`cloudtrail id=pivot-principal
SELECT 1
\`\`\`

\`\`\`cloudtrail id=Pivot-Principal-2
SELECT 1
\`\`\`

\`\`\`sh id=pivot-principal-3
echo hi
\`\`\`
`;
  const rb = parseRunbook(text, 'base.md');
  const pivot = ok(buildPivot(rb, 'detect', { actor: 'arn:x' }, 'principal'));
  assert.equal(pivot.id, 'pivot-principal-4');
  const again = inserted(pivot, text).runbook;
  assert.deepEqual(again.problems, []);
  assert.equal(uniqueId('pivot-around', []), 'pivot-around');
  assert.equal(uniqueId('pivot-around', ['pivot-around']), 'pivot-around-2');
  // Pivoting from the pivot gets the next free id too.
  const chained = ok(buildPivot(again, pivot.id, { actor: 'arn:y' }, 'principal'));
  assert.equal(chained.id, 'pivot-principal-5');
});

test('the pivot keeps the source of the cell it comes from; around also gets its own window', () => {
  const text = '```cloudtrail id=a source=lookup\nSELECT 1\n```\n';
  const rb = parseRunbook(text, 'a.md');
  const pivot = ok(buildPivot(rb, 'a', { eventTime: '2024-07-30T21:31:21Z' }, 'around'));
  const cell = itemAt(inserted2(text, rb, 'a', pivot).cells, 1);
  assert.equal(cell.source, 'lookup');
  assert.equal(cell.window, '2024-07-30T21:16:21.000Z/2024-07-30T21:46:21.001Z');
  assert.match(
    cell.sql,
    /from_iso8601_timestamp\(eventTime\) BETWEEN from_iso8601_timestamp\('2024-07-30T21:16:21\.000Z'\) AND from_iso8601_timestamp\('2024-07-30T21:46:21\.000Z'\)/,
  );
  const wide = ok(buildPivot(rb, 'a', { eventTime: '2024-07-30T23:31:21+02:00' }, 'around', { aroundMinutes: 60 }));
  assert.match(
    wide.markdown,
    /BETWEEN from_iso8601_timestamp\('2024-07-30T20:31:21\.000Z'\) AND from_iso8601_timestamp\('2024-07-30T22:31:21\.000Z'\)/,
  );
  assert.equal(wide.heading, 'Pivot: everything within 60 minutes of 2024-07-30T23:31:21+02:00');
});

function inserted2(text: string, rb: ReturnType<typeof parseRunbook>, cellId: string, pivot: PivotCell) {
  const next = parseRunbook(insertPivot(text, pivotInsertLine(rb, cellId)!, pivot.markdown), 'x.md');
  assert.deepEqual(next.problems, []);
  return next;
}

test('insertion keeps CRLF line breaks, a file without a final newline, and an unclosed last cell', () => {
  const crlf = '# T\r\n\r\n```cloudtrail id=a\r\nSELECT 1\r\n```\r\nnext line\r\n';
  const rb = parseRunbook(crlf, 'a.md');
  assert.equal(pivotInsertLine(rb, 'a'), 4);
  assert.equal(pivotInsertLine(rb, 'nope'), undefined);
  const pivot = ok(buildPivot(rb, 'a', { ip: '1.1.1.1' }, 'sourceIp'));
  const out = insertPivot(crlf, 4, pivot.markdown);
  assert.ok(!/[^\r]\n/.test(out), 'every line break stays \\r\\n');
  assert.ok(out.endsWith('```\r\n\r\nnext line\r\n'));
  assert.deepEqual(
    parseRunbook(out, 'a.md').cells.map((c) => c.id),
    ['a', 'pivot-source-ip'],
  );

  const bare = '```cloudtrail id=a\nSELECT 1\n```';
  const out2 = insertPivot(bare, 2, pivot.markdown);
  assert.equal(out2, `${bare}\n\n${pivot.markdown}`);
  assert.deepEqual(parseRunbook(out2, 'a.md').problems, []);
});

// ------------------------------------------------------------- on the real engine

type RawEvent = {
  eventID: string;
  eventTime: string;
  sourceIPAddress?: string;
  userIdentity?: { arn?: string; accessKeyId?: string };
  resources?: { ARN?: string }[];
};
const stratusEvents = (): RawEvent[] =>
  readdirSync(stratusDir())
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(stratusDir(), f), 'utf8')) as RawEvent[]);

/** Runs the runbook's cell `id` over `logs` and returns its rows as objects. */
async function runCell(text: string, id: string, logs: string): Promise<Record<string, unknown>[]> {
  const store = await openStore();
  const runbook = parseRunbook(text, 'pivot.md');
  assert.deepEqual(runbook.problems, []);
  const runs = await runRunbook(runbook, { store, source: new LocalLogsSource(store, logs), cellIds: [id] });
  const run = runs.find((r) => r.cell.id === id)!;
  assert.equal(run.error, undefined, run.error?.message);
  return run.rows.map((row) => rowObject(run.columns, row));
}

/** A first cell showing one event as a runbook author would select it, then the pivot from its row. */
async function pivotFromEvent(eventID: string, kind: PivotKind, logs: string): Promise<{ ids: string[]; times: string[] }> {
  const text = `# Pivot test\n\n\`\`\`cloudtrail id=seed\nSELECT eventTime, userIdentity, sourceIPAddress, resources, eventID\nFROM cloudtrail_logs\nWHERE eventID = '${eventID}'\n\`\`\`\n`;
  const [row] = await runCell(text, 'seed', logs);
  assert.ok(row, `event ${eventID} not found`);
  const rb = parseRunbook(text, 'pivot.md');
  const pivot = ok(buildPivot(rb, 'seed', row, kind));
  const next = insertPivot(text, pivotInsertLine(rb, 'seed')!, pivot.markdown);
  const rows = await runCell(next, pivot.id, logs);
  return { ids: rows.map((r) => String(r.eventID)).sort(), times: rows.map((r) => String(r.eventTime)) };
}

const sortedIds = (events: RawEvent[]): string[] => events.map((e) => e.eventID).sort();

test('each pivot returns exactly the Stratus events it names, ordered by time', async () => {
  const events = stratusEvents();
  const mostCommon = (pick: (e: RawEvent) => string | undefined): RawEvent => {
    const counts = new Map<string, number>();
    for (const e of events) {
      const v = pick(e);
      if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const best = itemAt(
      [...counts].sort((a, b) => b[1] - a[1]),
      0,
    )[0];
    return events.find((e) => pick(e) === best)!;
  };
  const checks: Array<[PivotKind, RawEvent, (e: RawEvent) => boolean]> = [];
  const byArn = mostCommon((e) => e.userIdentity?.arn);
  checks.push(['principal', byArn, (e) => e.userIdentity?.arn === byArn.userIdentity!.arn]);
  const byKey = mostCommon((e) => e.userIdentity?.accessKeyId);
  checks.push(['accessKey', byKey, (e) => e.userIdentity?.accessKeyId === byKey.userIdentity!.accessKeyId]);
  const byIp = mostCommon((e) => e.sourceIPAddress);
  checks.push(['sourceIp', byIp, (e) => e.sourceIPAddress === byIp.sourceIPAddress]);
  const byResource = mostCommon((e) => e.resources?.[0]?.ARN);
  const arn = itemAt(byResource.resources!, 0).ARN!;
  checks.push(['resource', byResource, (e) => (e.resources ?? []).some((r) => r.ARN === arn)]);
  const at = Date.parse(byArn.eventTime);
  checks.push(['around', byArn, (e) => Math.abs(Date.parse(e.eventTime) - at) <= 15 * 60_000]);

  for (const [kind, seed, matches] of checks) {
    const expected = sortedIds(events.filter(matches));
    assert.ok(expected.length > 1, `${kind}: the test needs a value with several events`);
    assert.ok(expected.length < events.length, `${kind}: the test needs a value that excludes events`);
    const got = await pivotFromEvent(seed.eventID, kind, stratusDir());
    assert.deepEqual(got.ids, expected, kind);
    assert.deepEqual(got.times, [...got.times].sort(), `${kind}: ordered by eventTime`);
  }
});

test('hostile values in real events round-trip: the pivot finds exactly the events holding them', async () => {
  const dir = tempDir();
  const values = HOSTILE.filter((v) => !v.includes('\0'));
  const records = values.flatMap((value, i) =>
    [0, 1].map((j) => ({
      eventVersion: '1.09',
      eventTime: `2024-05-01T10:${String(i).padStart(2, '0')}:0${j}Z`,
      eventSource: 'iam.amazonaws.com',
      eventName: 'GetUser',
      awsRegion: 'us-east-1',
      eventID: `ev-${i}-${j}`,
      sourceIPAddress: value,
      userIdentity: { type: 'IAMUser', arn: value, accessKeyId: value },
      resources: [{ ARN: value, accountId: '111122223333', type: 'AWS::IAM::User' }],
    })),
  );
  // One decoy whose values differ from each hostile value by one character.
  records.push({
    ...itemAt(records, 0),
    eventID: 'decoy',
    sourceIPAddress: `${values[0]} `,
    userIdentity: { type: 'IAMUser', arn: `${values[0]} `, accessKeyId: `${values[0]} ` },
    resources: [{ ARN: `${values[0]} `, accountId: '1', type: 'x' }],
  });
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: records }));
  for (const kind of VALUE_KINDS) {
    for (const [i] of values.entries()) {
      const got = await pivotFromEvent(`ev-${i}-0`, kind, dir);
      assert.deepEqual(got.ids, [`ev-${i}-0`, `ev-${i}-1`], `${kind} ${JSON.stringify(values[i])}`);
    }
  }
});
