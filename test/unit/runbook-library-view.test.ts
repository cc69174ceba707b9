// The Runbooks view's model and the "New runbook" template: the template is a runbook that
// lints clean, and the library groups the bundled runbooks by ATT&CK tactic, each once, and
// finds them by words (technique names included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../src/runbook';
import { runbookSlug, runbookTemplate } from '../../src/runbook/template';
import { lintRunbook } from '../../src/app/lintRunbook';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { groupByTactic, libraryEntry, matchesQuery, primaryTactic, techniqueNames } from '../../src/extension/runbookLibrary';
import { TACTICS } from '../../src/extension/attackNames';
import { itemAt } from '../support/itemAt';

test('the new-runbook template parses and lints without a problem, its title quoted for YAML', async () => {
  const title = 'Keys used from "new" places: #1 priority';
  const runbook = parseRunbook(runbookTemplate(title, new Date('2026-12-01T10:00:00Z')), 'runbooks/new.md');
  assert.equal(runbook.title, title);
  assert.equal(runbook.reviewed, '2026-12-01');
  assert.deepEqual(
    runbook.cells.map((c) => c.id),
    ['detect', 'actor-activity', 'verify'],
  );
  assert.deepEqual(
    runbook.actions.map((a) => a.id),
    ['respond'],
  );
  assert.equal(itemAt(runbook.cells, 0).expect, 'empty');
  const checker = await openSqlChecker();
  try {
    assert.deepEqual(await lintRunbook(runbook, checker.connection, new Date('2026-12-01T10:00:00Z')), []);
  } finally {
    checker.close();
  }
});

test('file names from titles', () => {
  assert.equal(runbookSlug('Root account activity'), 'root-account-activity');
  assert.equal(runbookSlug('  Accès refusé: énumération!  '), 'acces-refuse-enumeration');
  assert.equal(runbookSlug('../../etc/passwd'), 'etc-passwd');
  assert.equal(runbookSlug('¿?'), 'runbook');
  assert.ok(runbookSlug('x'.repeat(200)).length <= 60);
});

test('the bundled runbooks: one entry each, under its first tactic, tactics in ATT&CK order, ids shown as names', () => {
  const dir = 'runbooks';
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => libraryEntry(parseRunbook(readFileSync(join(dir, f), 'utf8'), join(dir, f)), 'bundled'));
  assert.ok(entries.length >= 4);
  const groups = groupByTactic(entries);
  const listed = groups.flatMap((g) => g.entries);
  assert.equal(listed.length, entries.length, 'every runbook once');
  assert.equal(new Set(listed).size, entries.length);
  const order = TACTICS.map((t) => t.name);
  const tacticNames = groups.map((g) => g.name).filter((name) => order.includes(name));
  assert.deepEqual(
    tacticNames,
    [...tacticNames].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
  );
  assert.ok(
    groups.every((g) => !/^T\d{4}/.test(g.name) && !g.name.includes('-')),
    `group names are names: ${groups.map((g) => g.name).join(', ')}`,
  );

  const tampering = entries.find((e) => e.path.endsWith('cloudtrail-tampering.md'))!;
  assert.equal(primaryTactic(tampering).name, 'Defense Evasion');
  assert.deepEqual(techniqueNames(tampering), ['Disable or Modify Cloud Logs (T1562.008)']);
  const pivot = entries.find((e) => e.path.endsWith('principal-activity.md'))!;
  assert.equal(primaryTactic(pivot).name, 'Investigation and pivots');
  assert.equal(
    groups.at(-1)!.name === 'Investigation and pivots' || groups.at(-1)!.name === 'Other runbooks',
    true,
    'runbooks without a tactic come after the tactics',
  );

  for (const entry of entries) {
    for (const name of techniqueNames(entry))
      assert.match(name, /^[A-Z][^()]+ \(T\d{4}(\.\d{3})?\)$/, `${entry.path}: every ATT&CK id of a bundled runbook has a name`);
  }
  assert.ok(matchesQuery(tampering, 'CloudTrail'));
  assert.ok(matchesQuery(tampering, 'cloud logs'), "found by its technique's name");
  assert.ok(matchesQuery(tampering, 'defense evasion'), "found by its tactic's name");
  assert.ok(!matchesQuery(tampering, 'cloudtrail zzzz-no-such-word'));
  assert.ok(matchesQuery(tampering, ''));
});

test('a workspace copy of a bundled runbook replaces it in the view; runbooks without tags are "Other"', () => {
  const bundled = libraryEntry(
    parseRunbook('---\ntitle: Tampering\ntags: [defense-evasion]\n---\n', '/ext/runbooks/cloudtrail-tampering.md'),
    'bundled',
  );
  const copy = libraryEntry(
    parseRunbook('---\ntitle: Tampering (ours)\ntags: [defense-evasion]\n---\n', '/ws/runbooks/cloudtrail-tampering.md'),
    'workspace',
  );
  const notes = libraryEntry(parseRunbook('# Notes\n', '/ws/notes.md'), 'workspace');
  const groups = groupByTactic([bundled, copy, notes]);
  assert.deepEqual(
    groups.map((g) => [g.name, g.entries.map((e) => e.path)]),
    [
      ['Defense Evasion', ['/ws/runbooks/cloudtrail-tampering.md']],
      ['Other runbooks', ['/ws/notes.md']],
    ],
  );
});
