// Benchmark of the results view's timeline with 100,000 events, in headless Chromium,
// with the real bundle (out/webview/results.js), stylesheet and page HTML. Rows come as
// the host sends them: batches of 2,000 posted to the page's frame by its parent. Prints how long the first
// and the complete paint take, the frame work of zoom steps, and the JS heap; saves a
// screenshot to /tmp/timeline.png. Then the 1,000,000-event case, a result kept by the host
// (bench/timelineKept.ts; KEPT_EVENTS=0 leaves it out).
//
//   npm run bench:timeline            (tsx bench/timeline.ts)
//   EVENTS=20000 npm run bench:timeline
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { columnWidths } from './figures';
import { ATTACKS, KEPT_EVENTS, keptCase } from './timelineKept';
import type { ResultValue } from '../src/protocol/results';
import { resultsHtml } from '../src/extension/resultsHtml';
import { generateTrail, MANIFEST_FILE, type CloudTrailRecord } from '../src/testbed/loggen';

// The page's globals, for the functions that run in it: the root tsconfig (node) has no
// DOM lib, and this file must not bring it to the whole project.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const requestAnimationFrame: (callback: (timestamp: number) => void) => number;
declare const WheelEvent: any;
type HTMLIFrameElement = { contentWindow: { postMessage(message: unknown, origin: string): void } | null };

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const BATCH = 2_000;
const ORIGIN = 'https://trailbook.bench';
const TRAIL_DIR = `/tmp/trailbook-bench-timeline-${EVENTS}`;
const SCREENSHOT = '/tmp/timeline.png';

const COLUMNS = [
  'eventTime',
  'eventName',
  'eventSource',
  'userIdentity',
  'sourceIPAddress',
  'awsRegion',
  'errorCode',
  'readOnly',
  'eventID',
  'resources',
];

/** A dark theme's variables, as VS Code sets them on the webview's <html>. */
const DARK_THEME: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-sideBar-background': '#181818',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-errorForeground': '#f85149',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-dropdown-background': '#313131',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
  '--vscode-editor-font-size': '12px',
  '--vscode-editorHoverWidget-background': '#252526',
  '--vscode-editorHoverWidget-border': '#454545',
  '--vscode-editorWarning-foreground': '#cca700',
};

async function main(): Promise<void> {
  if (!process.env.NO_BUILD) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', 'webview'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building the webview bundle failed');
  }
  const rows = await eventRows();
  const rowsJson = JSON.stringify(rows);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const errors: string[] = [];
    const { page, results } = await openResultsPage(browser, errors, rowsJson);
    await page.evaluate(async () => {
      (window as unknown as { __rows: unknown }).__rows = await (await fetch('/rows.json')).json();
    });

    const profiler = process.env.PROFILE ? await page.context().newCDPSession(results) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    // Feed the rows as the host does: runStarted, batches, runFinished, each its own message, one per task.
    const feed = await page.evaluate(
      async ({ columns, batch }) => {
        const w = window as unknown as { __rows?: unknown[][] | undefined };
        const all = w.__rows!;
        const target = (document.getElementById('results') as HTMLIFrameElement).contentWindow!;
        const runId = 'bench-1';
        const task = () => new Promise((resolve) => setTimeout(resolve, 0));
        target.postMessage(
          {
            type: 'runStarted',
            runId,
            runbook: 'runbooks/incident-42.md',
            cellId: 'all-activity',
            heading: 'Everything in the incident window',
            line: 12,
            context: { source: 'local logs ./incident-42' },
            startedAt: Date.now(),
          },
          '*',
        );
        const start = performance.timeOrigin + performance.now();
        // As fast as the host can: a local scan hands batches over without waiting for the view.
        for (let i = 0; i < all.length; i += batch)
          target.postMessage({ type: 'rows', runId, columns, rows: all.slice(i, i + batch) }, '*');
        await task();
        target.postMessage(
          {
            type: 'runFinished',
            runId,
            status: 'ok',
            rowCount: all.length,
            truncated: false,
            elapsedMs: 1234,
            notes: [`read ${all.length.toLocaleString('en-US')} generated events`],
            problems: [],
            summary: `✓ ${all.length} events`,
          },
          '*',
        );
        const posted = performance.timeOrigin + performance.now();
        // Only the view's copy of the rows should count in the heap.
        w.__rows = undefined;
        return { start, posted };
      },
      { columns: COLUMNS, batch: BATCH },
    );
    await results.waitForFunction(
      (total) => (window as unknown as { __trailbookTimeline?: { last?: { placed: number } } }).__trailbookTimeline?.last?.placed === total,
      rows.length,
      { timeout: 60_000 },
    );
    const loading = await results.evaluate((start) => {
      const debug = (
        window as unknown as {
          __trailbookTimeline: {
            firstPaint: { at: number; ms: number; placed: number };
            recent: { at: number; ms: number; placed: number }[];
          };
        }
      ).__trailbookTimeline;
      const complete = debug.recent.find((p) => p.placed === debug.recent.at(-1)?.placed)!;
      const during = debug.recent.filter((p) => p.at <= complete.at);
      const w = window as unknown as {
        __messageWork: { ms: number; receive: number; firstRows: number; lastRows: number };
        __frameWork: Map<number, number>;
      };
      const frameWork = [...w.__frameWork.entries()].filter(([t]) => t <= complete.at).map(([, ms]) => ms);
      const first = w.__messageWork.firstRows;
      return {
        firstPaint: debug.firstPaint.at - first,
        firstPlaced: debug.firstPaint.placed,
        complete: complete.at - first,
        lag: complete.at - w.__messageWork.lastRows,
        hostWait: first - (start - performance.timeOrigin),
        paintsWhileLoading: during.length,
        maxPaintWhileLoading: Math.max(...during.map((p) => p.ms)),
        paintTotal: during.reduce((sum, p) => sum + p.ms, 0),
        messageWork: w.__messageWork.ms,
        receiveWork: w.__messageWork.receive,
        frameWork: frameWork.reduce((a, b) => a + b, 0),
        frames: frameWork.length,
      };
    }, feed.start);
    if (profiler) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
      (await import('node:fs')).writeFileSync('/tmp/timeline.cpuprofile', JSON.stringify(profile));
    }
    const heap = await heapUsed(page, results);

    // Zoom: one wheel notch per frame over the plot, 30 times, as a trackpad does.
    const box = (await results.locator('[data-testid="timeline-canvas"]').boundingBox())!;
    const zoom = await results.evaluate(
      async ({ x, y }) => {
        const w = window as unknown as { __frameWork: Map<number, number>; __trailbookTimeline: { recent: { at: number; ms: number }[] } };
        const canvas = document.querySelector('[data-testid="timeline-canvas"]')!;
        const next = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
        await next();
        w.__frameWork.clear();
        const paintsBefore = w.__trailbookTimeline.recent.length;
        const stamps: number[] = [];
        const handler: number[] = [];
        for (let i = 0; i < 30; i += 1) {
          // As the browser does with input: between frames, not inside one's callbacks.
          await new Promise((resolve) => setTimeout(resolve, 0));
          const start = performance.now();
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: x, clientY: y, bubbles: true, cancelable: true }));
          handler.push(performance.now() - start);
          stamps.push(await next());
        }
        await next();
        await next();
        const work = [...w.__frameWork.values()];
        const intervals = stamps.slice(1).map((t, i) => t - stamps[i]!);
        const paints = w.__trailbookTimeline.recent.slice(paintsBefore).map((p) => p.ms);
        return { work, handler, intervals, paints, listed: document.querySelector('[data-testid="rows-in-view"]')?.textContent ?? '' };
      },
      { x: box.x + box.width * 0.6, y: box.y + box.height * 0.5 },
    );

    // Pan by dragging, then reset, for the screenshot: everything, an event selected and hovered.
    await results.dblclick(`[data-testid="timeline-canvas"]`, { position: { x: box.width * 0.5, y: 10 } });
    await page.waitForTimeout(100);
    const picked = await pickMark(page, results, box);
    await page.waitForTimeout(150);
    await page.screenshot({ path: SCREENSHOT });

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const max = (values: number[]) => Math.max(...values);
    const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)] ?? NaN;
    const spread = (values: number[]) => `${ms(median(values))} / ${ms(p90(values))} / ${ms(max(values))}`;
    // Frames where nothing was drawn (the loop's own last frames) are not zoom steps.
    const steps = zoom.work.filter((w) => w > 0.05);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const table: [string, string, string, string][] = [
      ['first batch received → first painted timeline', ms(loading.firstPaint), '< 300 ms', verdict(loading.firstPaint < 300)],
      [
        `first batch received → all ${rows.length.toLocaleString('en-US')} painted`,
        ms(loading.complete),
        '< 1000 ms',
        verdict(loading.complete < 1000),
      ],
      ['zoom step: JS work per frame (median / p90 / max)', spread(steps), '< 16 ms', verdict(p90(steps) < 16)],
      ['zoom step: wheel handler (median / p90 / max)', spread(zoom.handler), '', ''],
      ['zoom step: timeline paint (median / p90 / max)', spread(zoom.paints), '', ''],
      ['zoom: frame interval (median / p90 / max)', spread(zoom.intervals), '≈ 16.7 ms', ''],
      ['last batch received → all painted', ms(loading.lag), '', ''],
      ['paints while loading (max paint)', `${loading.paintsWhileLoading} (${ms(loading.maxPaintWhileLoading)})`, '', ''],
      ['JS heap after loading (after GC)', `${(heap / 1048576).toFixed(1)} MB`, '', ''],
    ];
    console.log(
      `\nTimeline benchmark: ${rows.length.toLocaleString('en-US')} events in batches of ${BATCH.toLocaleString('en-US')}, headless Chromium (software rendering), 1280×720\n`,
    );
    const widths = columnWidths([['measure', 'value', 'goal', ''], ...table]);
    const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(line(['measure', 'value', 'goal', '']));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of table) console.log(line(r));
    console.log(
      `\nthe host frame posted ${Math.ceil(rows.length / BATCH)} batches in ${ms(feed.posted - feed.start)}; the first arrived ${ms(loading.hostWait)} after the host began (not counted above)`,
    );
    console.log(
      `while loading: ${ms(loading.messageWork)} in message handlers (${ms(loading.receiveWork)} of it deserialising), ${ms(loading.frameWork)} in ${loading.frames} frames' callbacks (timeline paints ${ms(loading.paintTotal)})`,
    );
    console.log(`zoom frames' JS work, ms: ${zoom.work.map((w) => w.toFixed(1)).join(' ')}`);
    console.log(`\nafter zooming: ${zoom.listed}; picked a mark: ${picked}`);
    console.log(`screenshot: ${SCREENSHOT}`);
    if (KEPT_EVENTS > 0) {
      // A result over the row limit, kept by the host: a fresh page, as a panel shown again.
      const keptRows = await keptCase(async () => {
        const opened = await openResultsPage(browser, errors, '[]');
        return { ...opened, heapUsed: () => heapUsed(opened.page, opened.results) };
      });
      console.log('');
      console.log(line(['measure', 'value', 'goal', '']));
      console.log(widths.map((w) => '-'.repeat(w)).join('  '));
      for (const r of keptRows) console.log(line(r));
    }
    if (errors.length > 0) {
      console.error(`page errors:\n${errors.join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
  }
}

/** A page whose iframe is the results view (the real bundle, stylesheet and HTML), loaded and 'ready'. */
async function openResultsPage(browser: Browser, errors: string[], rowsJson: string): Promise<{ page: Page; results: Frame }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const nonce = 'benchnonce0123456789';
  const html = resultsHtml({ scriptUri: `${ORIGIN}/results.js`, styleUri: `${ORIGIN}/results.css`, cspSource: ORIGIN, nonce });
  // As in VS Code, the results page is an iframe whose parent relays the host's messages
  // (same origin, as VS Code's webview frames are: an out-of-process frame would add
  // Chromium's cross-process copy, ~7x slower). The rows wait in the parent, so
  // preparing them costs the view nothing.
  const hostPage = `<!DOCTYPE html><html><body style="margin:0;background:#1e1e1e"><iframe id="results" src="${ORIGIN}/" style="border:0;width:100vw;height:100vh;display:block"></iframe></body></html>`;
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const files: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', html],
      '/results.js': ['text/javascript', readFileSync('out/webview/results.js')],
      '/results.css': ['text/css', readFileSync('media/results.css')],
      '/host.html': ['text/html', hostPage],
      '/rows.json': ['application/json', rowsJson],
    };
    const file = files[path];
    return file === undefined ? route.fulfill({ status: 404 }) : route.fulfill({ status: 200, contentType: file[0], body: file[1] });
  });
  // Before the bundle: VS Code's API (posted messages are kept for inspection), the
  // theme's variables, and per-frame timing of requestAnimationFrame callbacks.
  await page.addInitScript(initScript(DARK_THEME));
  await page.goto(`${ORIGIN}/host.html`);
  const results = await resultsFrame(page);
  await results.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return { page, results };
}

/**
 * Runs in the page before the bundle. Plain JavaScript text: tsx would add helpers to a
 * TypeScript function that do not exist in the page.
 */
function initScript(theme: Record<string, string>): string {
  return `(() => {
    // tsx names the functions the bench passes to page.evaluate with a helper, __name.
    window.__name = (f) => f;
    const posted = [];
    window.__posted = posted;
    window.acquireVsCodeApi = () => ({ postMessage: (message) => { posted.push(message); window.__toHost?.(message); }, getState: () => undefined, setState: () => undefined });
    // Main-thread work of each frame: the time spent in its requestAnimationFrame callbacks.
    const frameWork = new Map();
    window.__frameWork = frameWork;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) =>
      raf((timestamp) => {
        const start = performance.now();
        try {
          callback(timestamp);
        } finally {
          frameWork.set(timestamp, (frameWork.get(timestamp) ?? 0) + performance.now() - start);
        }
      });
    // Time in 'message' handlers: receiving (deserialising) and storing the batches.
    const messageWork = { ms: 0, receive: 0, count: 0 };
    window.__messageWork = messageWork;
    const listen = window.addEventListener.bind(window);
    window.addEventListener = (type, listener, options) => {
      if (type !== 'message' || typeof listener !== 'function') return listen(type, listener, options);
      return listen(type, (event) => {
        const start = performance.now();
        try {
          // Reading data deserialises it: counted apart from what the view does with it.
          const data = event.data;
          messageWork.receive += performance.now() - start;
          if (data && data.type === 'rows') {
            messageWork.firstRows ??= start;
            messageWork.lastRows = performance.now();
          }
          listener(event);
        } finally {
          messageWork.ms += performance.now() - start;
          messageWork.count += 1;
        }
      }, options);
    };
    // The <html> element does not exist yet when this runs; the view reads colours at its first paint, later.
    document.addEventListener('DOMContentLoaded', () => {
      for (const [name, value] of Object.entries(${JSON.stringify(theme)})) document.documentElement.style.setProperty(name, value);
      document.body.classList.add('vscode-dark');
    });
  })();`;
}

async function resultsFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 100; i += 1) {
    const frame = page.frames().find((f) => f.url() === `${ORIGIN}/`);
    if (frame !== undefined) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('the results frame did not load');
}

const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

/** The results frame's JS heap after a GC (its own process when site isolation gives it one). */
async function heapUsed(page: Page, results: Frame): Promise<number> {
  const cdp = await page
    .context()
    .newCDPSession(results)
    .catch(() => page.context().newCDPSession(page));
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usage.usedSize;
}

/** Clicks the busiest lane where it has a mark, and hovers it: the detail pane and the tooltip show. */
async function pickMark(page: Page, results: Frame, box: { x: number; y: number; width: number; height: number }): Promise<string> {
  for (let lane = 2; lane < 8; lane += 1) {
    for (let fraction = 0.55; fraction < 0.95; fraction += 0.04) {
      const x = box.x + box.width * fraction;
      const y = box.y + 18 + 34 + 4 + lane * 11 + 5;
      await page.mouse.move(x, y);
      await page.waitForTimeout(30);
      if (await results.locator('[data-testid="timeline-tooltip"]').isVisible()) {
        await page.mouse.down();
        await page.mouse.up();
        await page.mouse.move(x, y + 1);
        await page.waitForTimeout(50);
        return (await results.locator('[data-testid="timeline-tooltip"]').innerText()).replace(/\n/g, ' · ');
      }
    }
  }
  return 'none';
}

/** The trail's events as rows of `SELECT eventTime, eventName, … FROM cloudtrail_logs ORDER BY eventTime`. */
async function eventRows(): Promise<ResultValue[][]> {
  if (!existsSync(join(TRAIL_DIR, MANIFEST_FILE))) {
    console.log(`generating ${EVENTS.toLocaleString('en-US')} events into ${TRAIL_DIR} …`);
    await generateTrail({
      outDir: TRAIL_DIR,
      events: EVENTS,
      seed: 7,
      start: new Date('2026-11-01T00:00:00Z'),
      days: 2,
      attacks: ATTACKS,
      gzipLevel: 1,
    });
  }
  const records: CloudTrailRecord[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json.gz'))
        records.push(...(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { Records: CloudTrailRecord[] }).Records);
    }
  };
  walk(TRAIL_DIR);
  records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  return records.slice(0, EVENTS).map((r) => {
    const record = r as unknown as Record<string, ResultValue | undefined>;
    return COLUMNS.map((column) => record[column] ?? null);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
