// The outputs CI systems read, validated against the formats' own schemas (kept in
// test/fixtures/ci-schemas with their origin): JUnit XML by libxml2 (xmllint-wasm) against
// Jenkins' junit-10.xsd, SARIF by ajv against the OASIS SARIF 2.1.0 JSON schema; and the
// GitHub annotations, escaped as the runner's toolkit does and capped at 10 a level.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { validateXML } from 'xmllint-wasm';
import { annotationLines, escapeData, escapeProperty } from '../../src/app/githubAnnotations';
import { toJunit } from '../../src/app/junit';
import type { CellRun } from '../../src/app/runbookRunner';
import { toSarif } from '../../src/app/sarif';
import { parseRunbook } from '../../src/runbook/parse';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const SCHEMAS = join(ROOT, 'test/fixtures/ci-schemas');
const STRATUS_WINDOW = ['--window', '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z'];

function trailbook(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: tempDir(), TRAILBOOK_CACHE_DIR: tempDir(), ...env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: readFileSync(join(SCHEMAS, 'junit-10.xsd'), 'utf8') }],
  });
  return result.errors.map((e) => e.rawMessage);
}

function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'sarif-schema-2.1.0.json'), 'utf8')));
}

test('run --format junit: a cell a test case, a finding a failure with its rows; valid against the JUnit XSD', async () => {
  const { status, stdout } = trailbook([
    'run',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    stratusDir(),
    ...STRATUS_WINDOW,
    '--format',
    'junit',
  ]);
  assert.equal(status, 1);
  assert.deepEqual(await xsdErrors(stdout), []);
  // As many test cases as cells, as many failures as cells that found something (run's own json says which).
  const cells = JSON.parse(
    trailbook(['run', 'runbooks/cloudtrail-tampering.md', '--logs', stratusDir(), ...STRATUS_WINDOW, '--format', 'json']).stdout,
  ).cells as Array<{ status: string }>;
  const findings = cells.filter((c) => c.status === 'finding').length;
  assert.ok(findings >= 1);
  assert.match(
    stdout,
    new RegExp(
      `<testsuite name="runbooks/cloudtrail-tampering\\.md" tests="${cells.length}" failures="${findings}" errors="0" skipped="0" time="\\d+\\.\\d{3}"`,
    ),
  );
  assert.equal(stdout.match(/<failure type="finding"/g)?.length, findings);
  assert.match(
    stdout,
    /<testcase name="trail-changes · Detect: trails stopped, deleted or narrowed" classname="runbooks\/cloudtrail-tampering\.md" time="\d+\.\d{3}">\n {6}<failure type="finding" message="\d+ findings \(runbooks\/cloudtrail-tampering\.md:\d+\)">eventTime/,
  );
  assert.match(stdout, /StopLogging/);
});

test('junit stays valid XML with hostile values: markup, control characters, lone surrogates, an error and a skipped cell', async () => {
  const runbook = parseRunbook(
    '# t\n\n```cloudtrail id=a expect=empty\nSELECT 1\n```\n\n```cloudtrail id=b\nSELECT 2\n```\n\n```cloudtrail id=c\nSELECT 3\n```\n',
    'rb/<&"x">.md',
  );
  const [a, b, c] = runbook.cells;
  const base = { columns: ['v'], truncated: false, elapsedMs: 1234.5678, notes: [], problems: [] };
  const runs: CellRun[] = [
    { ...base, cell: a!, status: 'finding', rows: [['</failure><x>&amp; ]]> \u0000\u0007\u001B[31m \uD800 \uFFFF "\'']] },
    { ...base, cell: b!, status: 'error', rows: [], sql: 'SELECT "]]>"', error: { message: 'bad <thing> & \u0001', line: 7 } },
    { ...base, cell: c!, status: 'skipped', rows: [], error: { message: 'not run: <b> failed', line: 11 } },
  ];
  const xml = toJunit(
    [
      { runbook: runbook.path, runs },
      { runbook: 'other.md', runs: [], failure: 'cannot read <other.md>' },
    ],
    new Date('2026-12-06T03:00:00Z'),
  );
  assert.deepEqual(await xsdErrors(xml), []);
  assert.match(xml, /<testsuites name="trailbook" tests="4" failures="1" errors="2" time="3\.704">/);
  assert.match(xml, /&lt;\/failure&gt;&lt;x&gt;&amp;amp; \]\]&gt; \\u0000\\u0007\\u001B\[31m \\uD800 \\uFFFF &quot;&apos;/);
  assert.match(xml, /<skipped message="not run: &lt;b&gt; failed"\/>/);
});

test('check --format junit is valid too', async () => {
  const dir = tempDir();
  const { status, stdout } = trailbook([
    'check',
    'runbooks/cloudtrail-tampering.md',
    '--logs',
    stratusDir(),
    '--state',
    join(dir, 's.json'),
    '--start',
    '2024-01-01T00:00:00Z',
    '--end',
    '2025-01-01T00:00:00Z',
    '--format',
    'junit',
  ]);
  assert.equal(status, 1);
  assert.deepEqual(await xsdErrors(stdout), []);
  assert.match(stdout, /<failure type="finding"/);
});

function lintedFolder(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'bad.md'),
    '---\ntitle: Bad\nwindow: 3x\n---\n\n```cloudtrail id=one expcet=empty severity=loud\nSELECT * FROM cloudtrail_logs WHERE eventName = {{nope}}\n```\n',
  );
  return dir;
}

test('lint --format sarif is valid SARIF 2.1.0 with the lint codes as rule ids and a fingerprint per result', () => {
  const dir = lintedFolder();
  const { status, stdout } = trailbook(['lint', '--format', 'sarif', join(dir, 'bad.md')]);
  assert.equal(status, 2);
  const log = JSON.parse(stdout);
  const validate = sarifValidator();
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
  const [run] = log.runs;
  const rules = run.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.deepEqual(rules, [...rules].sort());
  for (const code of ['invalid-window', 'unknown-attribute', 'invalid-severity', 'unknown-param']) assert.ok(rules.includes(code), code);
  for (const result of run.results) {
    assert.equal(rules[result.ruleIndex], result.ruleId);
    assert.match(result.partialFingerprints['trailbookProblem/v1'], /^[0-9a-f]{64}$/);
    assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
  }
  const severity = run.results.find((r: { ruleId: string }) => r.ruleId === 'invalid-severity');
  assert.equal(severity.level, 'error');
  assert.equal(severity.locations[0].physicalLocation.region.startLine, 6);
});

test('SARIF fingerprints stay when lines above move, and differ between problems', () => {
  const text = '# t\n\n```cloudtrail id=one expcet=empty\nSELECT 1\n```\n';
  const fingerprints = (t: string) => {
    const runbook = parseRunbook(t, 'r.md');
    const log = JSON.parse(toSarif([{ uri: 'r.md', text: t, problems: runbook.problems }], '0.1.0'));
    return log.runs[0].results.map(
      (r: { partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => [
        r.partialFingerprints['trailbookProblem/v1'],
        itemAt(r.locations, 0).physicalLocation.region.startLine,
      ],
    );
  };
  const before = fingerprints(text);
  const after = fingerprints(`intro\n\nmore intro\n\n${text}`);
  assert.equal(before.length, 1);
  assert.equal(after[0][0], before[0][0], 'same fingerprint');
  assert.equal(after[0][1], before[0][1] + 4, 'at the new line');
  const two = fingerprints(`${text}\n${text.replace('# t\n\n', '').replace('id=one', 'id=two')}`);
  assert.equal(new Set(two.map((f: string[]) => f[0])).size, 2);
});

test('GitHub annotations: escaped as the runner reads them, 10 of each level, the rest counted', () => {
  assert.equal(escapeData('50% done\r\nnext::error::x'), '50%25 done%0D%0Anext::error::x');
  assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  const many = Array.from({ length: 13 }, (_, i) => ({
    level: 'error' as const,
    file: 'runbooks/x,y.md',
    line: i + 1,
    title: 'lint: sql',
    message: `bad\nline ${i}`,
  }));
  const lines = annotationLines([...many, { level: 'warning', file: 'a.md', line: 2, message: 'w' }]);
  assert.equal(lines.length, 12);
  assert.equal(lines[0], '::error file=runbooks/x%2Cy.md,line=1,title=lint%3A sql::bad%0Aline 0');
  assert.equal(lines[10], 'trailbook: 3 more errors not annotated (GitHub shows 10 per step); all 13 are in the log above');
  assert.equal(lines[11], '::warning file=a.md,line=2::w');
  // A log value's terminal escape is shown as its code, not passed to the log viewer.
  assert.equal(
    annotationLines([{ level: 'error', file: 'a.md', line: 1, message: 'x\u001B[2Jy\u202Ez' }])[0],
    '::error file=a.md,line=1::x\\u001B[2Jy\\u202Ez',
  );
  // No line lets a value start a command of its own.
  for (const line of lines.slice(0, 10)) assert.equal(line.split('\n').length, 1);
});

test('lint prints annotations when GITHUB_ACTIONS is set, and not otherwise', () => {
  const dir = lintedFolder();
  const inActions = trailbook(['lint', join(dir, 'bad.md')], { GITHUB_ACTIONS: 'true' });
  assert.match(inActions.stderr, /^::error file=[^,]*bad\.md,line=3,title=trailbook lint%3A invalid-window::/m);
  const outside = trailbook(['lint', join(dir, 'bad.md')]);
  assert.doesNotMatch(outside.stderr, /^::/m);
});

test('run prints an annotation on the line of each cell that found something when GITHUB_ACTIONS is set', () => {
  const { status, stderr } = trailbook(
    ['run', 'runbooks/cloudtrail-tampering.md', '--logs', stratusDir(), ...STRATUS_WINDOW, '--cell', 'trail-changes', '--quiet'],
    { GITHUB_ACTIONS: 'true' },
  );
  assert.equal(status, 1);
  const fence =
    readFileSync(join(ROOT, 'runbooks/cloudtrail-tampering.md'), 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('```cloudtrail id=trail-changes')) + 1;
  assert.match(
    stderr,
    new RegExp(
      `^::error file=runbooks/cloudtrail-tampering\\.md,line=${fence},title=trailbook%3A trail-changes::Detect: trails stopped, deleted or narrowed: \\d+ findings$`,
      'm',
    ),
  );
});
