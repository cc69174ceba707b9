// `trailbook run --evidence FILE` through the CLI as CI runs it: the report is
// written next to the normal output, on findings (exit 1) and failures (exit 2) too, its
// hashes match the rows the same run printed, and no credential from the environment gets in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';

const ROOT = resolve(__dirname, '../..');
// From source, as the other CLI tests run it: no build that other tests could read half-written.
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
const logs = stratusDir();
const cache = tempDir();
const dir = tempDir();
const STRATUS_WINDOW = ['--window', '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z'];

function trailbook(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TRAILBOOK_CACHE_DIR: cache, ...env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const sortKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortKeys)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
        )
      : v;

test('JSON evidence on findings (exit 1): hashes recomputed from the rows the same run printed', () => {
  const evidence = join(dir, 'tampering.json');
  const { status, stdout, stderr } = trailbook([
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    logs,
    ...STRATUS_WINDOW,
    '--format',
    'json',
    '--evidence',
    evidence,
  ]);
  assert.equal(status, 1, stderr);
  assert.match(stderr, /evidence written to /);
  const output = JSON.parse(stdout);
  const report = JSON.parse(readFileSync(evidence, 'utf8'));
  assert.equal(report.format, 'trailbook-evidence/1');
  assert.equal(report.run.exitCode, 1);
  assert.equal(report.runbook.path, 'runbooks/cloudtrail-tampering.md');
  assert.equal(report.runbook.sha256, sha256(readFileSync(join(ROOT, 'runbooks/cloudtrail-tampering.md'))));
  assert.equal(report.runbook.git.repository, true);
  assert.match(report.runbook.git.head, /^[0-9a-f]{40}$/);
  assert.equal(report.run.source.kind, 'local');
  assert.deepEqual(
    report.cells.map((c: { id: string }) => c.id),
    output.cells.map((c: { id: string }) => c.id),
  );
  for (const [i, cell] of report.cells.entries()) {
    const printed = output.cells[i];
    assert.equal(cell.sql, printed.sql);
    assert.equal(cell.rowCount, printed.rowCount);
    assert.equal(cell.status, printed.status);
    // What docs/evidence.md tells an auditor to do with a saved --format json output.
    const rows = printed.rows.map((row: Record<string, unknown>) => printed.columns.map((c: string) => row[c]));
    assert.equal(cell.resultSha256, sha256(JSON.stringify(sortKeys({ columns: printed.columns, rows }))), cell.id);
  }
  assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp-')), 'written atomically: no temporary file left');
});

test('Markdown evidence, and the normal table output still on standard output', () => {
  const evidence = join(dir, 'tampering.md');
  const { status, stdout } = trailbook([
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    logs,
    ...STRATUS_WINDOW,
    '--cell',
    'trail-changes',
    '--evidence',
    evidence,
  ]);
  assert.equal(status, 1);
  assert.match(stdout, /── trail-changes/);
  const markdown = readFileSync(evidence, 'utf8');
  assert.match(markdown, /^# Evidence: /);
  assert.match(markdown, /\| `trail-changes` \| \d+ \| finding \(\d+\) \|/);
  assert.match(markdown, /Result SHA-256: `[0-9a-f]{64}`/);
});

test('a failing cell (exit 2) still writes the evidence, with the error; outside git it says so', () => {
  const runbook = join(dir, 'broken.md');
  writeFileSync(
    runbook,
    '# Broken\n\n```cloudtrail id=ok\nSELECT count(*) AS n FROM cloudtrail_logs\n```\n\n```cloudtrail id=bad\nSELECT nope FROM cloudtrail_logs\n```\n',
  );
  const evidence = join(dir, 'broken.json');
  const { status } = trailbook(['run', runbook, '--logs', logs, '--evidence', evidence, '--quiet']);
  assert.equal(status, 2);
  const report = JSON.parse(readFileSync(evidence, 'utf8'));
  assert.equal(report.run.exitCode, 2);
  assert.deepEqual(report.runbook.git, { repository: false, reason: 'not in a git repository' });
  assert.deepEqual(
    report.cells.map((c: { id: string; status: string }) => [c.id, c.status]),
    [
      ['ok', 'ok'],
      ['bad', 'error'],
    ],
  );
  assert.match(report.cells[1].error.message, /nope/);
  assert.equal(report.cells[1].resultSha256, null);
});

test('a runbook with errors: nothing runs, the evidence records its problems', () => {
  const runbook = join(dir, 'invalid.md');
  writeFileSync(runbook, '```cloudtrail id=a\nSELECT {{missing}}\n```\n');
  const evidence = join(dir, 'invalid.md.json');
  const { status } = trailbook(['run', runbook, '--logs', logs, '--evidence', evidence, '--quiet']);
  assert.equal(status, 2);
  const report = JSON.parse(readFileSync(evidence, 'utf8'));
  assert.deepEqual(report.cells, []);
  assert.deepEqual(
    report.runbook.problems.map((p: { code: string }) => p.code),
    ['unknown-param'],
  );
});

test('--evidence needs a .json or .md name; nothing is written otherwise', () => {
  const evidence = join(dir, 'evidence.txt');
  const { status, stderr } = trailbook(['run', 'runbooks/cloudtrail-tampering.md', '--logs', logs, '--evidence', evidence]);
  assert.equal(status, 2);
  assert.match(stderr, /--evidence .*evidence\.txt: name a \.json or \.md file/);
  assert.equal(existsSync(evidence), false);
});

test('credentials in the environment never reach the evidence', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz';
  const token = 'IQoJb3JpZ2luX2VjSESSIONTOKENzzzzzzzzzzzzzzzz/+=';
  const evidence = join(dir, 'creds.json');
  const { status } = trailbook(
    [
      'run',
      'runbooks/cloudtrail-tampering.md',
      '--logs',
      logs,
      ...STRATUS_WINDOW,
      '--evidence',
      evidence,
      '--param',
      `unused=${token}`,
      '--quiet',
    ],
    { AWS_ACCESS_KEY_ID: 'ASIAZZZZZZZZZZZZZZZZ', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token },
  );
  assert.equal(status, 1);
  const text = readFileSync(evidence, 'utf8');
  assert.ok(!text.includes(secret));
  assert.ok(!text.includes(token));
  assert.ok(!text.includes('SESSIONTOKEN'));
  assert.ok(!text.includes('SECRET'));
});
