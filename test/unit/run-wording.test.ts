// The words for a run, shared by the CLI's status lines, the editor's summaries and the
// results view (src/protocol): counts, elapsed times at their boundaries, outcomes, headlines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellRun } from '../../src/app/runbookRunner';
import { statusLine } from '../../src/cli/statusLine';
import { runSummary } from '../../src/extension/runSummary';
import { formatElapsed, runningElapsed } from '../../src/protocol/elapsed';
import { plural } from '../../src/protocol/plural';
import { keptRowsText, outcomeWords, rowsText, statusHeadline } from '../../src/protocol/runWording';
import type { RunbookCell } from '../../src/runbook/types';

test('counts: one without an s, thousands grouped, zero plural', () => {
  assert.equal(plural(1, 'row'), '1 row');
  assert.equal(plural(0, 'row'), '0 rows');
  assert.equal(plural(2310, 'file'), '2,310 files');
  assert.equal(rowsText(12, false), '12 rows');
  assert.equal(rowsText(10_000, true), '10,000 rows (limit reached)');
  assert.equal(rowsText(1, false, 'finding'), '1 finding');
});

test('elapsed times are floored in the unit shown, so none reads longer than the run took', () => {
  const cases: [number, string][] = [
    [0, '0 ms'],
    [0.9, '0 ms'],
    [850, '850 ms'],
    [999.9, '999 ms'],
    [1000, '1.0 s'],
    [1099, '1.0 s'],
    [1400, '1.4 s'],
    [59_950, '59.9 s'],
    [59_999, '59.9 s'],
    [60_000, '1 min 0 s'],
    [61_000, '1 min 1 s'],
    [119_600, '1 min 59 s'],
    [125_000, '2 min 5 s'],
    [3_600_000, '60 min 0 s'],
  ];
  for (const [ms, text] of cases) assert.equal(formatElapsed(ms), text, `${ms} ms`);
  assert.equal(formatElapsed(-5), '0 ms', 'a clock that went back');
  assert.equal(formatElapsed(Number.NaN), '0 ms');
});

test('a running clock ticks in whole seconds and goes from 59 s to 1 min 0 s', () => {
  assert.equal(runningElapsed(1000, 1999), '0 s');
  assert.equal(runningElapsed(0, 59_999), '59 s');
  assert.equal(runningElapsed(0, 60_000), '1 min 0 s');
  assert.equal(runningElapsed(0, 125_900), '2 min 5 s');
  assert.equal(runningElapsed(5000, 0), '0 s');
});

test('outcomes: rows, findings, an unmet expect=rows, cancels, skips and errors', () => {
  const base = { rowCount: 0, truncated: false };
  assert.deepEqual(outcomeWords({ ...base, status: 'ok', rowCount: 3 }), { icon: '✓', text: '3 rows', timed: true });
  assert.deepEqual(outcomeWords({ ...base, status: 'finding', rowCount: 10_000, truncated: true, expect: 'empty' }), {
    icon: '⚠',
    text: '10,000 findings (limit reached)',
    timed: true,
  });
  assert.deepEqual(outcomeWords({ ...base, status: 'finding', expect: 'rows' }), {
    icon: '⚠',
    text: 'expected rows, found none',
    timed: true,
  });
  assert.deepEqual(outcomeWords({ ...base, status: 'cancelled' }), { icon: '■', text: 'cancelled', timed: true });
  assert.deepEqual(outcomeWords({ ...base, status: 'skipped', error: 'not run: cell a did not complete' }), {
    icon: '↷',
    text: 'skipped: not run: cell a did not complete',
    timed: false,
  });
  assert.deepEqual(outcomeWords({ ...base, status: 'error', error: 'SQL error: x' }), { icon: '✗', text: 'SQL error: x', timed: false });
});

test('a result the host keeps whole is counted whole, not as cut at the row limit', () => {
  assert.equal(keptRowsText(310), '310 rows (kept by the host)');
  assert.equal(keptRowsText(1, 'finding'), '1 finding (kept by the host)');
  const cut = { rowCount: 50, truncated: true };
  assert.equal(outcomeWords({ ...cut, status: 'ok' }).text, '50 rows (limit reached)', 'cut and not kept: the limit is said');
  assert.equal(outcomeWords({ ...cut, status: 'ok', keptRowCount: 310 }).text, '310 rows (kept by the host)');
  assert.equal(
    outcomeWords({ ...cut, status: 'finding', expect: 'empty', keptRowCount: 12_345, partial: 'partial: 1 of 2 accounts read; x' }).text,
    '12,345 findings (kept by the host) (partial: 1 of 2 accounts read)',
  );
  assert.equal(
    runSummary({ ...cut, status: 'ok', keptRowCount: 310, elapsedMs: 1400, finishedAt: new Date('2026-12-01T14:02:33Z') }),
    '✓ 310 rows (kept by the host) · 1.4 s · 14:02 UTC',
  );
});

test('the view headline: a detection reads as findings, a plain query as done', () => {
  assert.equal(statusHeadline('ok', 'empty'), '✓ No findings');
  assert.equal(statusHeadline('ok', undefined), '✓ Done');
  assert.equal(statusHeadline('finding', 'empty'), '⚠ Findings');
  assert.equal(statusHeadline('finding', 'rows'), '⚠ Expected rows, found none');
  assert.equal(statusHeadline('running', undefined), '◌ Running');
  assert.equal(statusHeadline('error', undefined), '✗ Error');
  assert.equal(statusHeadline('cancelled', undefined), '■ Cancelled');
  assert.equal(statusHeadline('skipped', undefined), '↷ Skipped');
});

test('the CLI and the editor word the same run alike: only the place and the clock differ', () => {
  const cell = { id: 'new-keys', fenceLine: 11, expect: 'empty' } as RunbookCell;
  const run = {
    cell,
    status: 'finding',
    columns: [],
    rows: [[1], [2]],
    truncated: false,
    elapsedMs: 1450,
    notes: [],
    problems: [],
  } as unknown as CellRun;
  assert.equal(statusLine(run), '⚠ new-keys (line 12): 2 findings · 1.4 s');
  assert.equal(
    runSummary({
      status: 'finding',
      rowCount: 2,
      truncated: false,
      elapsedMs: 1450,
      expect: 'empty',
      finishedAt: new Date('2026-12-01T14:02:33Z'),
    }),
    '⚠ 2 findings · 1.4 s · 14:02 UTC',
  );
  const skipped = {
    ...run,
    status: 'skipped',
    rows: [],
    error: { message: 'not run: cell a did not complete', line: 3 },
  } as unknown as CellRun;
  assert.equal(statusLine(skipped), '↷ new-keys (line 12): skipped: not run: cell a did not complete');
  assert.equal(
    runSummary({
      status: 'skipped',
      rowCount: 0,
      truncated: false,
      elapsedMs: 0,
      finishedAt: new Date(),
      error: 'not run: cell a did not complete',
    }),
    '↷ skipped: not run: cell a did not complete',
  );
});
