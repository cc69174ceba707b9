// The Runbooks view's model and the "New runbook" template: the template is a runbook that
// lints clean, and the library groups the bundled runbooks by tag and finds them by words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../src/runbook';
import { runbookSlug, runbookTemplate } from '../../src/runbook/template';
import { lintRunbook } from '../../src/app/lintRunbook';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { groupByTag, libraryEntry, matchesQuery, UNTAGGED } from '../../src/extension/runbookLibrary';

test('the new-runbook template parses and lints without a problem, its title quoted for YAML', async () => {
  const title = 'Keys used from "new" places: #1 priority';
  const runbook = parseRunbook(runbookTemplate(title, new Date('2026-12-01T10:00:00Z')), 'runbooks/new.md');
  assert.equal(runbook.title, title);
  assert.equal(runbook.reviewed, '2026-12-01');
  assert.deepEqual(runbook.cells.map((c) => c.id), ['detect', 'actor-activity', 'verify']);
  assert.deepEqual(runbook.actions.map((a) => a.id), ['respond']);
  assert.equal(runbook.cells[0]!.expect, 'empty');
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

test('the bundled runbooks, grouped by tag and searched by words', () => {
  const dir = 'runbooks';
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => libraryEntry(parseRunbook(readFileSync(join(dir, f), 'utf8'), join(dir, f)), 'bundled'));
  assert.ok(entries.length >= 4);
  const groups = groupByTag(entries);
  const tags = [...groups.keys()];
  assert.deepEqual(tags.filter((t) => t !== UNTAGGED), [...tags.filter((t) => t !== UNTAGGED)].sort((a, b) => a.localeCompare(b)));
  for (const entry of entries) {
    for (const tag of entry.tags) assert.ok(groups.get(tag)!.includes(entry), `${entry.path} is listed under ${tag}`);
  }
  const tampering = entries.find((e) => e.path.endsWith('cloudtrail-tampering.md'))!;
  assert.ok(matchesQuery(tampering, 'CloudTrail'));
  assert.ok(matchesQuery(tampering, tampering.tags[0]!));
  assert.ok(!matchesQuery(tampering, 'cloudtrail zzzz-no-such-word'));
  assert.ok(matchesQuery(tampering, ''));
});

test('a runbook without tags is listed once, under (no tag), after the tags', () => {
  const a = libraryEntry(parseRunbook('---\ntitle: B\ntags: [iam]\n---\n', 'b.md'), 'workspace');
  const b = libraryEntry(parseRunbook('# Notes\n', 'a.md'), 'workspace');
  const groups = groupByTag([b, a]);
  assert.deepEqual([...groups.keys()], ['iam', UNTAGGED]);
  assert.deepEqual(groups.get(UNTAGGED)!.map((e) => e.path), ['a.md']);
});
