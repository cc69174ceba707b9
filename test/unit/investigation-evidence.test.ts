// The evidence of a whole investigation: every run the record holds (not the last click),
// the marked events with their notes, pivots, notes and decisions, the record's own hash
// and git state, secrets scrubbed, and a Markdown rendering that hostile values cannot bend.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import {
  buildInvestigationEvidence,
  investigationEvidence,
  renderInvestigationEvidence,
} from '../../src/app/investigation/investigationEvidence';
import { newRecord, type RecordEntry } from '../../src/app/investigation/record';
import { appendToRecord, createRecord } from '../../src/app/investigation/recordFile';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const HEADER = { title: 'Trail tampering', runbook: 'runbooks/trail.md', openedAt: '2026-12-06T05:00:00.000Z' };
const run = (at: string, cellId: string, status: string, rowCount: number): RecordEntry => ({
  kind: 'run',
  at,
  runbook: 'runbooks/trail.md',
  cellId,
  status,
  source: 'local logs · incident · all events',
  rowCount,
  truncated: false,
  resultSha256: createHash('sha256').update(cellId).digest('hex'),
  sql: `SELECT * FROM cloudtrail_logs -- ${cellId}`,
});
const ENTRIES: RecordEntry[] = [
  run('2026-12-06T05:01:00.000Z', 'stop-logging', 'finding', 1),
  run('2026-12-06T05:01:01.000Z', 'delete-trail', 'finding', 1),
  run('2026-12-06T05:01:02.000Z', 'quiet', 'ok', 0),
  {
    kind: 'event',
    at: '2026-12-06T05:02:00.000Z',
    eventId: 'e-1',
    tag: 'starred',
    note: 'the attacker stops the trail',
    eventName: 'StopLogging',
  },
  {
    kind: 'pivot',
    at: '2026-12-06T05:03:00.000Z',
    pivot: 'principal',
    fromCell: 'stop-logging',
    newCell: 'pivot-principal',
    value: 'arn:aws:iam::1:user/x',
    runbook: 'runbooks/trail.md',
  },
  run('2026-12-06T05:03:01.000Z', 'pivot-principal', 'ok', 12),
  { kind: 'note', at: '2026-12-06T05:04:00.000Z', text: 'Same principal made a key.' },
  { kind: 'decision', at: '2026-12-06T05:05:00.000Z', text: 'Escalate.' },
];

test('the evidence covers every run of the investigation, its marks, pivots and notes', () => {
  const text = newRecord(HEADER, ENTRIES);
  const report = buildInvestigationEvidence({
    recordPath: 'investigations/x.md',
    recordText: text,
    git: { repository: false, reason: 'not in a git repository' },
    generatedAt: new Date('2026-12-06T06:00:00Z'),
    secrets: [],
  });
  assert.deepEqual(report.summary, { runs: 4, findings: 2, errors: 0, marked: 1, pivots: 1, notes: 1, decisions: 1 });
  assert.deepEqual(
    report.runs.map((r) => r.cellId),
    ['stop-logging', 'delete-trail', 'quiet', 'pivot-principal'],
  );
  assert.equal(report.record.sha256, createHash('sha256').update(text).digest('hex'));
  assert.equal(itemAt(report.marked, 0).note, 'the attacker stops the trail');
  const markdown = renderInvestigationEvidence(report, 'markdown');
  for (const cell of ['stop-logging', 'delete-trail', 'quiet', 'pivot-principal'])
    assert.match(markdown, new RegExp(`\\| \`${cell}\` \\|`));
  assert.match(markdown, /> the attacker stops the trail/);
  assert.match(markdown, /> Escalate\\?\./);
  assert.match(markdown, /```sql\nSELECT \* FROM cloudtrail_logs -- pivot-principal\n```/);
  const json = JSON.parse(renderInvestigationEvidence(report, 'json')) as typeof report;
  assert.deepEqual(json.summary, report.summary);
});

test('secrets in the record never reach the evidence; the hash is over the bytes as they are', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const text = newRecord(HEADER, [
    { kind: 'note', at: '2026-12-06T05:04:00.000Z', text: `pasted aws_secret_access_key=${secret} by mistake` },
  ]);
  const report = buildInvestigationEvidence({
    recordPath: 'x.md',
    recordText: text,
    git: { repository: false, reason: 'r' },
    secrets: [secret],
  });
  for (const format of ['json', 'markdown'] as const) assert.ok(!renderInvestigationEvidence(report, format).includes(secret), format);
  assert.equal(report.record.sha256, createHash('sha256').update(text).digest('hex'));
});

test('hostile values in the record stay text in the evidence', () => {
  const hostile = '[x](https://evil.example) <img src=x> | a | www.evil.example';
  const text = newRecord({ ...HEADER, title: hostile }, [
    { ...(run('2026-12-06T05:01:00.000Z', hostile, 'ok', 1) as Extract<RecordEntry, { kind: 'run' }>), account: hostile },
    { kind: 'event', at: '2026-12-06T05:02:00.000Z', eventId: hostile, tag: hostile, note: hostile, principal: hostile },
  ]);
  const markdown = renderInvestigationEvidence(
    buildInvestigationEvidence({ recordPath: 'x.md', recordText: text, git: { repository: false, reason: 'r' }, secrets: [] }),
    'markdown',
  );
  const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
  assert.doesNotMatch(html, /<a |<img/);
  // The runs table keeps its eight columns: the `|` in the value did not split a cell.
  const row = itemAt(itemAt(html.split('<tbody>'), 1).split('</tr>'), 0);
  assert.equal(row.match(/<td>/g)?.length, 8);
});

test('from disk: a record in a git checkout, with its uncommitted changes said', async () => {
  const dir = tempDir();
  execFileSync('git', ['init', '-q', dir]);
  const path = await createRecord(dir, HEADER, ENTRIES.slice(0, 3));
  execFileSync('git', ['-C', dir, 'add', '.']);
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'record']);
  let report = await investigationEvidence(path, readFileSync(path, 'utf8'));
  assert.equal(report.record.git.repository && report.record.git.uncommittedChanges, false);
  await appendToRecord(path, ENTRIES.slice(3));
  report = await investigationEvidence(path, readFileSync(path, 'utf8'));
  assert.equal(report.record.git.repository && report.record.git.uncommittedChanges, true);
  assert.equal(report.summary.runs, 4);
  assert.throws(
    () => buildInvestigationEvidence({ recordPath: 'notes.md', recordText: '# notes\n', git: { repository: false, reason: 'r' } }),
    /notes\.md is not an investigation record/,
  );
});
