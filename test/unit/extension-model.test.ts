// The parts of the editor experience that are not VS Code glue: where lenses go, which
// source and window a cell runs with, and the summary text left after a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRunbook } from '../../src/runbook';
import { cellsToRun, paramsUsed } from '../../src/runbook/cellsToRun';
import { lensSpots } from '../../src/extension/lensModel';
import { runSummary } from '../../src/extension/runSummary';
import {
  runTargets,
  sourceKindFor,
  targetFor,
  targetLabel,
  windowLabelFor,
  TargetError,
  type TrailbookSettings,
} from '../../src/extension/runTarget';
import { itemAt } from '../support/itemAt';

const RUNBOOK = `---
title: Keys
window: 7d
params:
  user: { description: IAM user, default: alice }
---

# Keys

\`\`\`cloudtrail id=new-keys expect=empty
SELECT eventTime FROM cloudtrail_logs WHERE userIdentity.userName = {{user}}
\`\`\`

Some prose.

\`\`\`cloudtrail id=activity window=24h source=lookup
SELECT eventName FROM cloudtrail_logs WHERE eventID IN ({{new-keys.eventTime}})
\`\`\`

\`\`\`sh id=disable
aws iam update-access-key --access-key-id {{new-keys.eventTime}} --status Inactive
\`\`\`

\`\`\`cloudtrail id=alone
SELECT 1 FROM cloudtrail_logs
\`\`\`
`;

const settings = (over: Partial<TrailbookSettings> = {}): TrailbookSettings => ({
  source: 'local',
  logsPath: 'incident-42/logs',
  profile: '',
  regions: [],
  window: '',
  endpoint: '',
  rowLimit: 10_000,
  trinoServer: '',
  trinoTable: '',
  trinoUser: '',
  ...over,
});

test('lenses: Run all on the first line, one per cloudtrail fence, one per response action, in line order', () => {
  const runbook = parseRunbook(RUNBOOK, 'keys.md');
  assert.deepEqual(runbook.problems, []);
  assert.deepEqual(lensSpots(runbook), [
    { kind: 'runAll', line: 0 },
    { kind: 'cell', line: 9, cellId: 'new-keys' },
    { kind: 'cell', line: 15, cellId: 'activity' },
    { kind: 'action', line: 19, actionId: 'disable' },
    { kind: 'cell', line: 23, cellId: 'alone' },
  ]);
  const lines = RUNBOOK.split('\n');
  for (const spot of lensSpots(runbook).slice(1)) assert.match(itemAt(lines, spot.line), /^```(cloudtrail|sh)/);
});

test('lenses: a Markdown file without cloudtrail blocks gets none', () => {
  assert.deepEqual(lensSpots(parseRunbook('# Notes\n\n```sql\nSELECT 1\n```\n', 'notes.md')), []);
});

test('running one cell runs the cells it takes values from, and asks only for their parameters', () => {
  const runbook = parseRunbook(RUNBOOK, 'keys.md');
  const cells = cellsToRun(runbook, ['activity']);
  assert.deepEqual(
    cells.map((c) => c.id),
    ['new-keys', 'activity'],
  );
  assert.deepEqual(paramsUsed(runbook, cells), ['user']);
  assert.deepEqual(paramsUsed(runbook, cellsToRun(runbook, ['alone'])), []);
});

test("source precedence: cell over runbook over the user's choice", () => {
  const runbook = parseRunbook(RUNBOOK, '/work/keys.md');
  const targets = runTargets(settings(), {}, '/work');
  const [newKeys, activity] = runbook.cells;
  assert.equal(sourceKindFor(targets, runbook, newKeys), 'local');
  assert.equal(sourceKindFor(targets, runbook, activity), 'lookup');
  const withSource = parseRunbook(RUNBOOK.replace('window: 7d', 'window: 7d\nsource: lookup'), 'keys.md');
  assert.equal(sourceKindFor(targets, withSource, withSource.cells[0]), 'lookup');
  assert.equal(sourceKindFor(runTargets(settings({ source: 'lookup' }), {}, '/work'), runbook, runbook.cells[3]), 'lookup');
});

test('relative log folders are taken from the workspace; absolute ones stay', () => {
  assert.deepEqual(runTargets(settings(), {}, '/work').local, { kind: 'local', logsPath: '/work/incident-42/logs' });
  assert.deepEqual(runTargets(settings({ logsPath: '/data/ct' }), {}, '/work').local, { kind: 'local', logsPath: '/data/ct' });
  assert.equal(runTargets(settings({ logsPath: '  ' }), {}, '/work').local, undefined);
});

test('profile and regions: the setting, else AWS_PROFILE and AWS_REGION, else default and us-east-1', () => {
  assert.deepEqual(runTargets(settings(), {}, undefined).lookup, { kind: 'lookup', regions: ['us-east-1'] });
  assert.deepEqual(runTargets(settings(), { AWS_PROFILE: 'audit', AWS_REGION: 'eu-west-1' }, undefined).lookup, {
    kind: 'lookup',
    profile: 'audit',
    regions: ['eu-west-1'],
  });
  assert.deepEqual(
    runTargets(
      settings({ profile: 'ir', regions: ['us-west-2', 'eu-central-1'], endpoint: 'http://127.0.0.1:4599' }),
      { AWS_PROFILE: 'audit' },
      undefined,
    ).lookup,
    { kind: 'lookup', profile: 'ir', regions: ['us-west-2', 'eu-central-1'], endpoint: 'http://127.0.0.1:4599' },
  );
});

test("window precedence for the lens: cell over runbook over the user's default over the source's", () => {
  const runbook = parseRunbook(RUNBOOK, 'keys.md');
  const noWindow = parseRunbook(RUNBOOK.replace('window: 7d\n', ''), 'keys.md');
  const targets = runTargets(settings({ window: '30d' }), {}, '/w');
  assert.equal(windowLabelFor(targets, runbook, runbook.cells[1], 'lookup'), '24h');
  assert.equal(windowLabelFor(targets, runbook, runbook.cells[0], 'local'), '7d');
  assert.equal(windowLabelFor(targets, noWindow, noWindow.cells[0], 'local'), '30d');
  const bare = runTargets(settings(), {}, '/w');
  assert.equal(windowLabelFor(bare, noWindow, noWindow.cells[0], 'local'), 'all events');
  assert.equal(windowLabelFor(bare, noWindow, noWindow.cells[0], 'lookup'), '24h');
});

test('a local cell without a log folder says what to do; an athena cell runs on Athena', () => {
  const runbook = parseRunbook(RUNBOOK, 'keys.md');
  const targets = runTargets(settings({ logsPath: '' }), {}, '/w');
  assert.throws(
    () => targetFor(targets, runbook, runbook.cells[0]),
    (e: Error) => e instanceof TargetError && /Choose the local log folder/.test(e.message),
  );
  assert.equal(targetFor(targets, runbook, runbook.cells[1]).kind, 'lookup');
  const athena = parseRunbook(RUNBOOK.replace('id=alone', 'id=alone source=athena'), 'keys.md');
  assert.equal(targetFor(targets, athena, athena.cells[2]).kind, 'athena');
});

test('where a cell runs, as the lens and the results view say it', () => {
  assert.equal(targetLabel({ kind: 'local', logsPath: '/data/incident-42/' }, 'all events'), 'local logs · incident-42 · all events');
  assert.equal(
    targetLabel({ kind: 'lookup', profile: 'audit', regions: ['us-east-1', 'eu-west-1'] }, '24h'),
    'LookupEvents · audit · us-east-1, eu-west-1 · 24h',
  );
  assert.equal(targetLabel({ kind: 'lookup', regions: ['us-east-1'] }, '7d'), 'LookupEvents · default · us-east-1 · 7d');
  assert.equal(
    targetLabel(
      {
        kind: 'athena',
        workgroup: 'primary',
        database: 'default',
        table: 'cloudtrail_logs',
        catalog: 'AwsDataCatalog',
        region: 'us-east-1',
        maxScanBytes: 1,
        pricePerTb: 5,
      },
      '24h',
    ),
    'Athena · primary · default.cloudtrail_logs · 24h',
  );
});

test('summaries: rows, findings, limits, errors and cancels in one line, in UTC', () => {
  const at = new Date('2026-12-01T14:02:33Z');
  const base = { truncated: false, finishedAt: at };
  assert.equal(runSummary({ ...base, status: 'ok', rowCount: 12, elapsedMs: 1400 }), '✓ 12 rows · 1.4 s · 14:02 UTC');
  assert.equal(runSummary({ ...base, status: 'ok', rowCount: 1, elapsedMs: 80 }), '✓ 1 row · 80 ms · 14:02 UTC');
  assert.equal(
    runSummary({ ...base, status: 'finding', rowCount: 3, elapsedMs: 2500, expect: 'empty' }),
    '⚠ 3 findings · 2.5 s · 14:02 UTC',
  );
  assert.equal(
    runSummary({ ...base, status: 'finding', rowCount: 0, elapsedMs: 2500, expect: 'rows' }),
    '⚠ expected rows, found none · 2.5 s · 14:02 UTC',
  );
  assert.equal(
    runSummary({ ...base, status: 'ok', rowCount: 10_000, truncated: true, elapsedMs: 61_000 }),
    '✓ 10,000 rows (limit reached) · 1 min 1 s · 14:02 UTC',
  );
  assert.equal(runSummary({ ...base, status: 'cancelled', rowCount: 0, elapsedMs: 900 }), '■ cancelled · 900 ms · 14:02 UTC');
  assert.equal(
    runSummary({
      ...base,
      status: 'error',
      rowCount: 0,
      elapsedMs: 5,
      error: 'SQL error: Binder Error: column "nope" not found\nLINE 1: ...',
    }),
    '✗ SQL error: Binder Error: column "nope" not found',
  );
  assert.equal(
    runSummary({ ...base, status: 'skipped', rowCount: 0, elapsedMs: 0, error: 'not run: cell a did not complete' }),
    '↷ skipped: not run: cell a did not complete',
  );
});

test('the TextMate injection finds cloudtrail and sh fences and marks references', () => {
  const grammar = JSON.parse(readFileSync('syntaxes/cloudtrail-markdown-injection.tmLanguage.json', 'utf8'));
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(pkg.contributes.grammars[0].scopeName, grammar.scopeName);
  assert.equal(pkg.contributes.grammars[0].path, './syntaxes/cloudtrail-markdown-injection.tmLanguage.json');
  // Two Oniguruma forms JavaScript lacks: \G (where the last match ended; a line start
  // here) and (?i:…) (case-insensitive group; the whole pattern is made so instead).
  const oniguruma = (pattern: string): RegExp => new RegExp(pattern.replace(/\\G/g, '^').replace(/\(\?i:/g, '(?:'), 'i');
  const fence = oniguruma(grammar.repository['cloudtrail-fence'].begin);
  assert.ok(fence.test('```cloudtrail id=new-keys expect=empty'));
  assert.ok(fence.test('~~~~cloudtrail'));
  assert.ok(!fence.test('```sql'));
  assert.ok(!fence.test('```cloudtrailx'));
  assert.ok(fence.test('```CloudTrail'));
  const action = oniguruma(grammar.repository['action-fence'].begin);
  assert.ok(action.test('```sh id=disable-key'));
  assert.ok(!action.test('```shellscript'));
  const reference = new RegExp(grammar.repository.reference.match, 'g');
  const line = 'WHERE a = {{user}} AND b IN ({{ new-keys.accessKeyId }}) AND c = "{{"';
  assert.deepEqual(line.match(reference), ['{{user}}', '{{ new-keys.accessKeyId }}']);
});

test('exported rows: CSV quotes what needs it, JSON and NDJSON keep types and structs', async () => {
  const { exportRows } = await import('../../src/extension/exportRows');
  const columns = ['eventName', 'n', 'userIdentity', 'note'];
  const rows = [
    ['StopLogging', 3, { arn: 'arn:aws:iam::1:user/a' }, 'said "hi", then\nleft'],
    ['DeleteTrail', null, null, ''],
  ];
  assert.equal(
    exportRows('csv', columns, rows),
    'eventName,n,userIdentity,note\r\nStopLogging,3,"{""arn"":""arn:aws:iam::1:user/a""}","said ""hi"", then\nleft"\r\nDeleteTrail,,,\r\n',
  );
  assert.deepEqual(JSON.parse(exportRows('json', columns, rows)), [
    { eventName: 'StopLogging', n: 3, userIdentity: { arn: 'arn:aws:iam::1:user/a' }, note: 'said "hi", then\nleft' },
    { eventName: 'DeleteTrail', n: null, userIdentity: null, note: '' },
  ]);
  const lines = exportRows('ndjson', columns, rows).split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  assert.deepEqual(JSON.parse(itemAt(lines, 1)), { eventName: 'DeleteTrail', n: null, userIdentity: null, note: '' });
});
