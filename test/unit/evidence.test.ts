// The evidence report: what it records of a real run, hashes an auditor can recompute
// without Trailbook's code, git state inside this checkout and outside any repository, both
// renderings, and no secrets.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import {
  CellClock,
  EVIDENCE_FORMAT,
  buildEvidence,
  canonicalResultJson,
  describeSource,
  evidenceFormatFor,
  evidenceJson,
  evidenceMarkdown,
  gitInfo,
  resultSha256,
  scrubText,
  secretsFromEnv,
  type EvidenceReport,
} from '../../src/app/evidence';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const RUNBOOK = join(ROOT, 'runbooks/cloudtrail-tampering.md');
const STRATUS_WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The documented canonical form, written again here without the module's code. */
function canonical(columns: string[], rows: unknown[][]): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.keys(v)
            .sort()
            .reduce<Record<string, unknown>>((o, k) => ((o[k] = sorted((v as Record<string, unknown>)[k])), o), {})
        : v;
  return JSON.stringify({ columns, rows: sorted(rows) });
}

async function runTampering(): Promise<{ text: string; runs: CellRun[]; clock: CellClock; startedAt: Date; finishedAt: Date }> {
  const store = await openStore();
  const text = readFileSync(RUNBOOK, 'utf8');
  const runbook = parseRunbook(text, RUNBOOK);
  const clock = new CellClock();
  const startedAt = new Date();
  const runs = await runRunbook(runbook, {
    store,
    source: new LocalLogsSource(store, stratusDir()),
    window: STRATUS_WINDOW,
    onCell: (r) => clock.record(r),
  });
  return { text, runs, clock, startedAt, finishedAt: new Date() };
}

const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

test('a real run: every cell with its SQL as run, window, times, counts and a hash anyone can recompute', async () => {
  const { text, runs, clock, startedAt, finishedAt } = await runTampering();
  const report = buildEvidence({
    runbookPath: 'runbooks/cloudtrail-tampering.md',
    runbookText: text,
    runbook: parseRunbook(text, RUNBOOK),
    runs,
    source: describeSource({ kind: 'local', logs: stratusDir() }),
    git: await gitInfo(RUNBOOK),
    startedAt,
    finishedAt,
    params: {},
    window: STRATUS_WINDOW,
    exitCode: 1,
    clock,
    secrets: [],
  });
  assert.equal(report.format, EVIDENCE_FORMAT);
  assert.equal(report.runbook.sha256, sha256(readFileSync(RUNBOOK)));
  assert.equal(report.runbook.title, parseRunbook(text, RUNBOOK).title);
  assert.equal(report.run.source.label, `local logs ${stratusDir()}`);
  assert.equal(report.run.window, STRATUS_WINDOW);
  assert.equal(report.run.exitCode, 1);
  assert.deepEqual(
    report.cells.map((c) => c.id),
    runs.map((r) => r.cell.id),
  );
  assert.ok(report.summary.findings >= 1);
  for (const [i, cell] of report.cells.entries()) {
    const run = itemAt(runs, i);
    assert.equal(cell.status, run.status);
    assert.equal(cell.sql, run.sql);
    assert.ok(!cell.sql!.includes('{{'), 'the SQL as run, after substitution');
    assert.equal(cell.heading, run.cell.heading);
    assert.equal(cell.line, run.cell.fenceLine + 1);
    assert.equal(cell.rowCount, run.rows.length);
    assert.equal(cell.truncated, false);
    assert.equal(cell.source, 'local');
    assert.deepEqual(cell.window, {
      start: '2024-01-01T00:00:00.000Z',
      end: '2025-01-01T00:00:00.000Z',
      label: STRATUS_WINDOW,
      rule: 'explicit',
    });
    assert.equal(cell.findings, run.status === 'finding' ? run.rows.length : 0);
    assert.deepEqual(cell.notes, run.notes);
    assert.ok(Date.parse(cell.startedAt!) <= Date.parse(cell.finishedAt!));
    assert.ok(Date.parse(cell.startedAt!) >= startedAt.getTime() - 5 && Date.parse(cell.finishedAt!) <= finishedAt.getTime());
    assert.equal(cell.resultSha256, sha256(canonical(run.columns, run.rows)));
    assert.equal(cell.resultSha256, resultSha256(run.columns, run.rows));
    assert.equal(cell.profile, undefined);
  }
  // JSON round-trips; Markdown shows the table of cells and every hash.
  assert.deepEqual(JSON.parse(evidenceJson(report)), report);
  const markdown = evidenceMarkdown(report);
  assert.match(markdown, /^# Evidence: /);
  assert.match(markdown, /\| Cell \| Line \| Status \| Rows \| Window \| Account \| Result SHA-256 \|/);
  assert.ok(markdown.includes(report.runbook.sha256));
  for (const cell of report.cells) {
    assert.ok(markdown.includes(`| \`${cell.id}\` | ${cell.line} |`), cell.id);
    assert.ok(markdown.includes(cell.resultSha256!), cell.id);
    assert.ok(markdown.includes(`\`\`\`sql\n${cell.sql}\n\`\`\``), cell.id);
  }
  // The report is not a runbook: opening it in the editor shows no runnable cells.
  const reparsed = parseRunbook(markdown, 'evidence.md');
  assert.deepEqual(reparsed.cells, []);
  assert.deepEqual(reparsed.actions, []);
});

test('canonical form: key order, nesting and value types are fixed', () => {
  const rows = [[{ b: 1, a: [{ z: null, y: 'é' }] }, 'x', 3.5, true, null]];
  assert.equal(
    canonicalResultJson(['s', 't', 'n', 'b', 'z'], rows),
    '{"columns":["s","t","n","b","z"],"rows":[[{"a":[{"y":"é","z":null}],"b":1},"x",3.5,true,null]]}',
  );
  assert.equal(resultSha256([], []), sha256('{"columns":[],"rows":[]}'));
  assert.notEqual(resultSha256(['a'], [['1']]), resultSha256(['a'], [[1]]));
});

test('git: commit and state of a runbook in this checkout', async () => {
  const info = await gitInfo(RUNBOOK);
  assert.equal(info.repository, true);
  if (!info.repository) return;
  assert.equal(info.path, 'runbooks/cloudtrail-tampering.md');
  assert.equal(info.head, git('rev-parse', 'HEAD'));
  const last = git('log', '-1', '--format=%H', '--', 'runbooks/cloudtrail-tampering.md');
  assert.equal(info.commit, last || undefined);
  assert.match(info.commit ?? '', /^[0-9a-f]{40}$/);
  assert.equal(info.tracked, true);
  assert.equal(info.uncommittedChanges, git('status', '--porcelain', '--', 'runbooks/cloudtrail-tampering.md') !== '');
});

test('git: a folder outside any repository says so; a new repository tracks commits and changes', async () => {
  const dir = tempDir();
  const file = join(dir, 'rb.md');
  writeFileSync(file, '# x\n');
  assert.deepEqual(await gitInfo(file), { repository: false, reason: 'not in a git repository' });

  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'sub'), { recursive: true });
  const inRepo = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
  inRepo('init', '-q');
  const runbook = join(repo, 'sub', 'my runbook.md');
  writeFileSync(runbook, '# one\n');
  assert.deepEqual(await gitInfo(runbook), { repository: true, path: 'sub/my runbook.md', tracked: false, uncommittedChanges: true });
  inRepo('add', '.');
  inRepo('commit', '-q', '-m', 'first');
  const head = inRepo('rev-parse', 'HEAD');
  assert.deepEqual(await gitInfo(runbook), {
    repository: true,
    path: 'sub/my runbook.md',
    head,
    commit: head,
    tracked: true,
    uncommittedChanges: false,
  });
  writeFileSync(runbook, '# two\n');
  assert.deepEqual(await gitInfo(runbook), {
    repository: true,
    path: 'sub/my runbook.md',
    head,
    commit: head,
    tracked: true,
    uncommittedChanges: true,
  });
  writeFileSync(join(repo, 'other.md'), 'x');
  inRepo('add', 'other.md');
  inRepo('commit', '-q', '-m', 'second');
  const info = await gitInfo(runbook);
  assert.ok(info.repository && info.head !== head && info.commit === head, 'commit is the last change to the file, head the checkout');
});

test('failed and skipped cells are recorded with their errors and no result hash', async () => {
  const store = await openStore();
  const text =
    '# Broken\n\n```cloudtrail id=bad\nSELECT no_such_column FROM cloudtrail_logs\n```\n\n```cloudtrail id=after\nSELECT eventName FROM cloudtrail_logs WHERE eventName IN ({{bad.x}})\n```\n';
  const runbook = parseRunbook(text, 'broken.md');
  const runs = await runRunbook(runbook, { store, source: new LocalLogsSource(store, stratusDir()) });
  const report = buildEvidence({
    runbookPath: 'broken.md',
    runbookText: text,
    runbook,
    runs,
    source: { kind: 'local', label: 'local logs x' },
    git: { repository: false, reason: 'not in a git repository' },
    startedAt: new Date(0),
    finishedAt: new Date(1000),
    secrets: [],
  });
  assert.deepEqual(
    report.cells.map((c) => [c.id, c.status, c.resultSha256]),
    [
      ['bad', 'error', null],
      ['after', 'skipped', null],
    ],
  );
  assert.match(itemAt(report.cells, 0).error!.message, /no_such_column/);
  assert.equal(itemAt(report.cells, 0).error!.line, 4);
  assert.equal(itemAt(report.cells, 0).sql, 'SELECT no_such_column FROM cloudtrail_logs');
  assert.deepEqual(report.summary, { cells: 2, ok: 0, findings: 0, errors: 1, skipped: 1, unconfigured: 0 });
  const markdown = evidenceMarkdown(report);
  assert.match(markdown, /\| `bad` \| 3 \| error \| 0 \|/);
  assert.match(markdown, /Result SHA-256: none \(no result\)/);
  assert.match(markdown, /not in a git repository/);
});

test('lookup runs record profile, regions and account; nothing secret reaches the report', async () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY123456',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=abcdefghijklmnopqrstuvwxyz0123456789',
  } as NodeJS.ProcessEnv;
  const runbook = parseRunbook('```cloudtrail id=c\nSELECT 1 AS n\n```\n', 'rb.md');
  const cell = itemAt(runbook.cells, 0);
  const run: CellRun = {
    cell,
    status: 'ok',
    sql: `SELECT 1 AS n -- ${env.AWS_SECRET_ACCESS_KEY}`,
    window: { start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-01-02T00:00:00Z'), label: '24h' },
    columns: ['n'],
    rows: [[1]],
    truncated: false,
    elapsedMs: 5,
    notes: [
      `fetched with session token ${env.AWS_SESSION_TOKEN}`,
      'aws_secret_access_key = abcdEXAMPLE',
      `key ${env.AWS_ACCESS_KEY_ID} used`,
    ],
    problems: [{ where: 'https://user:hunter2pass@example.invalid/x', message: `X-Amz-Security-Token=${env.AWS_SESSION_TOKEN}&a=b` }],
    account: '111122223333',
  };
  const report = buildEvidence({
    runbookPath: 'rb.md',
    runbookText: 'x',
    runbook,
    runs: [run],
    source: describeSource({
      kind: 'lookup',
      regions: ['us-east-1', 'eu-west-1'],
      profile: 'audit',
      endpoint: 'http://k:s3cretpw@127.0.0.1:4599',
    }),
    git: { repository: false, reason: 'not in a git repository' },
    startedAt: new Date(0),
    finishedAt: new Date(1),
    secrets: secretsFromEnv(env),
  });
  const cellReport = itemAt(report.cells, 0);
  assert.equal(cellReport.profile, 'audit');
  assert.deepEqual(cellReport.regions, ['us-east-1', 'eu-west-1']);
  assert.equal(cellReport.account, '111122223333');
  assert.equal(cellReport.resultSha256, sha256('{"columns":["n"],"rows":[[1]]}'), 'hashes are of the real data');
  for (const text of [evidenceJson(report), evidenceMarkdown(report)]) {
    for (const secret of [env.AWS_SECRET_ACCESS_KEY!, env.AWS_SESSION_TOKEN!, 'abcdEXAMPLE', 'hunter2pass', 's3cretpw']) {
      assert.ok(!text.includes(secret), `${secret} leaked`);
    }
    assert.ok(text.includes('[redacted]'));
    // An access key ID is CloudTrail data, not a secret: it stays.
    assert.ok(text.includes(env.AWS_ACCESS_KEY_ID!));
    assert.ok(text.includes('audit'));
  }
});

test('scrubText and the file name rules', () => {
  assert.equal(
    scrubText('{"SecretAccessKey": "abc/def+ghi", "SessionToken":"tok"}'),
    '{"SecretAccessKey": "[redacted]", "SessionToken":"[redacted]"}',
  );
  assert.equal(scrubText('s3://bucket/key and arn:aws:iam::1:user/x'), 's3://bucket/key and arn:aws:iam::1:user/x');
  assert.equal(scrubText('a-secret-value-here!', ['a-secret-value-here']), '[redacted]!');
  assert.equal(evidenceFormatFor('x/e.json'), 'json');
  assert.equal(evidenceFormatFor('E.MD'), 'markdown');
  assert.equal(evidenceFormatFor('e.txt'), undefined);
  assert.equal(evidenceFormatFor('json'), undefined);
});

test('Markdown stays one report whatever the values: fences and tables cannot be broken', () => {
  const report: EvidenceReport = {
    format: EVIDENCE_FORMAT,
    generatedAt: '2024-01-01T00:00:00.000Z',
    generator: 'trailbook',
    runbook: {
      path: 'a|b.md',
      title: 'T | `x` <b>',
      sha256: 'f'.repeat(64),
      git: { repository: false, reason: 'not in a git repository' },
      problems: [],
    },
    run: { startedAt: 'a', finishedAt: 'b', source: { kind: 'local', label: 'local logs ./a|b' }, params: { user: "x'|\n```" } },
    summary: { cells: 1, ok: 1, findings: 0, errors: 0, skipped: 0, unconfigured: 0 },
    cells: [
      {
        id: 'c',
        line: 1,
        status: 'ok',
        findings: 0,
        source: 'local',
        sourceLabel: 'l',
        elapsedMs: 1,
        sql: "SELECT '\n````\n# not a heading' AS x",
        columns: ['x'],
        rowCount: 1,
        truncated: false,
        resultSha256: 'a'.repeat(64),
        notes: ['n | m'],
        problems: [],
      },
    ],
  };
  const markdown = evidenceMarkdown(report);
  assert.ok(markdown.includes("`````sql\nSELECT '\n````\n# not a heading' AS x\n`````"));
  assert.ok(markdown.includes('| Runbook | `a\\|b.md` |'));
  assert.ok(!/^# not a heading/m.test(markdown.replace(/`````sql[\s\S]*?`````/, '')));
});

test("each cell says which window rule gave its window: the run's, the cell's own, the runbook's", async () => {
  const store = await openStore();
  const text =
    '---\nwindow: 3650d\n---\n\n```cloudtrail id=by-runbook\nSELECT count(*) AS n FROM cloudtrail_logs\n```\n\n' +
    '```cloudtrail id=by-cell window=2024-07-30T21:00:00Z/2024-07-31T00:00:00Z\nSELECT count(*) AS n FROM cloudtrail_logs\n```\n';
  const runbook = parseRunbook(text, 'windows.md');
  const evidenceOf = async (window?: string) => {
    const runs = await runRunbook(runbook, {
      store,
      source: new LocalLogsSource(store, stratusDir()),
      ...(window ? { window } : {}),
      now: new Date('2026-12-01T00:00:00Z'),
    });
    return buildEvidence({
      runbookPath: 'windows.md',
      runbookText: text,
      runbook,
      runs,
      source: { kind: 'local', label: 'local logs x' },
      git: { repository: false, reason: 'not in a git repository' },
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      secrets: [],
    });
  };
  const own = await evidenceOf();
  assert.deepEqual(
    own.cells.map((c) => c.window?.rule),
    ['runbook', 'cell'],
  );
  assert.match(evidenceMarkdown(own), /Window: .* \(3650d; the runbook's window:\)/);
  // An explicit window wins over the runbook's; a cell's absolute window (a pivot's) keeps its own.
  const explicit = await evidenceOf('2024-07-01T00:00:00Z/2024-12-01T00:00:00Z');
  assert.deepEqual(
    explicit.cells.map((c) => c.window?.rule),
    ['explicit', 'cell'],
  );
  assert.match(evidenceJson(explicit), /"rule": "explicit"/);
  assert.match(evidenceMarkdown(explicit), /the run's window \(--window, --start\/--end or the editor's investigation window\)/);
});
