// The results view as a person sees it (issue 14, items 3-6), in a real VS Code (1.100,
// code-server) and Chromium, at 1600×1000 and at 1000×700: one "Run all" of
// test/fixtures/e2e/results.md on the Stratus Red Team logs, then the layout (data first,
// the detail beside the rows, sizes kept across a reload), the timeline (readable lanes,
// lanes grouped so "other" is not most of it, full labels on hover, one filter for table
// and timeline), pivots from the whole event on a cell that selected three columns, and
// the run history (one Run all entry, no stale messages). Screenshots in
// test-results/e2e/results/.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { MIN_LANE_HEIGHT, timelineLayout } from '../../src/webview/timeline/timelineLayout';
import { stratusDir } from '../support/datasets';
import { runCell, type CliCell } from './expected';
import { E2E_RESULTS, REPO, startEditorSession, type EditorSession } from './support/editorSession';
import {
  openFromExplorer,
  resultsFrame,
  runFromPalette,
  waitForRun,
  waitForTimeline,
  type Workbench,
  waitUntil,
  waitForMarkdown,
} from './workbench';
import { entryOf, itemAt } from '../support/itemAt';

const RESULTS = join(E2E_RESULTS, 'results');
const FIXTURE_NAME = 'results.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
const CANVAS = '[data-testid="timeline-canvas"]';
const CELLS = ['everything', 'stop-logging', 'nothing'] as const;

type Box = { x: number; y: number; width: number; height: number };

async function box(frame: Frame, selector: string): Promise<Box> {
  const found = await frame.locator(selector).first().boundingBox();
  if (found === null) throw new Error(`${selector} is not shown`);
  return found;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Shows a run by clicking its entry in the run list (opened first if folded). */
async function showRun(frame: Frame, cellId: string): Promise<void> {
  const list = frame.locator('[data-testid="run-list"]');
  if (!(await list.isVisible())) await frame.locator('[data-testid="runs-toggle"]').click();
  await list
    .locator('[data-run-id]', { has: frame.locator('.run-entry-cell', { hasText: new RegExp(`^${cellId}$`) }) })
    .first()
    .click();
  await frame.locator('[data-testid="cell-id"]', { hasText: new RegExp(`^${cellId}$`) }).waitFor({ timeout: 10_000 });
}

/** The lanes the timeline shows, and how tall each is, from its own layout rules. */
async function laneGeometry(frame: Frame, lanes: number): Promise<{ laneHeight: number; shown: number }> {
  const size = await frame.locator(CANVAS).evaluate((element) => ({ width: element.clientWidth, height: element.clientHeight }));
  const layout = timelineLayout(size.width, size.height, lanes, 0);
  return { laneHeight: layout.laneHeight, shown: layout.laneCount };
}

describe('The results view in VS Code 1.100 (code-server) and Chromium', { timeout: 900_000 }, () => {
  let session: EditorSession | undefined;
  const expected: Record<string, CliCell> = {};
  const logs = stratusDir();

  before(async () => {
    // What the view must show, from the CLI on the same logs.
    for (const cell of CELLS) expected[cell] = runCell(REPO, FIXTURE, logs, cell);
    assert.ok(entryOf(expected, 'everything').rowCount > 100, `the fixture needs many events in ${logs}`);
    assert.equal(entryOf(expected, 'stop-logging').rowCount, 1, `the fixture needs one StopLogging event in ${logs}`);
    session = await startEditorSession({
      label: 'results',
      resultsDir: RESULTS,
      settings: { 'security.workspace.trust.enabled': false, 'trailbook.logsPath': logs, 'trailbook.source': 'local' },
      prepare: (_root, profile) => {
        cpSync(FIXTURE, join(profile.workspace, FIXTURE_NAME));
      },
    });
  });

  after(async () => {
    await session?.close();
  });

  function workbench(): Workbench {
    if (!session) throw new Error('the workbench did not start (see the first failure)');
    return session.bench;
  }

  it('Run all: one entry in the run history, data first in the view', { timeout: 300_000 }, async () => {
    const { page, step } = workbench();
    await step('01-open-and-run-all', async () => {
      await openFromExplorer(page, FIXTURE_NAME);
      await page.locator('.editor-instance .view-line', { hasText: 'id=everything' }).waitFor({ timeout: 30_000 });
      await waitForMarkdown(page);
      await page.locator('.editor-instance .view-line', { hasText: 'id=everything' }).first().click();
      await runFromPalette(page, 'Trailbook: Run all queries of this runbook');
      // The last cell's run is the one shown when Run all ends.
      const shown = await waitForRun(page, 'nothing', 180_000);
      assert.deepEqual(shown, { cellId: 'nothing', status: entryOf(expected, 'nothing').status, count: 0 });
    });
    await step('02-run-all-history', async () => {
      const frame = await resultsFrame(page);
      // Data first: the header is one line, the details folded, the run list folded.
      assert.ok((await box(frame, '.run-title')).height <= 30, 'the run header should be one line');
      assert.equal(await frame.locator('[data-testid="run-details"]').getAttribute('open'), null, 'the details should be folded');
      assert.equal(await frame.locator('[data-testid="run-list"]').isVisible(), false, 'the run list should be folded by default');
      // A run that ended without rows says so, not that rows are coming.
      const empty = (await frame.locator('[data-testid="timeline-empty"]').textContent()) ?? '';
      assert.ok(!empty.includes('fills as rows arrive'), `stale timeline message: ${empty}`);
      assert.match((await frame.locator('.table-empty').textContent()) ?? '', /No findings/);
      await frame.locator('[data-testid="runs-toggle"]').click();
      const group = frame.locator('[data-testid="run-all"]');
      await group.waitFor({ timeout: 10_000 });
      assert.equal(await group.count(), 1, 'one Run all entry');
      const cells = (await group.locator('.run-entry-cell').allTextContents()).map((t) => t.trim());
      assert.deepEqual(cells, [...CELLS], 'its cells, in the runbook order');
      assert.match((await group.locator('.run-group-head').textContent()) ?? '', /^Run all · results\.md · /);
    });
  });

  it('the timeline: readable lanes, grouped by what the rows hold, labels whole on hover, one filter', { timeout: 180_000 }, async () => {
    const { page, step } = workbench();
    const placed = entryOf(expected, 'everything').rowCount;
    await step('03-timeline-1600x1000', async () => {
      // Data first: the side bar away, the results get half the window.
      await runFromPalette(page, 'View: Toggle Primary Side Bar Visibility');
      const frame = await resultsFrame(page);
      await showRun(frame, 'everything');
      const timeline = await waitForTimeline(page, placed);
      const other = timeline.lanes.find((_, i, all) => i === all.length - 1 && /^other \(/.test(itemAt(all, i).label));
      assert.ok(
        other === undefined || other.count < placed / 2,
        `"other" holds ${other?.count} of ${placed} events: ${JSON.stringify(timeline.lanes)}`,
      );
      const { laneHeight, shown } = await laneGeometry(frame, timeline.lanes.length);
      assert.ok(laneHeight >= MIN_LANE_HEIGHT, `lanes ${laneHeight} px high`);
      assert.equal(shown, timeline.lanes.length, 'every lane is shown (the rest are folded into "other")');
      // The first lane's label, whole, on hover over its (maybe shortened) text.
      const layout = timelineLayout((await box(frame, CANVAS)).width, (await box(frame, CANVAS)).height, timeline.lanes.length, 0);
      await frame.locator(CANVAS).hover({ position: { x: 20, y: layout.lanes.top + laneHeight / 2 } });
      const tooltip = frame.locator('[data-testid="lane-tooltip"]');
      await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(((await tooltip.textContent()) ?? '').trim(), itemAt(timeline.lanes, 0).label);
    });
    await step('04-one-filter', async () => {
      const frame = await resultsFrame(page);
      await frame.locator('[data-testid="table-filter"]').fill('StopLogging');
      await waitUntil(page, 'the filter narrows the table and the timeline', async () => {
        const inView = await frame.locator(CANVAS).getAttribute('data-in-view');
        const listed = await frame.locator('[data-testid="rows-in-view"]').getAttribute('data-count');
        return inView === '1' && listed === '1';
      });
      await frame.locator('[data-testid="table-filter"]').fill('');
      await waitUntil(
        page,
        'the filter cleared',
        async () => (await frame.locator(CANVAS).getAttribute('data-in-view')) === String(placed),
      );
    });
    await step('05-detail-beside-rows', async () => {
      // The results alone in the window (a person looking at the data): room for rows and detail side by side.
      await page.locator('.tabs-container .tab', { hasText: 'Trailbook results' }).first().click();
      await runFromPalette(page, 'View: Toggle Maximize Editor Group');
      let frame = await resultsFrame(page);
      await waitUntil(page, 'the results group maximized', async () => (await box(frame, '.rows-area')).width > 1000);
      frame = await resultsFrame(page);
      const before = await box(frame, '.table-scroller');
      await frame.locator('[data-testid="results-table"] tbody tr').first().click();
      await frame.locator('[data-testid="detail"]').waitFor({ state: 'visible', timeout: 10_000 });
      const table = await box(frame, '.table-scroller');
      const detail = await box(frame, '[data-testid="detail"]');
      assert.ok(detail.x >= table.x + table.width - 2, `the detail should be beside the rows: ${JSON.stringify({ table, detail })}`);
      assert.ok(Math.abs(table.height - before.height) <= 2, `the rows kept their height: ${before.height} → ${table.height}`);
    });
    await step('05b-editor-group-restored', async () => {
      await runFromPalette(page, 'View: Toggle Maximize Editor Group');
      const frame = await resultsFrame(page);
      await waitUntil(page, 'the results group beside the runbook again', async () => (await box(frame, '.rows-area')).width < 1000);
    });
  });

  it('pivots read the whole event: a cell of three columns offers them all', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    await step('06-pivots-from-whole-event', async () => {
      const frame = await resultsFrame(page);
      await showRun(frame, 'stop-logging');
      await frame.locator('[data-testid="results-table"] tbody tr').first().click();
      for (const pivot of ['principal', 'accessKey', 'sourceIp', 'around']) {
        const button = frame.locator(`[data-testid="pivot-${pivot}"]`);
        await waitUntil(
          page,
          `pivot ${pivot} enabled`,
          async () => (await button.isEnabled()) && (await frame.locator('[data-testid="pivot-status"]').textContent()) === '',
        );
        assert.match((await button.getAttribute('title')) ?? '', /^Add a cell below this one for /);
      }
      assert.equal(await frame.locator('[data-testid="copy-arn"]').isEnabled(), true);
      await frame.locator('[data-testid="whole-event"]').click();
      const whole = frame.locator('[data-testid="whole-event-json"]');
      await whole.waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal((JSON.parse((await whole.textContent()) ?? '{}') as { eventName?: string }).eventName, 'StopLogging');
    });
    await step('07-pivot-runs', async () => {
      const frame = await resultsFrame(page);
      await frame.locator('[data-testid="pivot-principal"]').click();
      // The host adds the pivot's cell below and runs it: a new run, built from the whole
      // event's principal (the cell selected none), which finds at least that event.
      const pivot = frame
        .locator('[data-testid="run-list"] [data-run-id]')
        .filter({ hasNot: frame.locator('.run-entry-cell', { hasText: /^(everything|stop-logging|nothing)$/ }) });
      await waitUntil(
        page,
        'the pivot ran',
        async () => (await pivot.count()) === 1 && !['running', undefined, null].includes(await pivot.first().getAttribute('data-status')),
        120_000,
      );
      assert.equal(await pivot.first().getAttribute('data-status'), 'ok');
      const rows = Number(((await pivot.first().locator('.run-entry-rows').textContent()) ?? '').replace(/\D/g, ''));
      assert.ok(rows >= 1, `the pivot found ${rows} rows`);
    });
  });

  it('sizes are kept per panel: a moved border and a column width survive a reload of the view', { timeout: 120_000 }, async () => {
    const { page, step } = workbench();
    await step('08-layout-kept', async () => {
      let frame = await resultsFrame(page);
      await showRun(frame, 'everything');
      const before = await box(frame, '[data-testid="timeline"]');
      const handle = await box(frame, '[data-testid="timeline-splitter"]');
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
      await page.mouse.down();
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 + 60, { steps: 6 });
      await page.mouse.up();
      const moved = await box(frame, '[data-testid="timeline"]');
      assert.ok(
        Math.abs(moved.height - before.height - 60) <= 4,
        `the timeline should be 60 px taller: ${before.height} → ${moved.height}`,
      );
      // The first column's right border (the detail pane may lie over the others), dragged
      // 80 px: its width is kept by its name too.
      const firstColumn = frame.locator('.results-table thead th').nth(0);
      const columnBefore = await firstColumn.boundingBox();
      const resizer = await box(frame, '.results-table thead th:nth-child(1) [data-testid="col-resizer"]');
      await page.mouse.move(resizer.x + resizer.width / 2, resizer.y + resizer.height / 2);
      await page.mouse.down();
      await page.mouse.move(resizer.x + resizer.width / 2 + 80, resizer.y + resizer.height / 2, { steps: 6 });
      await page.mouse.up();
      const columnMoved = (await firstColumn.boundingBox())!;
      assert.ok(
        Math.abs(columnMoved.width - columnBefore!.width - 80) <= 4,
        `the column should be 80 px wider: ${columnBefore!.width} → ${columnMoved.width}`,
      );
      await runFromPalette(page, 'Developer: Reload Webviews');
      await page.waitForTimeout(1000);
      frame = await resultsFrame(page);
      await frame.locator('[data-testid="run-status"]').waitFor({ timeout: 30_000 });
      await showRun(frame, 'everything');
      const reloaded = await box(frame, '[data-testid="timeline"]');
      assert.ok(Math.abs(reloaded.height - moved.height) <= 4, `the height should be kept: ${moved.height} → ${reloaded.height}`);
      const columnReloaded = (await frame.locator('.results-table thead th').nth(0).boundingBox())!;
      assert.ok(
        Math.abs(columnReloaded.width - columnMoved.width) <= 2,
        `the column's width should be kept: ${columnMoved.width} → ${columnReloaded.width}`,
      );
    });
  });

  it(
    'at 1000×700 and in a short panel: lanes readable, the range caption clear of the filter box, the detail over the rows',
    { timeout: 180_000 },
    async () => {
      const { page, step } = workbench();
      const placed = entryOf(expected, 'everything').rowCount;
      await page.setViewportSize({ width: 1000, height: 700 });
      await step('09-timeline-1000x700', async () => {
        const frame = await resultsFrame(page);
        await showRun(frame, 'everything');
        await frame.locator('[data-testid="runs-toggle"]').click();
        const timeline = await waitForTimeline(page, placed);
        const { laneHeight, shown } = await laneGeometry(frame, timeline.lanes.length);
        assert.ok(laneHeight >= MIN_LANE_HEIGHT, `lanes ${laneHeight} px high at 1000×700`);
        assert.equal(shown, timeline.lanes.length);
        const other = timeline.lanes.find((lane) => /^other \(/.test(lane.label));
        assert.ok(other === undefined || other.count < placed / 2, `"other" holds ${other?.count} of ${placed}`);
        assert.ok(
          !overlaps(await box(frame, '[data-testid="timeline-range"]'), await box(frame, '[data-testid="table-filter"]')),
          'the range caption is under the filter box',
        );
        assert.match((await frame.locator('[data-testid="timeline-range"]').textContent()) ?? '', /UTC → .* UTC/);
      });
      await step('10-detail-1000x700', async () => {
        const frame = await resultsFrame(page);
        await frame.locator('[data-testid="results-table"] tbody tr').nth(1).click();
        const detail = frame.locator('[data-testid="detail"]');
        await detail.waitFor({ state: 'visible', timeout: 10_000 });
        const table = await box(frame, '.table-scroller');
        const shown = await box(frame, '[data-testid="detail"]');
        // Too narrow for both side by side: the detail lies over the rows, at their right.
        assert.ok(shown.width >= 250, `the detail is ${shown.width} px wide`);
        assert.ok(
          shown.x < table.x + table.width && Math.abs(shown.x + shown.width - (table.x + table.width)) <= 2,
          `the detail should lie over the rows' right side: ${JSON.stringify({ table, shown })}`,
        );
        assert.ok(table.height >= 100, `the rows keep ${table.height} px`);
        await frame.locator('[data-testid="close-detail"]').click();
        await detail.waitFor({ state: 'hidden', timeout: 10_000 });
      });
      await step('11-short-panel', async () => {
        // As short as the results get in a bottom group: the window 1000×440, the panel about 350 px.
        await page.setViewportSize({ width: 1000, height: 440 });
        const frame = await resultsFrame(page);
        await showRun(frame, 'everything');
        const timeline = await waitForTimeline(page, placed);
        const { laneHeight, shown } = await laneGeometry(frame, timeline.lanes.length);
        assert.ok(laneHeight >= MIN_LANE_HEIGHT, `lanes ${laneHeight} px high in a short panel`);
        assert.equal(shown, timeline.lanes.length);
        assert.ok(timeline.lanes.length >= 3, `only ${timeline.lanes.length} lanes in a short panel`);
        assert.ok(
          !overlaps(await box(frame, '[data-testid="timeline-range"]'), await box(frame, '[data-testid="table-filter"]')),
          'the range caption is under the filter box',
        );
      });
    },
  );
});
