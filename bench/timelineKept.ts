// The 1,000,000-event case of `npm run bench:timeline`: a cell whose result is over the row
// limit, kept by the host. The host here is real: the trail is ingested into an EventStore,
// the cell's query is kept by KeptResult (DuckDB), and the page's requests go to
// KeptResults through a Playwright binding (a cross-process hop, as VS Code's is). The page
// gets what the editor sends: the first 10,000 rows (the row limit), runFinished, then
// resultKept. Prints the host's time to keep the result (the cell's query run once into the
// kept table, against the former two runs), the first paint after resultKept, the JS work
// of each zoom frame (30 wheel notches, down to single events), how long the host took to
// answer, the host's sort, filter and paging of the whole result (directly and from the
// table: a header click, the filter box), the whole export, and the results frame's heap.
//
//   npm run bench:timeline            (after the 100,000-event case)
//   KEPT_EVENTS=200000 npm run bench:timeline
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { KeptResults } from '../src/app/keptResults';
import { EventStore } from '../src/engine/eventStore';
import { KeptResult } from '../src/engine/keptResult';
import { runQuery } from '../src/engine/query';
import { exportChunks } from '../src/app/rowsExport';
import { writeChunksAtomic } from '../src/app/writeAtomic';
import { statSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ALL_TIME } from '../src/engine/timeWindow';
import { isKeptRequest, MAX_PAGE } from '../src/protocol/keptResult';
import { scanLocalLogs } from '../src/sources/local/localLogs';
import { PAGE_ROWS } from '../src/webview/keptPages';
import { generateTrail, MANIFEST_FILE } from '../src/testbed/loggen';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const WheelEvent: any;
declare const requestAnimationFrame: (callback: (timestamp: number) => void) => number;

export const KEPT_EVENTS = Number(process.env.KEPT_EVENTS ?? 1_000_000);
const ROW_LIMIT = 10_000;
const TRAIL_DIR = `/tmp/trailbook-bench-timeline-kept-${KEPT_EVENTS}`;
const SCREENSHOT = '/tmp/timeline-kept.png';
/** What the bench types in the table's filter box: none of the host's own filters above, so the host computes it then. */
const TABLE_FILTER = 'ConsoleLogin';
/** The attacks both timeline cases draw among the ordinary events. */
export const ATTACKS = [
  'assume-role-burst',
  'access-denied-enumeration',
  'root-activity',
  'console-login-no-mfa',
  'create-access-key-no-mfa',
  'stop-logging',
  'security-group-open-22',
];
const SQL = `SELECT eventTime, eventName, eventSource, userIdentity, sourceIPAddress, awsRegion, errorCode, readOnly, eventID, resources
  FROM cloudtrail_logs ORDER BY eventTime`;

export interface KeptBenchPage {
  readonly page: Page;
  readonly results: Frame;
  readonly heapUsed: () => Promise<number>;
}

/** The kept case on a loaded page (the results frame said 'ready'); returns the table rows printed. */
export async function keptCase(open: () => Promise<KeptBenchPage>): Promise<[string, string, string, string][]> {
  if (!existsSync(join(TRAIL_DIR, MANIFEST_FILE))) {
    console.log(`generating ${KEPT_EVENTS.toLocaleString('en-US')} events over 30 days into ${TRAIL_DIR} …`);
    await generateTrail({
      outDir: TRAIL_DIR,
      events: KEPT_EVENTS,
      seed: 7,
      start: new Date('2026-11-01T00:00:00Z'),
      days: 30,
      attacks: ATTACKS,
      gzipLevel: 1,
    });
  }
  const store = await EventStore.open({ threads: 2 });
  const kept = new KeptResults();
  try {
    const ingestStarted = performance.now();
    const { ingest } = await scanLocalLogs(store, TRAIL_DIR, ALL_TIME);
    const ingestMs = performance.now() - ingestStarted;
    const scope = { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME };
    const load = (): string =>
      `load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`;
    // A/B, alternated: the cell as it ran before (the first rows, then the query again into the
    // kept table) and as it runs now (once, into the kept table, the first rows read from it).
    const before: { answer: number; kept: number }[] = [];
    const now: { answer: number; kept: number }[] = [];
    let result: KeptResult | undefined;
    for (let round = 0; round < 2; round += 1) {
      let at = performance.now();
      await runQuery(store, scope, SQL, { limit: ROW_LIMIT });
      const answered = performance.now() - at;
      (await KeptResult.keep(store, scope, SQL)).close();
      const previously = { answer: answered, kept: performance.now() - at };
      before.push(previously);
      result?.close();
      at = performance.now();
      const ran = await KeptResult.run(store, scope, SQL, { limit: ROW_LIMIT });
      const answeredOnce = performance.now() - at;
      await ran.kept!.summarize();
      const once = { answer: answeredOnce, kept: performance.now() - at };
      now.push(once);
      result = ran.kept!;
      console.log(
        `host, round ${round + 1} (${load()}): before: answer ${previously.answer.toFixed(0)} ms, kept ${previously.kept.toFixed(0)} ms | once: answer ${once.answer.toFixed(0)} ms, kept ${once.kept.toFixed(0)} ms`,
      );
    }
    const lastBefore = before.at(-1);
    const lastNow = now.at(-1);
    if (lastBefore === undefined || lastNow === undefined) throw new Error('no round ran');
    const keepMs = lastNow.kept;
    const announced = kept.keep('bench-kept', result!);
    const firstRows: unknown[][] = [];
    for (let offset = 0; offset < ROW_LIMIT; offset += MAX_PAGE) firstRows.push(...(await result!.page(offset, MAX_PAGE)));
    const direct: string[] = [];
    for (const offset of [Math.floor(KEPT_EVENTS / 2), Math.floor(KEPT_EVENTS / 2) + PAGE_ROWS, Math.floor(KEPT_EVENTS * 0.9)]) {
      const at = performance.now();
      await result!.page(offset, PAGE_ROWS);
      direct.push(`${(performance.now() - at).toFixed(0)} ms`);
    }
    console.log(
      `\nhost: pages of ${PAGE_ROWS} rows (the table's) read directly (row ${Math.floor(KEPT_EVENTS / 2).toLocaleString('en-US')}, the next, row ${Math.floor(KEPT_EVENTS * 0.9).toLocaleString('en-US')}): ${direct.join(', ')}`,
    );
    // Sort, filter and page the whole result on the host, as the table asks (first page builds the listing).
    const listingFigures: string[] = [];
    const timed = async (label: string, work: () => Promise<unknown>): Promise<void> => {
      const at = performance.now();
      await work();
      listingFigures.push(`${label} ${(performance.now() - at).toFixed(0)} ms`);
    };
    const byName = { sort: { column: 'eventName', direction: 'asc' as const } };
    const middle = Math.floor(KEPT_EVENTS / 2);
    await timed('sort by eventName (first page)', () => result!.listed(0, PAGE_ROWS, byName));
    await timed(`then row ${middle.toLocaleString('en-US')}`, () => result!.listed(middle, PAGE_ROWS, byName));
    await timed('the next page', () => result!.listed(middle + PAGE_ROWS, PAGE_ROWS, byName));
    let matched = 0;
    await timed(
      'filter "assumerole" (first page)',
      async () => (matched = (await result!.listed(0, PAGE_ROWS, { filter: 'assumerole' })).listed),
    );
    await timed(`sorted by errorCode desc and filtered "denied 10."`, () =>
      result!.listed(0, PAGE_ROWS, { sort: { column: 'errorCode', direction: 'desc' }, filter: 'denied 10.' }),
    );
    console.log(`host (${load()}): ${listingFigures.join('; ')}; "assumerole" matched ${matched.toLocaleString('en-US')} rows`);
    for (const format of ['ndjson'] as const) {
      const path = `/tmp/trailbook-bench-kept-export.${format}`;
      const rssBefore = process.memoryUsage().rss;
      const at = performance.now();
      await writeChunksAtomic(path, exportChunks(format, announced.type === 'resultKept' ? announced.columns : [], result!.chunks()));
      const exportMs = performance.now() - at;
      console.log(
        `host: exported the whole result as ${format}: ${(statSync(path).size / 1048576).toFixed(0)} MB in ${(exportMs / 1000).toFixed(1)} s; RSS ${(rssBefore / 1048576).toFixed(0)} → ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB (${load()})`,
      );
      rmSync(path, { force: true });
    }
    console.log(
      `host: ingested ${KEPT_EVENTS.toLocaleString('en-US')} events in ${(ingestMs / 1000).toFixed(1)} s (cold cache); kept the cell's result in ${keepMs.toFixed(0)} ms`,
    );

    const { page, results, heapUsed } = await open();
    const answered: number[] = [];
    const answeredKinds: string[] = [];
    // The host side of the channel: the page's requests, checked as the extension checks them.
    await page.exposeFunction('__trailbookHost', async (message: unknown) => {
      if (!isKeptRequest(message)) return undefined;
      const started = performance.now();
      const answer = await kept.answer(message);
      answered.push(performance.now() - started);
      answeredKinds.push(`${message.type} ${(performance.now() - started).toFixed(0)}`);
      return answer;
    });
    // The binding exists in every frame from now on; the page's posts reach it from here on.
    await results.evaluate(() => {
      const w = window as { __toHost?: (message: unknown) => void; __trailbookHost: (message: unknown) => Promise<unknown> };
      w.__toHost = (message) => {
        void w.__trailbookHost(message).then((answer) => answer !== undefined && window.postMessage(answer, '*'));
      };
    });
    const posted = await results.evaluate(
      async ({ rowsJson, announcedJson, limit }) => {
        const rows = JSON.parse(rowsJson) as unknown[][];
        const announced = JSON.parse(announcedJson) as { columns: string[] };
        const runId = 'bench-kept';
        const columns = announced.columns;
        window.postMessage(
          {
            type: 'runStarted',
            runId,
            runbook: 'runbooks/incident-42.md',
            cellId: 'month-of-activity',
            line: 12,
            context: { source: 'local logs ./org-trail' },
            startedAt: Date.now(),
          },
          '*',
        );
        for (let i = 0; i < rows.length; i += 2000)
          window.postMessage({ type: 'rows', runId, columns, rows: rows.slice(i, i + 2000) }, '*');
        window.postMessage(
          {
            type: 'runFinished',
            runId,
            status: 'ok',
            rowCount: limit,
            truncated: true,
            elapsedMs: 4321,
            notes: [],
            problems: [],
            summary: `✓ ${limit} rows (row limit)`,
          },
          '*',
        );
        // The host keeps the result after the run finished (seconds later): the view has drawn the rows it got by then.
        const painted = () =>
          (window as { __trailbookTimeline?: { last?: { placed: number } } }).__trailbookTimeline?.last?.placed === limit;
        for (let i = 0; i < 600 && !painted(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const at = performance.now();
        window.postMessage(announced, '*');
        return at;
      },
      { rowsJson: JSON.stringify(firstRows), announcedJson: JSON.stringify(announced), limit: ROW_LIMIT },
    );
    // The first paint of the kept timeline with the host's bins: it places all the events, not the 10,000 rows here.
    await results.waitForFunction(
      (rowLimit) =>
        (window as { __trailbookTimeline?: { recent: { placed: number; inView: number }[] } }).__trailbookTimeline?.recent.some(
          (p) => p.placed > rowLimit && p.inView > 0,
        ) === true,
      ROW_LIMIT,
      { timeout: 60_000 },
    );
    const firstPaint = await results.evaluate(
      ({ at, rowLimit }) =>
        (window as { __trailbookTimeline: { recent: { at: number; placed: number; inView: number }[] } }).__trailbookTimeline.recent.find(
          (p) => p.placed > rowLimit && p.inView > 0,
        )!.at - at,
      { at: posted, rowLimit: ROW_LIMIT },
    );
    const heapAfterOpen = await heapUsed();

    // The table pages through the whole result: jump to the middle, wait for its rows.
    const paging = await results.evaluate(
      async (middle) => {
        const scroller = document.querySelector('.table-scroller');
        const next = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
        const at = performance.now();
        scroller.scrollTop = middle * 22;
        const scrolled = { top: scroller.scrollTop, height: scroller.scrollHeight };
        for (let i = 0; i < 300; i += 1) {
          await next();
          const rows = [...document.querySelectorAll('[data-testid="results-table"] tbody tr')];
          const first = rows[0] as { dataset: { row: string } } | undefined;
          // The rows of the new place (not those shown before the scroll), each with its values.
          if (
            first !== undefined &&
            Number(first.dataset.row) >= middle - 50 &&
            rows.every((tr: { classList: { contains(name: string): boolean } }) => !tr.classList.contains('loading'))
          ) {
            return {
              ms: performance.now() - at,
              row: Number(first.dataset.row),
              listed: document.querySelector('[data-testid="rows-in-view"]')?.textContent ?? '',
              scrolled,
            };
          }
        }
        return { ms: NaN, row: -1, listed: '', scrolled };
      },
      Math.floor(KEPT_EVENTS / 2),
    );
    console.log(
      `table: scrolled to row ${paging.row.toLocaleString('en-US')} (${paging.listed}); its rows drawn ${paging.ms.toFixed(1)} ms after the scroll; ${JSON.stringify(paging.scrolled)}`,
    );

    // A click on the eventName header: the host sorts the whole result; then the middle of the sorted listing.
    const sortedPaging = await results.evaluate(
      async ({ middle, typed }) => {
        const next = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
        const scroller = document.querySelector('.table-scroller');
        const drawn = () => {
          const rows = [...document.querySelectorAll('[data-testid="results-table"] tbody tr')];
          return (
            rows.length > 0 && rows.every((tr: { classList: { contains(name: string): boolean } }) => !tr.classList.contains('loading'))
          );
        };
        const header = [...document.querySelectorAll('[data-testid="results-table"] thead th')].find((th: { textContent: string }) =>
          th.textContent.startsWith('eventName'),
        );
        let at = performance.now();
        header.click();
        let sortMs = NaN;
        while (Number.isNaN(sortMs) && performance.now() - at < 30_000) {
          await next();
          if (header.getAttribute('aria-sort') === 'ascending' && scroller.scrollTop === 0 && drawn()) sortMs = performance.now() - at;
        }
        const first = [...document.querySelectorAll('[data-testid="results-table"] tbody tr td:nth-child(2)')]
          .slice(0, 3)
          .map((td: { textContent: string }) => td.textContent);
        const topRow = () =>
          (document.querySelector('[data-testid="results-table"] tbody tr') as { dataset: { row?: string } } | null)?.dataset.row;
        const rowBefore = topRow();
        at = performance.now();
        scroller.scrollTop = middle * 22;
        let pageMs = NaN;
        // The rows of the new place (their whole-result indexes differ from the top's), each with its values.
        while (Number.isNaN(pageMs) && performance.now() - at < 30_000) {
          await next();
          if (topRow() !== undefined && topRow() !== rowBefore && drawn()) pageMs = performance.now() - at;
        }
        const middleNames = [...document.querySelectorAll('[data-testid="results-table"] tbody tr td:nth-child(2)')]
          .slice(0, 2)
          .map((td: { textContent: string }) => td.textContent);
        // The filter box: the host filters the whole (sorted) result; the toolbar counts the matches.
        // A word the host's own step above did not filter by: its matches are not held yet.
        const filter = document.querySelector('[data-testid="table-filter"]');
        at = performance.now();
        filter.value = typed;
        filter.dispatchEvent(new (window as { Event: new (type: string) => unknown }).Event('input'));
        let filterMs = NaN;
        const count = () => document.querySelector('[data-testid="rows-in-view"]')?.textContent ?? '';
        while (Number.isNaN(filterMs) && performance.now() - at < 60_000) {
          await next();
          if (count().includes(' match') && drawn()) filterMs = performance.now() - at;
        }
        const counted = count();
        filter.value = '';
        filter.dispatchEvent(new (window as { Event: new (type: string) => unknown }).Event('input'));
        header.click();
        header.click();
        return { sortMs, first, pageMs, middleNames, filterMs, counted };
      },
      { middle: Math.floor(KEPT_EVENTS / 2), typed: TABLE_FILTER },
    );
    console.log(
      `table: eventName header clicked → sorted rows drawn ${sortedPaging.sortMs.toFixed(0)} ms (${sortedPaging.first.join(', ')}); scrolled to row ${Math.floor(KEPT_EVENTS / 2).toLocaleString('en-US')} of the sorted listing → drawn ${sortedPaging.pageMs.toFixed(0)} ms (${sortedPaging.middleNames.join(', ')}); filter "${TABLE_FILTER}" → ${sortedPaging.counted} in ${sortedPaging.filterMs.toFixed(0)} ms (after typing's 120 ms pause)`,
    );

    const box = (await results.locator('[data-testid="kept-timeline-canvas"]').boundingBox())!;
    const zoom = await results.evaluate(
      async ({ x, y }) => {
        const w = window as { __frameWork: Map<number, number>; __trailbookTimeline: { recent: { at: number; ms: number }[] } };
        const canvas = document.querySelector('[data-testid="kept-timeline-canvas"]');
        const next = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
        await next();
        w.__frameWork.clear();
        const paintsBefore = w.__trailbookTimeline.recent.length;
        for (let i = 0; i < 30; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: x, clientY: y, bubbles: true, cancelable: true }));
          await next();
        }
        const work = [...w.__frameWork.values()];
        // Then on, a notch at a time, until the span holds few enough events to be drawn one by
        // one: from that notch to the host's events on screen.
        let settled = NaN;
        w.__frameWork.clear();
        for (let notch = 0; notch < 40 && Number.isNaN(settled); notch += 1) {
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: x, clientY: y, bubbles: true, cancelable: true }));
          const at = performance.now();
          for (let i = 0; i < 60; i += 1) {
            await next();
            if (Number(canvas.dataset.marks ?? '0') > 0) {
              settled = performance.now() - at;
              break;
            }
          }
        }
        const paints = w.__trailbookTimeline.recent.slice(paintsBefore).map((p) => p.ms);
        const marksWork = [...w.__frameWork.values()];
        return {
          work,
          marksWork,
          paints,
          settled,
          marks: Number(canvas.dataset.marks),
          status: document.querySelector('[data-testid="kept-timeline-status"]')?.textContent ?? '',
        };
      },
      { x: box.x + box.width * 0.6, y: box.y + box.height * 0.5 },
    );
    // A click on a mark selects its row: the table pages it in and the detail pane shows it.
    let picked = 'none';
    let hovered = 'none';
    for (let fraction = 0.5; fraction < 0.95 && picked === 'none'; fraction += 0.02) {
      // Over a mark, the canvas's tooltip says its time, outcome and row.
      await page.mouse.move(box.x + box.width * fraction, box.y + 67);
      const title = (await results.locator('[data-testid="kept-timeline-canvas"]').getAttribute('title')) ?? '';
      if (title !== '' && hovered === 'none') hovered = title;
      const pickedAt = performance.now();
      await page.mouse.click(box.x + box.width * fraction, box.y + 67);
      const caption = results.locator('.detail-caption').first();
      try {
        await caption.waitFor({ state: 'visible', timeout: 1000 });
        picked = `${await caption.innerText()} (${(performance.now() - pickedAt).toFixed(0)} ms after the click)`;
      } catch {
        // No mark under this point: the next one.
      }
    }
    await page.waitForTimeout(200);
    await page.screenshot({ path: SCREENSHOT });
    const heap = await heapUsed();

    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] ?? NaN;
    const p90 = (values: number[]) => sorted(values)[Math.floor(values.length * 0.9)] ?? NaN;
    const max = (values: number[]) => Math.max(...values);
    const spread = (values: number[]) => `${ms(median(values))} / ${ms(p90(values))} / ${ms(max(values))}`;
    // Every frame of both phases: the 30 notches, then on until the events are drawn one by one.
    const steps = [...zoom.work, ...zoom.marksWork].filter((w) => w > 0.05);
    const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
    const n = KEPT_EVENTS.toLocaleString('en-US');
    console.log(`hovered a mark: ${hovered}`);
    console.log(`picked a mark: ${picked}`);
    console.log(`after zooming: ${zoom.status}; ${zoom.marks} events drawn as marks; screenshot: ${SCREENSHOT}`);
    console.log(`host answers (${answered.length}), ms: ${answeredKinds.join(', ')}`);
    console.log(
      `zoom frames' JS work, ms: ${zoom.work.map((w) => w.toFixed(1)).join(' ')} | then to the marks: ${zoom.marksWork.map((w) => w.toFixed(1)).join(' ')}`,
    );
    return [
      [`${n} kept: resultKept → first paint`, ms(firstPaint), '< 300 ms', verdict(firstPaint < 300)],
      [`${n} kept: zoom step JS work per frame`, spread(steps), '< 16 ms', verdict(max(steps) < 16)],
      [`${n} kept: zoom step timeline paint`, spread(zoom.paints), '', ''],
      [`${n} kept: zoom step → its events as marks`, ms(zoom.settled), '', ''],
      [`${n} kept: host answer`, spread(answered), '', ''],
      [`${n} kept: table scrolled to the middle → rows drawn`, ms(paging.ms), '', ''],
      [`${n} kept: header click → host-sorted rows drawn`, ms(sortedPaging.sortMs), '', ''],
      [`${n} kept: sorted, scrolled to the middle → rows drawn`, ms(sortedPaging.pageMs), '', ''],
      [`${n} kept: filter typed → host-filtered rows drawn`, ms(sortedPaging.filterMs), '', ''],
      [
        `${n} kept: JS heap, opened / zoomed (after GC)`,
        `${(heapAfterOpen / 1048576).toFixed(1)} / ${(heap / 1048576).toFixed(1)} MB`,
        '< 200 MB',
        verdict(heap < 200 * 1048576),
      ],
      [`${n} kept: host keeps the result (not in view)`, ms(keepMs), '', ''],
      [`${n} kept: cell answered, before → once (last round)`, `${ms(lastBefore.answer)} → ${ms(lastNow.answer)}`, '', ''],
      [`${n} kept: answered and kept, before → once`, `${ms(lastBefore.kept)} → ${ms(keepMs)}`, '', ''],
    ];
  } finally {
    kept.clear();
    await store.close();
  }
}
