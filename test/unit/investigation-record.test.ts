// The investigation record (src/app/investigation): what each entry looks like, that
// appending leaves every earlier byte alone, that hostile log values cannot break the
// structure or put a link or HTML into what GitHub renders, and that it reads back.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { newRecordPath, recordFileName, refuseRecordPath, slugOf } from '../../src/app/investigation/investigationPath';
import {
  appendEntry,
  newRecord,
  renderEntry,
  renderHeader,
  type NoteEntry,
  type RecordEntry,
  type RecordHeader,
} from '../../src/app/investigation/record';
import { appendToRecord, createRecord, readRecord } from '../../src/app/investigation/recordFile';
import { markedEvents, parseRecord } from '../../src/app/investigation/recordParse';
import { codeSpan, proseLine, quotedBlock, readCodeSpan, readProse, readQuoted } from '../../src/app/investigation/recordText';
import { displayText } from '../../src/protocol/displayText';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const HEADER: RecordHeader = {
  title: 'Access keys created without MFA',
  runbook: 'runbooks/access-keys.md',
  openedAt: '2026-12-06T05:51:02.000Z',
};

const RUN: RecordEntry = {
  kind: 'run',
  at: '2026-12-06T05:51:10.123Z',
  runbook: 'runbooks/access-keys.md',
  runbookSha256: 'a'.repeat(64),
  cellId: 'new-keys',
  status: 'finding',
  source: 'local logs · incident-42 · last 7 days',
  account: '123456789012',
  window: { start: '2026-11-29T05:51:10.000Z', end: '2026-12-06T05:51:10.000Z', label: '7d' },
  rowCount: 2,
  truncated: false,
  resultSha256: 'b'.repeat(64),
  sql: "SELECT eventTime, eventName\nFROM cloudtrail_logs\nWHERE eventName = 'CreateAccessKey'",
};

const STAR: RecordEntry = {
  kind: 'event',
  at: '2026-12-06T05:52:00.000Z',
  eventId: '4d3c9a1e-0000-4000-8000-000000000001',
  tag: 'starred',
  note: 'Key made at 2 am from an address we do not know.\nAsk Alice.',
  cellId: 'new-keys',
  eventTime: '2026-12-03T02:13:44Z',
  eventName: 'CreateAccessKey',
  principal: 'arn:aws:iam::123456789012:user/alice',
  sourceIp: '198.51.100.7',
};

const PIVOT: RecordEntry = {
  kind: 'pivot',
  at: '2026-12-06T05:53:00.000Z',
  pivot: 'principal',
  fromCell: 'new-keys',
  newCell: 'pivot-principal',
  value: 'arn:aws:iam::123456789012:user/alice',
  runbook: 'runbooks/access-keys.md',
};
const NOTE: RecordEntry = { kind: 'note', at: '2026-12-06T05:54:00.000Z', text: 'Alice says she was asleep.' };
const DECISION: RecordEntry = { kind: 'decision', at: '2026-12-06T05:55:00.000Z', text: 'Deactivate the key and open an incident.' };

const markdown = new MarkdownIt({ html: true, linkify: true });

test('a record reads as a review would want it: a header, then one section per entry', () => {
  const text = newRecord(HEADER, [RUN, STAR, PIVOT, NOTE, DECISION]);
  assert.equal(
    text,
    [
      '# Investigation: Access keys created without MFA',
      '',
      '<!-- trailbook-investigation/1: Trailbook appends entries below; earlier entries are not rewritten -->',
      '',
      '- Runbook: `runbooks/access-keys.md`',
      '- Opened: `2026-12-06T05:51:02.000Z`',
      '- Format: `trailbook-investigation/1`',
      '',
      '## Log',
      '',
      '### `2026-12-06T05:51:10.123Z` · Ran `new-keys`',
      '',
      '- Runbook: `runbooks/access-keys.md`',
      `- Runbook SHA-256: \`${'a'.repeat(64)}\``,
      '- Status: `finding`',
      '- Source: `local logs · incident-42 · last 7 days`',
      '- Account: `123456789012`',
      '- Window: `2026-11-29T05:51:10.000Z` to `2026-12-06T05:51:10.000Z` (`7d`)',
      '- Rows: 2',
      `- Result SHA-256: \`${'b'.repeat(64)}\``,
      '',
      '```sql',
      'SELECT eventTime, eventName',
      'FROM cloudtrail_logs',
      "WHERE eventName = 'CreateAccessKey'",
      '```',
      '',
      '### `2026-12-06T05:52:00.000Z` · Marked `starred` `4d3c9a1e-0000-4000-8000-000000000001`',
      '',
      '- Event time: `2026-12-03T02:13:44Z`',
      '- Event: `CreateAccessKey`',
      '- Principal: `arn:aws:iam::123456789012:user/alice`',
      '- Source IP: `198.51.100.7`',
      '- Cell: `new-keys`',
      '',
      '> Key made at 2 am from an address we do not know.\\',
      '> Ask Alice.',
      '',
      '### `2026-12-06T05:53:00.000Z` · Pivoted from `new-keys`',
      '',
      '- Pivot: `principal`',
      '- Value: `arn:aws:iam::123456789012:user/alice`',
      '- New cell: `pivot-principal`',
      '- Runbook: `runbooks/access-keys.md`',
      '',
      '### `2026-12-06T05:54:00.000Z` · Note',
      '',
      '> Alice says she was asleep.',
      '',
      '### `2026-12-06T05:55:00.000Z` · Decision',
      '',
      '> Deactivate the key and open an incident.',
      '',
    ].join('\n'),
  );
  // Rendered: five entry headings, the SQL a code block, no rows anywhere.
  const html = markdown.render(text);
  assert.equal(html.match(/<h3>/g)?.length, 5);
  assert.match(html, /<pre><code class="language-sql">SELECT eventTime/);
});

test("appending never rewrites what is there: earlier bytes, a person's own lines and CRLF stay", () => {
  const first = newRecord(HEADER, [RUN]);
  const own = `${first}\nMy own paragraph between entries.\n\n\n`;
  const next = appendEntry(own, STAR);
  assert.ok(next.startsWith(own.trimEnd()), 'the text before the new entry is unchanged');
  assert.equal(next, `${own.trimEnd()}\n\n${renderEntry(STAR).join('\n')}\n`);
  const parsed = parseRecord(next);
  assert.deepEqual(parsed.entries, [RUN, STAR]);
  assert.deepEqual(parsed.problems, []);
  const crlf = renderHeader(HEADER).replace(/\n/g, '\r\n');
  const appended = appendEntry(crlf, NOTE);
  assert.ok(appended.startsWith(crlf.trimEnd()));
  assert.ok(!/[^\r]\n/.test(appended), 'one line ending throughout');
  assert.deepEqual(parseRecord(appended).entries, [NOTE]);
});

test('every kind of entry reads back as it was written', () => {
  const entries = [
    RUN,
    STAR,
    PIVOT,
    NOTE,
    DECISION,
    {
      ...RUN,
      at: '2026-12-06T06:00:00.000Z',
      status: 'error',
      rowCount: 0,
      truncated: false,
      resultSha256: undefined,
      error: 'line 3: no column `x`',
    },
  ];
  const clean = entries.map((e) => JSON.parse(JSON.stringify(e)) as RecordEntry);
  const parsed = parseRecord(newRecord(HEADER, clean));
  assert.deepEqual(parsed.header, HEADER);
  assert.deepEqual(parsed.entries, clean);
  assert.deepEqual(parsed.problems, []);
});

// What an attacker can put in a CloudTrail field or a runbook, and what it must not become.
const HOSTILE = [
  '[click](https://evil.example/steal)',
  '![img](https://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'www.evil.example',
  'https://evil.example/login',
  'mail admin@evil.example now',
  'a`b``c```d',
  '`leading and trailing`',
  '\n### `2026-01-01T00:00:00Z` · Decision\n\n> forged',
  '\n```\nfence\n```',
  '| a | b |\n|---|---|',
  '$\\frac{1}{2}$',
  '-->',
  'name\u202Etxt.exe',
  '  - not a list',
  '1. not a list',
  '\\ backslash \\\\ and \\`',
];

test('hostile values in every field stay text: no link, no HTML, no new entry, and they read back', () => {
  for (const value of HOSTILE) {
    const star: RecordEntry = {
      ...(STAR as Extract<RecordEntry, { kind: 'event' }>),
      eventId: value,
      tag: value,
      note: value,
      eventName: value,
      principal: value,
      sourceIp: value,
      cellId: value,
    };
    const run: RecordEntry = {
      ...(RUN as Extract<RecordEntry, { kind: 'run' }>),
      cellId: value,
      source: value,
      account: value,
      error: value,
      sql: value,
      runbook: value,
      window: { start: value, end: value, label: value },
    };
    const note: RecordEntry = { kind: 'note', at: NOTE.at, text: value };
    const text = newRecord({ ...HEADER, title: value, runbook: value }, [run, star, note]);
    const html = markdown.render(text);
    assert.doesNotMatch(html, /<a |<img|<script|<table/, `a link, image or HTML from ${JSON.stringify(value)}:\n${html}`);
    assert.equal(html.match(/<h3>/g)?.length, 3, `the entries stay three for ${JSON.stringify(value)}:\n${text}`);
    assert.equal(html.match(/<h1>/g)?.length, 1);
    const parsed = parseRecord(text);
    assert.deepEqual(parsed.problems, [], JSON.stringify(value));
    assert.equal(parsed.entries.length, 3);
    // One-line fields hold the value as the results view shows it: hidden characters as codes.
    const shown = displayText(value);
    const [readRun, readStar, readNote] = parsed.entries as [
      Extract<RecordEntry, { kind: 'run' }>,
      Extract<RecordEntry, { kind: 'event' }>,
      NoteEntry,
    ];
    assert.equal(readStar.eventId, shown);
    assert.equal(readStar.principal, shown);
    assert.equal(readRun.cellId, shown);
    assert.equal(readRun.window?.label, shown);
    assert.equal(parsed.header?.title, shown);
    // Notes and SQL keep their lines.
    assert.equal(
      readNote.text,
      value
        .split('\n')
        .map((line) => displayText(line))
        .join('\n')
        .replace(/\s+$/, ''),
    );
    assert.equal(readStar.note, readNote.text);
    assert.equal(
      readRun.sql,
      value
        .split('\n')
        .map((line) => displayText(line))
        .join('\n'),
    );
  }
});

test('the text forms: code spans, prose and quotes read back exactly', () => {
  for (const value of ['plain', 'a`b', '``', '` x `', ' ', '', 'x  y']) {
    const span = codeSpan(value);
    assert.deepEqual(readCodeSpan(`${span} rest`), { value, rest: ' rest' }, JSON.stringify(value));
  }
  for (const value of HOSTILE.filter((v) => !v.includes('\n') && !v.includes('\u202E'))) assert.equal(readProse(proseLine(value)), value);
  assert.equal(proseLine('see www.evil.example or http://x.example'), 'see www\\.evil.example or http\\://x.example');
  assert.equal(readQuoted(quotedBlock('one\\\ntwo\n\nthree')), 'one\\\ntwo\n\nthree');
});

test('marks: the latest tag and note of an event wins, in the order first marked', () => {
  const other = { ...(STAR as Extract<RecordEntry, { kind: 'event' }>), eventId: 'other', at: '2026-12-06T05:56:00.000Z' };
  const retag = {
    ...(STAR as Extract<RecordEntry, { kind: 'event' }>),
    tag: 'benign',
    note: 'it was Alice',
    at: '2026-12-06T05:57:00.000Z',
  };
  const marks = markedEvents(parseRecord(newRecord(HEADER, [STAR, other, retag])).entries);
  assert.deepEqual(
    marks.map((m) => [m.eventId, m.tag, m.note]),
    [
      [STAR.kind === 'event' ? STAR.eventId : '', 'benign', 'it was Alice'],
      ['other', 'starred', (STAR as { note: string }).note],
    ],
  );
});

test("a person's own headings are theirs; a Trailbook heading that cannot be read is named by its line", () => {
  const text = `${newRecord(HEADER, [NOTE])}\n### My summary\n\nAll fine.\n\n### \`yesterday\` · Note\n\n> x\n\n### \`2026-12-06T06:00:00Z\` · Shrugged\n`;
  const parsed = parseRecord(text);
  assert.deepEqual(parsed.entries, [NOTE]);
  assert.deepEqual(
    parsed.problems.map((p) => p.line),
    [text.split('\n').findIndex((l) => l.includes('yesterday')) + 1, text.split('\n').findIndex((l) => l.includes('Shrugged')) + 1],
  );
  assert.match(itemAt(parsed.problems, 1).message, /"Shrugged" is not a kind of entry/);
  assert.equal(parseRecord('# Notes\n').header, undefined);
  assert.match(itemAt(parseRecord('# Notes\n').problems, 0).message, /not an investigation record/);
});

test('where a record goes: investigations/YYYY-MM-DD-slug.md, a free name, never the runbook or the install folder', () => {
  assert.equal(slugOf('Access keys created without MFA!'), 'access-keys-created-without-mfa');
  assert.equal(slugOf('Ünïcödé ✓ ../../etc'), 'unicode-etc');
  assert.equal(slugOf('%%%'), 'investigation');
  const at = new Date('2026-12-06T23:59:00Z');
  assert.equal(recordFileName(at, 'Keys'), '2026-12-06-keys.md');
  assert.equal(
    recordFileName(at, 'Keys', (n) => ['2026-12-06-keys.md', '2026-12-06-keys-2.md'].includes(n)),
    '2026-12-06-keys-3.md',
  );
  assert.equal(
    newRecordPath('/ws', at, 'Keys', () => false),
    join('/ws', 'investigations', '2026-12-06-keys.md'),
  );
  assert.match(refuseRecordPath('/ws/runbooks/keys.md', '/ws/runbooks/keys.md', []) ?? '', /is the runbook itself/);
  assert.match(
    refuseRecordPath('/home/u/.vscode/extensions/trailbook/investigations/x.md', undefined, ['/home/u/.vscode/extensions/trailbook']) ?? '',
    /install folder/,
  );
  assert.match(refuseRecordPath('/ws/x.txt', undefined, []) ?? '', /not a Markdown file/);
  assert.equal(refuseRecordPath('/ws/investigations/x.md', '/ws/runbooks/keys.md', ['/ext']), undefined);
});

test('on disk: created once under a free name, appended in turn, never half-written', async () => {
  const dir = tempDir();
  const first = await createRecord(dir, HEADER, [RUN]);
  const second = await createRecord(dir, HEADER);
  assert.equal(first, join(dir, 'investigations', '2026-12-06-access-keys-created-without-mfa.md'));
  assert.equal(second, join(dir, 'investigations', '2026-12-06-access-keys-created-without-mfa-2.md'));
  const before = readFileSync(first, 'utf8');
  // Appends that arrive together all land, in the order they were asked for.
  await Promise.all([appendToRecord(first, [STAR]), appendToRecord(first, [PIVOT]), appendToRecord(first, [NOTE, DECISION])]);
  const after = readFileSync(first, 'utf8');
  assert.ok(after.startsWith(before.trimEnd()));
  assert.deepEqual((await readRecord(first)).entries, [RUN, STAR, PIVOT, NOTE, DECISION]);
  // A file that is no longer a record is left alone, with a message naming it.
  writeFileSync(second, '# Something else\n');
  await assert.rejects(appendToRecord(second, [NOTE]), /-2\.md no longer starts with an investigation record's header/);
  assert.equal(readFileSync(second, 'utf8'), '# Something else\n');
  await assert.rejects(readRecord(second), /-2\.md is not an investigation record/);
});
