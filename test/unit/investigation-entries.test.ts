// What the editor appends to an investigation: a real run of a bundled runbook on the
// Stratus Red Team logs becomes run entries (SQL as run, window, count, a hash anyone can
// recompute, no rows), a marked row becomes an event entry; the results view asks for a
// mark through the typed protocol, and a reloaded view gets the investigation back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { resultSha256 } from '../../src/app/evidence';
import { cellRunEntry, eventMarkEntry } from '../../src/app/investigation/entries';
import { newRecord } from '../../src/app/investigation/record';
import { parseRecord } from '../../src/app/investigation/recordParse';
import { runRunbook } from '../../src/app/runbookRunner';
import { ReplayLog } from '../../src/extension/replayLog';
import { isWebviewMessage, type HostMessage } from '../../src/protocol/results';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { stratusDir } from '../support/datasets';
import { openStore } from '../support/store';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const RUNBOOK = join(ROOT, 'runbooks/cloudtrail-tampering.md');

test('a real run becomes run entries that hold the SQL, the window and the hash, and no rows', async () => {
  const store = await openStore();
  const text = readFileSync(RUNBOOK, 'utf8');
  const runs = await runRunbook(parseRunbook(text, RUNBOOK), {
    store,
    source: new LocalLogsSource(store, stratusDir()),
    window: '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z',
  });
  const withRows = runs.find((r) => r.rows.length > 0);
  assert.ok(withRows, 'the tampering runbook finds something on the Stratus logs');
  const at = new Date('2026-12-06T06:00:00Z');
  const entries = runs.map((run) =>
    cellRunEntry({ run, runbook: 'runbooks/cloudtrail-tampering.md', source: 'local logs · stratus' }, at, []),
  );
  const record = newRecord({ title: 'Tampering', runbook: 'runbooks/cloudtrail-tampering.md', openedAt: at.toISOString() }, entries);
  const back = parseRecord(record).entries;
  assert.equal(back.length, runs.length);
  const entry = itemAt(back, runs.indexOf(withRows));
  assert.ok(entry.kind === 'run');
  assert.equal(entry.resultSha256, resultSha256(withRows.columns, withRows.rows));
  assert.equal(entry.rowCount, withRows.rows.length);
  assert.equal(entry.sql, withRows.sql);
  assert.deepEqual(entry.window, { start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z', label: withRows.window!.label });
  // The record holds counts and hashes, not the rows: no eventID of a result is in it.
  const idColumn = withRows.columns.findIndex((c) => c.toLowerCase() === 'eventid');
  for (const row of idColumn < 0 ? [] : withRows.rows) assert.ok(!record.includes(String(row[idColumn])));
});

test("a marked row: its eventID, time, name, principal and address, with the person's tag and note", () => {
  const row = {
    eventID: 'e-1',
    eventTime: '2024-06-01T10:00:00Z',
    EventName: 'StopLogging',
    userIdentity: { arn: 'arn:aws:iam::111122223333:user/mallory', accessKeyId: 'AKIAEXAMPLE' },
    sourceIPAddress: '203.0.113.9',
  };
  const entry = eventMarkEntry(
    { eventId: 'e-1', tag: 'suspicious', note: 'stops the trail', cellId: 'stop-logging', row },
    new Date('2026-12-06T06:00:00Z'),
  );
  assert.deepEqual(entry, {
    kind: 'event',
    at: '2026-12-06T06:00:00.000Z',
    eventId: 'e-1',
    tag: 'suspicious',
    note: 'stops the trail',
    cellId: 'stop-logging',
    eventTime: '2024-06-01T10:00:00Z',
    eventName: 'StopLogging',
    principal: 'arn:aws:iam::111122223333:user/mallory',
    sourceIp: '203.0.113.9',
  });
  assert.equal(eventMarkEntry({ eventId: 'e-2', tag: 'starred', note: '  ', row: {} }, new Date()).note, undefined);
});

test('the results view asks for a star or a tag through the protocol; anything else is refused', () => {
  const ok = { type: 'markEvent', runId: '3', eventId: 'e-1', how: 'star', row: { eventID: 'e-1' } };
  assert.equal(isWebviewMessage(ok), true);
  assert.equal(isWebviewMessage({ ...ok, how: 'tag' }), true);
  for (const bad of [
    { ...ok, how: 'delete' },
    { ...ok, eventId: 7 },
    { ...ok, row: null },
    { ...ok, row: ['e-1'] },
    { ...ok, runId: undefined },
  ])
    assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad));
});

test('a reloaded results view gets the latest state of the investigation before the runs', () => {
  const log = new ReplayLog();
  const first: HostMessage = { type: 'investigation', title: 'T', record: 'investigations/t.md', marks: [], notes: [] };
  const latest: HostMessage = {
    type: 'investigation',
    title: 'T',
    record: 'investigations/t.md',
    marks: [{ eventId: 'e-1', tag: 'starred', note: 'n' }],
    notes: [],
  };
  log.record(first);
  log.record({ type: 'runStarted', runId: '1', runbook: 'r.md', cellId: 'c', line: 1, context: { source: 'local' }, startedAt: 0 });
  log.record(latest);
  const replayed = [...log.messages()];
  assert.deepEqual(replayed[0], latest);
  assert.equal(replayed.filter((m) => m.type === 'investigation').length, 1);
  assert.equal(itemAt(replayed, 1).type, 'runStarted');
});
