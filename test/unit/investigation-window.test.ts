// The investigation window of the editor: set around an event or an alert time, said the same
// way on lenses, the status bar and results, and where new runbooks and copies go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chooseWindow } from '../../src/app/runbookRunner';
import { parseWindow } from '../../src/engine/timeWindow';
import { parseRunbook } from '../../src/runbook';
import { runbookTemplate } from '../../src/runbook/template';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { openStore } from '../support/store';
import { DEMO_WINDOW } from '../../src/testbed/loggen/demoTrail';
import { aroundInstant, eventAnchors, ranWindowCaption, windowCaption, windowText } from '../../src/extension/investigationWindow';
import { runTargets, windowLabelFor, type TrailbookSettings } from '../../src/extension/runTarget';
import { freeFileName, workspaceRunbooksFolder } from '../../src/extension/runbookFolder';
import { itemAt } from '../support/itemAt';

const settings = (over: Partial<TrailbookSettings> = {}): TrailbookSettings => ({
  source: 'local',
  logsPath: '/logs',
  profile: '',
  regions: [],
  window: '',
  endpoint: '',
  rowLimit: 100,
  trinoServer: '',
  trinoTable: '',
  trinoUser: '',
  ...over,
});

test('around an alert time: the span before and after, as START/END', () => {
  const window = aroundInstant('2026-11-03T10:00:00Z', '6h', '1h', 'the alert');
  assert.deepEqual(window, {
    spec: '2026-11-03T04:00:00.000Z/2026-11-03T11:00:00.000Z',
    about: 'around the alert at 2026-11-03T10:00:00.000Z (6h before, 1h after)',
  });
  assert.deepEqual(aroundInstant('2026-11-03T10:00:00+02:00', '0', '30m', 'StopLogging'), {
    spec: '2026-11-03T08:00:00.000Z/2026-11-03T08:30:00.000Z',
    about: 'around StopLogging at 2026-11-03T08:00:00.000Z (0 before, 30m after)',
  });
  assert.match(
    (aroundInstant('2026-11-03 10:00', '6h', '1h', 'x') as { error: string }).error,
    /"2026-11-03 10:00" is not an ISO-8601 time/,
  );
  assert.match((aroundInstant('2026-11-03T10:00:00Z', '6 hours', '1h', 'x') as { error: string }).error, /before: "6 hours"/);
  assert.match((aroundInstant('2026-11-03T10:00:00Z', '0', '0', 'x') as { error: string }).error, /needs a span/);
});

test('the events of results to set the window around: newest first, each time once, named by eventName', () => {
  const anchors = eventAnchors([
    {
      cellId: 'tamper',
      columns: ['eventTime', 'eventName'],
      rows: [
        ['2026-11-02T10:00:00Z', 'StopLogging'],
        ['2026-11-03T09:00:00Z', 'DeleteTrail'],
      ],
    },
    { cellId: 'counts', columns: ['eventName', 'n'], rows: [['StopLogging', 1]] },
    { cellId: 'again', columns: ['event_time'], rows: [['2026-11-02T10:00:00Z']] },
  ]);
  assert.deepEqual(anchors, [
    { time: '2026-11-03T09:00:00Z', label: 'DeleteTrail · cell tamper' },
    { time: '2026-11-02T10:00:00Z', label: 'StopLogging · cell tamper' },
  ]);
});

test('captions: absolute windows read as a range, the investigation window says so', () => {
  assert.equal(windowText('2026-11-01T00:00:00Z/2026-11-05T00:00:00Z'), '2026-11-01 00:00 → 2026-11-05 00:00 UTC');
  assert.equal(windowText('7d'), '7d');
  assert.equal(windowCaption({ spec: '7d', origin: 'runbook' }), '7d');
  assert.equal(windowCaption({ spec: DEMO_WINDOW, origin: 'explicit' }), `investigation window ${windowText(DEMO_WINDOW)}`);
  assert.equal(windowCaption({ spec: '24h', origin: 'source' }), '24h');
  assert.equal(windowCaption({ spec: undefined, origin: 'none' }), 'all events');
});

test("the sample: its investigation window beats a runbook's own window (a new one's 24h) on the lens and in the run", async () => {
  const runbook = parseRunbook(runbookTemplate('Fresh', new Date('2026-12-06T00:00:00Z')), 'runbooks/fresh.md');
  assert.equal(runbook.window, '24h');
  const targets = runTargets(settings({ investigationWindow: DEMO_WINDOW, window: '30d' }), {}, '/ws');
  const cell = itemAt(runbook.cells, 0);
  assert.equal(windowLabelFor(targets, runbook, cell, 'local'), `investigation window ${windowText(DEMO_WINDOW)}`);
  const source = new LocalLogsSource(await openStore(), '/logs');
  const now = new Date('2026-12-06T00:00:00Z');
  const ran = chooseWindow(runbook, cell, source, targets.investigationWindow, now, targets.defaultWindow);
  assert.equal(ran.label, DEMO_WINDOW);
  assert.equal(ran.origin, 'explicit');
  assert.equal(ranWindowCaption(ran), `investigation window ${windowText(DEMO_WINDOW)}`);
  // Cleared: the runbook's own window again, over the user's default.
  const plain = runTargets(settings({ window: '30d' }), {}, '/ws');
  assert.equal(windowLabelFor(plain, runbook, cell, 'local'), '24h');
  assert.equal(ranWindowCaption(chooseWindow(runbook, cell, source, plain.investigationWindow, now, plain.defaultWindow)), '24h');
  assert.equal(ranWindowCaption(parseWindow('2026-11-01T00:00:00Z/2026-11-02T00:00:00Z')), '2026-11-01 00:00 → 2026-11-02 00:00 UTC');
});

test("the workspace's runbooks folder: runbooks/, or the workspace itself when it is that folder", async () => {
  assert.equal(workspaceRunbooksFolder('/home/me/infra'), join('/home/me/infra', 'runbooks'));
  assert.equal(workspaceRunbooksFolder('/home/me/runbooks'), '/home/me/runbooks');
  assert.equal(workspaceRunbooksFolder('/home/me/runbooks/'), '/home/me/runbooks/');
  const taken = new Set(['keys.md', 'keys-2.md']);
  assert.equal(await freeFileName('keys', async (name) => taken.has(name)), 'keys-3.md');
  assert.equal(await freeFileName('cloudtrail-tampering.md', async () => false), 'cloudtrail-tampering.md');
});
