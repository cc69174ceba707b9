// Which window a cell runs over: the one table (src/app/windowChoice.ts, docs/runbook-format.md)
// that the CLI's flags, the editor's investigation window, lenses and status bar all follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseWindowSpec, isAnchoredWindow } from '../../src/app/windowChoice';
import { parseRunbook } from '../../src/runbook';
import { LOOKUP_DEFAULT_WINDOW } from '../../src/sources/lookup/defaults';

const PIVOT_WINDOW = '2026-11-03T09:45:00.000Z/2026-11-03T10:15:00.001Z';
const INVESTIGATION = '2026-10-20T00:00:00Z/2026-10-27T00:00:00Z';

const runbook = parseRunbook(
  [
    '---',
    'title: Tampering',
    'window: 7d',
    '---',
    '',
    '```cloudtrail id=plain',
    'SELECT eventName FROM cloudtrail_logs',
    '```',
    '',
    '```cloudtrail id=recent window=1h',
    'SELECT eventName FROM cloudtrail_logs',
    '```',
    '',
    '```cloudtrail id=around-event window=' + PIVOT_WINDOW,
    'SELECT eventName FROM cloudtrail_logs',
    '```',
    '',
  ].join('\n'),
  'tampering.md',
);
const cell = (id: string) => runbook.cells.find((c) => c.id === id)!;

test("the investigation window (or a CLI flag) beats the runbook's window: the sample shows its attacks", () => {
  assert.deepEqual(chooseWindowSpec({ explicit: INVESTIGATION, cell: cell('plain').window, runbook: runbook.window }), {
    spec: INVESTIGATION,
    origin: 'explicit',
  });
});

test("the investigation window beats a cell's relative window", () => {
  assert.deepEqual(chooseWindowSpec({ explicit: INVESTIGATION, cell: cell('recent').window, runbook: runbook.window }), {
    spec: INVESTIGATION,
    origin: 'explicit',
  });
});

test("a cell anchored to an event (a pivot's START/END) keeps its window under an investigation window", () => {
  assert.deepEqual(chooseWindowSpec({ explicit: INVESTIGATION, cell: cell('around-event').window, runbook: runbook.window }), {
    spec: PIVOT_WINDOW,
    origin: 'cell',
  });
  assert.equal(isAnchoredWindow(PIVOT_WINDOW), true);
  assert.equal(isAnchoredWindow('1h'), false);
  assert.equal(isAnchoredWindow(undefined), false);
});

test("without an explicit window: the cell, then the runbook, then the user's default, then the source's", () => {
  assert.deepEqual(chooseWindowSpec({ cell: '1h', runbook: '7d', userDefault: '30d', sourceDefault: LOOKUP_DEFAULT_WINDOW }), {
    spec: '1h',
    origin: 'cell',
  });
  assert.deepEqual(chooseWindowSpec({ runbook: '7d', userDefault: '30d', sourceDefault: LOOKUP_DEFAULT_WINDOW }), {
    spec: '7d',
    origin: 'runbook',
  });
  assert.deepEqual(chooseWindowSpec({ userDefault: '30d', sourceDefault: LOOKUP_DEFAULT_WINDOW }), { spec: '30d', origin: 'default' });
  assert.deepEqual(chooseWindowSpec({ sourceDefault: LOOKUP_DEFAULT_WINDOW }), { spec: LOOKUP_DEFAULT_WINDOW, origin: 'source' });
  assert.deepEqual(chooseWindowSpec({}), { spec: undefined, origin: 'none' });
});

test('blank text is no choice at all (an empty setting, a cleared investigation window)', () => {
  assert.deepEqual(chooseWindowSpec({ explicit: '  ', runbook: '7d', userDefault: '' }), { spec: '7d', origin: 'runbook' });
});
