// The parts of `trailbook check` that decide what is new: the window a run covers, the key
// of a finding, the state file read back, and the cell attributes that shape alerts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCheckState } from '../../src/app/check/checkState';
import { checkWindow, parseDuration } from '../../src/app/check/checkWindow';
import { alertId, FindingKeyError, findingGroups, NO_ROWS_KEY } from '../../src/app/check/findingKeys';
import { runbookLink, repositoryBase } from '../../src/app/check/alertLink';
import type { CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const NOW = new Date('2026-12-06T03:00:00Z');
const MIN = 60_000;

test('a window ends the delivery delay before now and starts the overlap before the mark', () => {
  const w = checkWindow({ now: NOW, delayMs: 5 * MIN, overlapMs: 15 * MIN, mark: '2026-12-06T02:40:00.000Z' });
  assert.deepEqual([w.start.toISOString(), w.end.toISOString()], ['2026-12-06T02:25:00.000Z', '2026-12-06T02:55:00.000Z']);
});

test("a first run covers the runbook's window (else 24h) up to now less the delay; --start and --end win", () => {
  const relative = checkWindow({ now: NOW, delayMs: 5 * MIN, overlapMs: 15 * MIN, runbookWindow: '7d' });
  assert.deepEqual([relative.start.toISOString(), relative.end.toISOString()], ['2026-11-29T02:55:00.000Z', '2026-12-06T02:55:00.000Z']);
  const none = checkWindow({ now: NOW, delayMs: 0, overlapMs: 0 });
  assert.equal(none.start.toISOString(), '2026-12-05T03:00:00.000Z');
  const absolute = checkWindow({ now: NOW, delayMs: 0, overlapMs: 0, runbookWindow: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' });
  assert.deepEqual([absolute.start.toISOString(), absolute.end.toISOString()], ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
  const backfill = checkWindow({
    now: NOW,
    delayMs: 5 * MIN,
    overlapMs: 15 * MIN,
    mark: '2026-12-06T02:40:00.000Z',
    start: new Date('2026-11-01T00:00:00Z'),
    end: new Date('2026-11-02T00:00:00Z'),
  });
  assert.deepEqual([backfill.start.toISOString(), backfill.end.toISOString()], ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']);
  assert.deepEqual(['30s', '15m', '1h', '2d', '15', 'm'].map(parseDuration), [
    30_000,
    900_000,
    3_600_000,
    172_800_000,
    undefined,
    undefined,
  ]);
});

function runOf(markdown: string, columns: string[], rows: CellRun['rows'], status: CellRun['status'] = 'finding'): CellRun {
  const runbook = parseRunbook(markdown, 'r.md');
  return { cell: itemAt(runbook.cells, 0), status, columns, rows, truncated: false, elapsedMs: 1, notes: [], problems: [] };
}

test('a finding is keyed by the dedup= columns, else the eventID, else the whole row', () => {
  const byEvent = runOf(
    '```cloudtrail id=d expect=empty\nSELECT 1\n```\n',
    ['eventID', 'actor'],
    [
      ['e1', 'a'],
      ['e2', 'a'],
      ['e1', 'a'],
    ],
  );
  assert.deepEqual(
    findingGroups(byEvent).map((g) => [g.key, g.rows.length]),
    [
      ['e1', 2],
      ['e2', 1],
    ],
  );
  const byActor = runOf(
    '```cloudtrail id=d expect=empty dedup=Actor,region\nSELECT 1\n```\n',
    ['eventID', 'actor', 'region'],
    [
      ['e1', 'a', 'r'],
      ['e2', 'a', 'r'],
      ['e3', 'b', 'r'],
    ],
  );
  assert.deepEqual(
    findingGroups(byActor).map((g) => [g.key, g.rows.length]),
    [
      ['a · r', 2],
      ['b · r', 1],
    ],
  );
  const noId = runOf(
    '```cloudtrail id=d expect=empty\nSELECT 1\n```\n',
    ['actor', 'n'],
    [
      ['a', 1],
      ['b', 1],
      ['a', 1],
    ],
  );
  const keys = findingGroups(noId).map((g) => g.key);
  assert.equal(keys.length, 2);
  for (const key of keys) assert.match(key, /^row [0-9a-f]{16}$/);
  assert.deepEqual(
    findingGroups(runOf('```cloudtrail id=d expect=rows\nSELECT 1\n```\n', ['n'], [])).map((g) => g.key),
    [NO_ROWS_KEY],
  );
  assert.deepEqual(findingGroups(runOf('```cloudtrail id=d expect=empty\nSELECT 1\n```\n', ['n'], [], 'ok')), []);
  const missing = runOf('\n\n```cloudtrail id=d expect=empty dedup=nope\nSELECT 1\n```\n', ['eventID'], [['e1']]);
  assert.throws(
    () => findingGroups(missing),
    (error: unknown) =>
      error instanceof FindingKeyError &&
      error.line === 2 &&
      /dedup=nope names nope, which the query does not return \(columns: eventID\)/.test(error.message),
  );
  assert.equal(alertId('r.md', 'd', 'e1'), alertId('r.md', 'd', 'e1'));
  assert.notEqual(alertId('r.md', 'd', 'e1'), alertId('r.md', 'd2', 'e1'));
});

test('dedup= and severity= are checked by the parser, with their lint codes', () => {
  const problems = (info: string) =>
    parseRunbook(`\`\`\`cloudtrail id=d ${info}\nSELECT 1\n\`\`\`\n`, 'r.md').problems.map((p) => `${p.code}:${p.severity}`);
  assert.deepEqual(problems('expect=empty dedup=actor,newKey severity=critical'), []);
  assert.deepEqual(problems('expect=empty dedup="actor, bad-name"'), ['invalid-dedup:error']);
  assert.deepEqual(problems('expect=empty severity=loud'), ['invalid-severity:error']);
  assert.deepEqual(problems('severity=info'), ['finding-attribute-without-expect:warning']);
  const cell = itemAt(
    parseRunbook('```cloudtrail id=d expect=empty dedup=" actor , key " severity=warning\nSELECT 1\n```\n', 'r.md').cells,
    0,
  );
  assert.deepEqual([cell.dedup, cell.severity], [['actor', 'key'], 'warning']);
});

test('the state file: none is a fresh start; one that is not a state is refused with what to do', async () => {
  const dir = tempDir();
  assert.deepEqual(await readCheckState(join(dir, 'none.json')), { version: 1, runbooks: {} });
  writeFileSync(join(dir, 'torn.json'), '{"version": 1, "runb');
  await assert.rejects(
    readCheckState(join(dir, 'torn.json')),
    /the state file .*torn\.json is not JSON \(.*\); move it aside to start again/,
  );
  writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
  await assert.rejects(readCheckState(join(dir, 'other.json')), /is not a trailbook check state \(version 1\)/);
  writeFileSync(join(dir, 'proto.json'), '{"version": 1, "runbooks": {"__proto__": {"alerts": []}}}');
  const state = await readCheckState(join(dir, 'proto.json'));
  assert.deepEqual(Object.keys(state.runbooks), ['__proto__']);
  assert.equal(Object.getPrototypeOf(state.runbooks), null);
});

test("runbook links: the configured base, else GitHub Actions' own, and none for a path outside the folder", () => {
  assert.equal(
    runbookLink('https://github.com/a/b/blob/main', '/w/runbooks/x y.md', 12, '/w'),
    'https://github.com/a/b/blob/main/runbooks/x%20y.md#L12',
  );
  assert.equal(runbookLink('https://github.com/a/b/blob/main', '/elsewhere/x.md', 12, '/w'), undefined);
  const sha = 'a'.repeat(40);
  assert.equal(
    repositoryBase(undefined, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/rb', GITHUB_SHA: sha }),
    `https://github.com/acme/rb/blob/${sha}`,
  );
  assert.equal(
    repositoryBase(undefined, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/rb|x', GITHUB_SHA: sha }),
    undefined,
  );
  assert.equal(repositoryBase(undefined, {}), undefined);
});
