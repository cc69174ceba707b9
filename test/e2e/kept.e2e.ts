// A result past the row limit, kept by the host (issue 16), in a real VS Code (1.100,
// code-server) and Chromium: trailbook.rowLimit is set low (50) so the "everything" cell of
// test/fixtures/e2e/results.md on the Stratus Red Team logs (hundreds of events) passes it.
// The toolbar says the whole result is kept, and so does the summary after the block (every
// row counted, not "50 rows (limit reached)"), the table pages past the rows that came with
// the run (the host sends them), the filter narrows the table's count and the timeline's,
// and, sorted latest first, a click on the earliest mark scrolls the table to a row whose
// page was not held. Screenshots in test-results/e2e/kept/.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { timelineLayout } from '../../src/webview/timeline/timelineLayout';
import { filterTerms, rowMatches } from '../../src/webview/rowFilter';
import type { ResultValue } from '../../src/protocol/results';
import { stratusDir } from '../support/datasets';
import { itemAt } from '../support/itemAt';
import { runCell, type CliCell } from './expected';
import { E2E_RESULTS, REPO, startEditorSession, type EditorSession } from './support/editorSession';
import {
  codeLensAbove,
  goToLine,
  openFromExplorer,
  resultsFrame,
  runFromPalette,
  waitForDetail,
  waitForRun,
  type Workbench,
  waitUntil,
  textsAfterLines,
  waitForMarkdown,
  waitForRunLens,
  whenRunStatus,
} from './workbench';

const RESULTS = join(E2E_RESULTS, 'kept');
const FIXTURE_NAME = 'results.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
const CELL = 'everything';
const FENCE = '```cloudtrail id=everything';
const ROW_LIMIT = 50;
const CANVAS = '[data-testid="kept-timeline-canvas"]';
const TOOLBAR = '[data-testid="rows-in-view"]';
/** The kept timeline's gutter (src/webview/timeline/keptTimeline.ts). */
const GUTTER = 140;

/** The row index and text of the table's rows drawn now (a row whose page is on its way has no index). */
async function drawnRows(frame: Frame): Promise<{ row: number | undefined; loading: boolean; cells: string[] }[]> {
  const rows = frame.locator('[data-testid="results-table"] tbody tr');
  const out: { row: number | undefined; loading: boolean; cells: string[] }[] = [];
  for (let i = 0, n = await rows.count(); i < n; i += 1) {
    const tr = rows.nth(i);
    const row = await tr.getAttribute('data-row', { timeout: 1_000 });
    out.push({
      row: row === null ? undefined : Number(row),
      loading: ((await tr.getAttribute('class', { timeout: 1_000 })) ?? '').includes('loading'),
      cells: (await tr.locator('td').allTextContents()).map((text) => text.trim()),
    });
  }
  return out;
}

describe('A result past the row limit, kept by the host, in VS Code 1.100 (code-server) and Chromium', { timeout: 600_000 }, () => {
  let session: EditorSession | undefined;
  let expected: CliCell | undefined;
  const logs = stratusDir();

  before(async () => {
    // What the view must show, from the CLI on the same logs (without a row limit).
    expected = runCell(REPO, FIXTURE, logs, CELL);
    assert.ok(expected.rowCount > 4 * ROW_LIMIT + 100, `the fixture needs well over ${4 * ROW_LIMIT} events in ${logs}`);
    session = await startEditorSession({
      label: 'kept',
      resultsDir: RESULTS,
      settings: {
        'security.workspace.trust.enabled': false,
        'trailbook.logsPath': logs,
        'trailbook.source': 'local',
        'trailbook.rowLimit': ROW_LIMIT,
      },
      prepare: (_root, profile) => {
        cpSync(FIXTURE, join(profile.workspace, FIXTURE_NAME));
      },
    });
  });

  after(async () => {
    await session?.close();
  });

  function workbench(): { bench: Workbench; want: CliCell } {
    if (!session || !expected) throw new Error('the workbench did not start (see the first failure)');
    return { bench: session.bench, want: expected };
  }

  it(
    'the whole result is kept: the toolbar says so, later pages come from the host, the filter narrows table and timeline, a mark scrolls to its row',
    { timeout: 420_000 },
    async () => {
      const { bench, want } = workbench();
      const { page, step } = bench;
      const total = want.rowCount;
      const columns = Object.keys(itemAt(want.rows, 0));
      const eventTime = columns.indexOf('eventTime');
      const eventId = columns.indexOf('eventID');
      assert.ok(eventTime >= 0 && eventId >= 0, `the cell selects eventTime and eventID: ${columns.join(', ')}`);

      await step('01-run-past-the-row-limit', async () => {
        await openFromExplorer(page, FIXTURE_NAME);
        await waitForMarkdown(page);
        // The results view open and loaded before the run, so the moment the run ends can be seen.
        await runFromPalette(page, 'Trailbook: Show results');
        await resultsFrame(page);
        const resultsTab = await page.locator('.tabs-container .tab', { hasText: 'Trailbook results' }).first().boundingBox();
        assert.ok(resultsTab, 'the results view has a tab');
        await goToLine(page, 12);
        const lens = await codeLensAbove(page, FENCE, 'Run query');
        await lens.click();
        // Focus moves to the results view the moment the run ends, as when a person clicks the
        // answer as it shows: VS Code drops a lens refresh still pending (debounced) when its
        // editor loses focus, and the lens must still come back to "▶ Run query".
        await whenRunStatus(await resultsFrame(page), want.status, 180_000);
        await page.mouse.click(resultsTab.x + resultsTab.width / 2, resultsTab.y + resultsTab.height / 2);
        const shown = await waitForRun(page, CELL, 180_000);
        assert.equal(shown.status, want.status);
        const frame = await resultsFrame(page);
        const toolbar = frame.locator(TOOLBAR);
        await waitUntil(
          page,
          'the toolbar says the whole result is kept',
          async () => (await toolbar.textContent()) === `${total} rows, kept by the host`,
        );
        assert.equal(
          await frame.locator('[data-testid="row-count"]').getAttribute('data-count'),
          String(total),
          'the header counts every row, not the 50 that came',
        );
        // The summary after the block counts the whole result as the view does, not the rows cut at the limit.
        const summary = `✓ ${total.toLocaleString('en-US')} rows (kept by the host) · `;
        let after: string[] = [];
        await waitUntil(page, `the summary after the block says "${summary}"`, async () => {
          after = await textsAfterLines(page);
          return after.some((text) => text.includes(summary));
        }).catch((error: Error) => {
          throw new Error(`${error.message}; drawn after lines: ${JSON.stringify(after)}`);
        });
        const canvas = frame.locator(CANVAS);
        await canvas.waitFor({ state: 'visible', timeout: 20_000 });
        await waitUntil(
          page,
          'the kept timeline places every event',
          async () => (await canvas.getAttribute('data-placed')) === String(total),
        );
        await waitForRunLens(page, FENCE);
      });

      await step('02-a-later-page-from-the-host', async () => {
        const frame = await resultsFrame(page);
        // To the end of the table: those rows never came with the run (only the first 50 did).
        await frame.locator('.table-scroller').evaluate((element) => {
          element.scrollTop = element.scrollHeight;
        });
        await waitUntil(page, 'the last rows drawn from the host’s page', async () => {
          const rows = await drawnRows(frame);
          return rows.some((r) => r.row === total - 1) && rows.every((r) => !r.loading && r.row !== undefined);
        });
        const rows = await drawnRows(frame);
        const known = new Set(want.rows.map((row) => String(row.eventID)));
        for (const { row, cells } of rows) {
          assert.ok(row !== undefined && row >= ROW_LIMIT, `row ${row} is past the rows that came with the run`);
          // In time order: the row's time is the CLI's at the same place (ties may differ in order, not in time).
          assert.equal(cells[eventTime], String(itemAt(want.rows, row).eventTime), `row ${row}'s eventTime`);
          assert.ok(known.has(itemAt(cells, eventId)), `row ${row}'s eventID ${cells[eventId]} is one of the cell's events`);
        }
      });

      const filter = 'GetPasswordData';
      const matching = want.rows.filter((row) => rowMatches(Object.values(row) as ResultValue[], filterTerms(filter))).length;
      await step('03-filter-narrows-table-and-timeline', async () => {
        assert.ok(matching > 0 && matching < total, `the filter keeps some rows: ${matching} of ${total}`);
        const frame = await resultsFrame(page);
        await frame.locator('[data-testid="table-filter"]').fill(filter);
        await waitUntil(
          page,
          `the table counts ${matching} matching rows`,
          async () => (await frame.locator(TOOLBAR).textContent()) === `${matching} of ${total} rows match, kept by the host`,
        );
        // The timeline counts what the host counted for the filter: the same rows.
        await waitUntil(
          page,
          'the timeline narrowed to the matching events',
          async () => (await frame.locator(CANVAS).getAttribute('data-matching')) === String(matching),
        );
        // Few enough to be marks: only the matching events are drawn.
        await waitUntil(
          page,
          'the matching events drawn as marks',
          async () => (await frame.locator(CANVAS).getAttribute('data-marks')) === String(matching),
        );
        const status = (await frame.locator('[data-testid="kept-timeline-status"]').textContent()) ?? '';
        assert.match(status, new RegExp(`of ${matching} events matching the filter`));
        const rows = await drawnRows(frame);
        assert.ok(
          rows.length > 0 && rows.every((r) => r.cells.some((cell) => cell.toLowerCase().includes(filter.toLowerCase()))),
          'every row drawn is one the filter keeps',
        );
      });

      await step('03b-filter-cleared', async () => {
        const frame = await resultsFrame(page);
        await frame.locator('[data-testid="table-filter"]').fill('');
        await waitUntil(
          page,
          'the filter cleared: every row again',
          async () => (await frame.locator(TOOLBAR).textContent()) === `${total} rows, kept by the host`,
        );
        await waitUntil(
          page,
          'the timeline whole again',
          async () =>
            (await frame.locator(CANVAS).getAttribute('data-matching')) === '' &&
            (await frame.locator(CANVAS).getAttribute('data-marks')) === String(total),
        );
      });

      await step('04-sorted-a-mark-scrolls-to-its-row', async () => {
        const frame = await resultsFrame(page);
        const scroller = frame.locator('.table-scroller');
        await scroller.evaluate((element) => {
          element.scrollTop = 0;
        });
        // Latest first (two clicks on the header): the earliest events are listed last, on a page not held.
        const header = frame.locator('[data-testid="results-table"] th').nth(eventTime);
        await header.click();
        await header.click();
        await waitUntil(page, 'sorted latest first', async () => (await header.getAttribute('aria-sort')) === 'descending');
        await waitUntil(page, 'the first rows of the sorted listing drawn', async () => {
          const rows = await drawnRows(frame);
          return (
            rows.length > 0 &&
            rows.every((r) => !r.loading) &&
            itemAt(rows, 0).cells[eventTime] === String(itemAt(want.rows, total - 1).eventTime)
          );
        });
        // The earliest mark: the leftmost drawn on the events lane's middle line (every event is a mark: few enough).
        const canvas = frame.locator(CANVAS);
        await waitUntil(page, 'the events drawn as marks', async () => Number(await canvas.getAttribute('data-marks')) === total);
        const size = await canvas.evaluate((element) => ({ width: element.clientWidth, height: element.clientHeight }));
        const layout = timelineLayout(size.width, size.height, 1, Math.min(GUTTER, size.width * 0.3));
        const y = layout.lanes.top + layout.laneHeight / 2;
        const xs = await canvas.evaluate(
          (element, at) => {
            const c = element as unknown as {
              width: number;
              clientWidth: number;
              getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
            };
            const scale = c.width / c.clientWidth;
            const data = c.getContext('2d')!.getImageData(0, Math.floor(at.y * scale), c.width, 1).data;
            const found: number[] = [];
            for (let px = Math.floor((at.left - 2) * scale); px < c.width && found.length < 20; px += 1)
              if ((data[px * 4 + 3] ?? 0) >= 128) found.push((px + 0.5) / scale);
            return found;
          },
          { y, left: layout.plotLeft },
        );
        // Over a mark the canvas's title names its row.
        let picked: { x: number; row: number } | undefined;
        for (const x of xs) {
          await canvas.hover({ position: { x, y } });
          const title = (await canvas.getAttribute('title')) ?? '';
          const row = /row ([\d,]+) of/.exec(title)?.[1];
          if (row !== undefined) {
            picked = { x, row: Number(row.replace(/,/g, '')) - 1 };
            break;
          }
        }
        assert.ok(picked !== undefined, `no mark found on the events lane at y=${y} (opaque pixels at ${xs.join(', ')})`);
        const before = await drawnRows(frame);
        assert.ok(!before.some((r) => r.row === picked!.row), `row ${picked.row} is not drawn before the click`);
        await canvas.click({ position: { x: picked.x, y } });
        const selected = frame.locator('[data-testid="results-table"] tbody tr.selected');
        await waitUntil(
          page,
          `the table scrolled to row ${picked.row} and selected it`,
          async () => (await selected.getAttribute('data-row', { timeout: 1_000 })) === String(picked!.row),
        );
        const rowBox = await selected.boundingBox();
        const scrollerBox = await scroller.boundingBox();
        assert.ok(
          rowBox !== null &&
            scrollerBox !== null &&
            rowBox.y >= scrollerBox.y &&
            rowBox.y + rowBox.height <= scrollerBox.y + scrollerBox.height + 1,
          'the selected row is in view',
        );
        const detail = await waitForDetail(frame);
        assert.equal(detail.eventTime, (await selected.locator('td').nth(eventTime).textContent())?.trim(), 'the detail shows the row');
        assert.equal(detail.eventTime, String(itemAt(want.rows, picked.row).eventTime));
      });
    },
  );
});
