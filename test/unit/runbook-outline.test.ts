// A runbook's outline (issue 16): what the CodeLenses and the status bar read, made without
// the shell parser (1.3 MB, ~150 ms to load), so the first lens on a runbook with response
// actions does not wait for it. The outline has the same blocks at the same places as the
// whole parse, and nothing that runs can take it: it has no problems and its actions no
// references, and the compiler refuses it where a checked runbook is needed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { lensSpots } from '../../src/extension/lensModel';
import { parseRunbook, parseRunbookOutline } from '../../src/runbook/parse';
import { substituteAction } from '../../src/runbook/substituteAction';
import type { Runbook } from '../../src/runbook/types';

const ROOT = resolve(__dirname, '../..');
const WITH_ACTIONS = [
  ...readdirSync(join(ROOT, 'runbooks'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('runbooks', name)),
  'test/fixtures/cli/actions.md',
  'test/fixtures/cli/hostile-actions.md',
  'test/fixtures/cli/bad-action.md',
].filter((path) => /^(```|~~~)\s*(sh|bash|shell)\b/m.test(readFileSync(join(ROOT, path), 'utf8')));

test('the outline has the whole parse’s front matter, cells and action places: the same lenses', () => {
  assert.ok(WITH_ACTIONS.length >= 10, `runbooks with response actions: ${WITH_ACTIONS.join(', ')}`);
  for (const path of WITH_ACTIONS) {
    const text = readFileSync(join(ROOT, path), 'utf8');
    const whole = parseRunbook(text, path);
    const outline = parseRunbookOutline(text, path);
    assert.ok(outline.actions.length > 0, `${path} has actions`);
    const { problems: _problems, actions, ...rest } = whole;
    assert.deepEqual(outline, { ...rest, actions: actions.map(({ references: _references, ...place }) => place) }, path);
    assert.deepEqual(lensSpots(outline), lensSpots(whole), path);
  }
});

test('an outline keeps no problems and no action references: what refuses an action is only in the whole parse', () => {
  const path = 'test/fixtures/cli/hostile-actions.md';
  const text = readFileSync(join(ROOT, path), 'utf8');
  const whole = parseRunbook(text, path);
  const outline = parseRunbookOutline(text, path);
  assert.ok(
    whole.problems.some((p) => p.severity === 'error' && whole.actions.some((a) => p.line >= a.fenceLine && p.line <= a.endLine)),
    'the whole parse refuses an action of the hostile fixture',
  );
  assert.equal('problems' in outline, false);
  for (const action of outline.actions) assert.equal('references' in action, false, action.id);
  // What runs takes a checked runbook; an outline is refused by the compiler (npm test typechecks this file).
  // @ts-expect-error an outline is not a Runbook (it has no problems): nothing that runs takes it
  const runnable: Runbook = outline;
  assert.equal(runnable.problems, undefined);
  const [action] = outline.actions;
  assert.ok(action);
  // @ts-expect-error an outline's action has no checked references: it cannot be substituted
  void (() => substituteAction(action, outline, { params: {}, cellResults: () => undefined }));
});

test('the outline does not load the shell parser; the whole parse does', () => {
  // A fresh process: this one may have loaded the parser already.
  const script = [
    `const { parseRunbook, parseRunbookOutline } = require(${JSON.stringify(join(ROOT, 'src/runbook/parse.ts'))});`,
    `const text = require('node:fs').readFileSync(${JSON.stringify(join(ROOT, 'runbooks/cloudtrail-tampering.md'))}, 'utf8');`,
    "const shellParser = () => Object.keys(require.cache).some((path) => path.includes('mvdan-sh'));",
    "const outline = parseRunbookOutline(text, 'cloudtrail-tampering.md');",
    'const afterOutline = shellParser();',
    "parseRunbook(text, 'cloudtrail-tampering.md');",
    'console.log(JSON.stringify({ actions: outline.actions.length, afterOutline, afterWhole: shellParser() }));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=commonjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { actions: 1, afterOutline: false, afterWhole: true });
});
