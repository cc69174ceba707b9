// Drives the VS Code workbench in Debian's Chromium with playwright-core (which never
// downloads a browser). Every step leaves a screenshot in test-results/e2e/, and a failed
// step's error names the screenshot that shows the failure.
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { timelineLayout } from '../../src/webview/timeline/timelineLayout';

export const CHROMIUM = process.env.TRAILBOOK_E2E_CHROMIUM || '/usr/bin/chromium';

export interface Workbench {
  readonly browser: Browser;
  readonly page: Page;
  /** Runs one step, screenshots it (pass or fail), and names the screenshot on failure. */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
}

export async function openWorkbench(url: string, workspace: string, shotsDir: string): Promise<Workbench> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run bash scripts/e2e-setup.sh (it installs Debian's chromium)`);
  mkdirSync(shotsDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // No sandbox as root in a container; nothing that phones home or updates itself.
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
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const consoleLog = join(shotsDir, 'browser-console.log');
    writeFileSync(consoleLog, '');
    page.on('console', (message) => appendFileSync(consoleLog, `[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => appendFileSync(consoleLog, `[pageerror] ${error.message}\n`));

    let counter = 0;
    const shot = async (name: string): Promise<string> => {
      counter += 1;
      const path = join(shotsDir, `${String(counter).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path }).catch(() => undefined);
      return path;
    };
    const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
      let result: T;
      try {
        result = await body();
      } catch (error) {
        const path = await shot(`${name}-FAILED`);
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`step "${name}" failed (screenshot: ${path}): ${message}`, { cause: error });
      }
      await shot(name);
      return result;
    };

    await step('workbench', async () => {
      await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The explorer lists the workspace once the workbench has restored its views.
      await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
    });
    return { browser, page, step };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Opens a file by clicking its row in the explorer, and waits for its editor tab. */
export async function openFromExplorer(page: Page, fileName: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName });
  await row.first().waitFor({ timeout: 60_000 });
  await row.first().click();
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: 30_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
}

/** Waits until VS Code takes the active editor for Markdown, the language that activates the extension. */
export async function waitForMarkdown(page: Page): Promise<void> {
  await page.locator('[id="status.editor.mode"]', { hasText: 'Markdown' }).waitFor({ timeout: 30_000 });
}

/** Scrolls the active editor so a 1-based line is in view (Go to Line, Ctrl+G). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The CodeLens with this title that sits on the line holding `lineText` (a CodeLens is
 * drawn in a zone just above its line). Waits until the extension has provided it, and
 * until the lenses have stopped being redrawn: VS Code re-renders every lens when the
 * extension signals a change (a run ended), and a click on a lens that is being replaced
 * runs a command VS Code has already dropped ("Actual command not found").
 */
export async function codeLensAbove(page: Page, lineText: string, title: string, timeoutMs = 60_000): Promise<Locator> {
  const line = page.locator('.editor-instance .monaco-editor .view-line', { hasText: lineText }).first();
  const lenses = page.locator('.codelens-decoration a', { hasText: title });
  const deadline = Date.now() + timeoutMs;
  let redrawn = 0;
  for (;;) {
    const found = await lensAboveLine(line, lenses);
    if (found) {
      // Mark this very element; if it is still there a second later, nothing was redrawn.
      await found.evaluate((element) => element.setAttribute('data-e2e-seen', 'yes'), undefined, { timeout: 1_000 }).catch(() => undefined);
      await page.waitForTimeout(1_000);
      const still = await lensAboveLine(line, lenses);
      if (still && (await still.getAttribute('data-e2e-seen', { timeout: 1_000 }).catch(() => null)) === 'yes') return still;
      redrawn += 1;
    }
    if (Date.now() > deadline) {
      const titles = await page
        .locator('.codelens-decoration')
        .allInnerTexts()
        .catch(() => []);
      const why = found ? `it was redrawn ${redrawn} times in a row` : `lenses shown: ${JSON.stringify(titles)}`;
      throw new Error(`no settled "${title}" CodeLens above the line "${lineText}" within ${timeoutMs / 1000} s (${why})`);
    }
    await page.waitForTimeout(250);
  }
}

async function lensAboveLine(line: Locator, lenses: Locator): Promise<Locator | undefined> {
  // Short waits and one read of every lens at once: VS Code replaces lenses while they are
  // provided, and a locator for the n-th of a list that just shrank would wait for its
  // whole timeout (60 s) for an element that never comes.
  const lineBox = await line.boundingBox({ timeout: 1_000 }).catch(() => null);
  if (!lineBox) return undefined;
  const boxes = await lenses
    .evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect()).map((r) => ({ y: r.y, height: r.height })))
    .catch(() => []);
  let best: { index: number; bottom: number } | undefined;
  boxes.forEach((box, index) => {
    const bottom = box.y + box.height;
    if (inLensZone(box, lineBox) && (!best || bottom > best.bottom)) best = { index, bottom };
  });
  return best && lenses.nth(best.index);
}

/** Whether a drawn lens is in the zone just above the line: it ends where the line starts (allowing for rounding). */
function inLensZone(lens: { y: number; height: number }, line: { y: number; height: number }): boolean {
  const bottom = lens.y + lens.height;
  return lens.height > 0 && bottom <= line.y + 2 && line.y - bottom < line.height;
}

/** The titles of every CodeLens drawn on the line holding `lineText` (in the zone just above it), left to right. */
async function lensTitlesAbove(page: Page, lineText: string): Promise<string[]> {
  const line = page.locator('.editor-instance .monaco-editor .view-line', { hasText: lineText }).first();
  const lineBox = await line.boundingBox({ timeout: 1_000 }).catch(() => null);
  if (!lineBox) return [];
  const drawn = await page
    .locator('.codelens-decoration a')
    .evaluateAll((elements) =>
      elements.map((e) => {
        const box = e.getBoundingClientRect();
        return { y: box.y, height: box.height, x: box.x, title: (e.textContent ?? '').trim() };
      }),
    )
    .catch(() => []);
  return drawn
    .filter((lens) => inLensZone(lens, lineBox))
    .sort((a, b) => a.x - b.x)
    .map((lens) => lens.title);
}

/**
 * Waits until the block's lenses are back to "▶ Run query" (and where it runs) once its
 * run has ended, with no progress or "■ Cancel" left over; fails with the titles last drawn.
 */
export async function waitForRunLens(page: Page, lineText: string, timeoutMs = 10_000): Promise<string[]> {
  let titles: string[] = [];
  await waitUntil(
    page,
    `the lenses above "${lineText}" read "▶ Run query" again, without "■ Cancel"`,
    async () => {
      titles = await lensTitlesAbove(page, lineText);
      return titles.some((title) => title.includes('Run query')) && !titles.some((title) => /Cancel|since \d/.test(title));
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; lenses drawn there: ${JSON.stringify(titles)}`);
  });
  return titles;
}

/** The terminals that exist, as the "term " quick pick lists them (it never creates one). */
export async function listTerminals(page: Page): Promise<string[]> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('term ');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  // The list always offers to create one: wait for that, then read the rest.
  await rows.filter({ hasText: 'Create New Terminal' }).first().waitFor({ timeout: 10_000 });
  const texts = (await rows.allInnerTexts()).map((t) => t.trim());
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  return texts.filter((t) => !t.startsWith('Create New Terminal'));
}

/**
 * The results webview's document: webviews are nested iframes, so search every frame
 * for the one whose document has the view's root (#app).
 */
export async function resultsFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const found = await frame
        .locator('#app')
        .count()
        .catch(() => 0);
      if (found > 0) return frame;
    }
    if (Date.now() > deadline)
      throw new Error(`no results webview (a frame with #app) within ${timeoutMs / 1000} s (${page.frames().length} frames)`);
    await page.waitForTimeout(250);
  }
}

export interface RunShown {
  readonly cellId: string;
  readonly status: string;
  readonly count: number;
}

/**
 * Waits until the results view shows a finished run of `cellId` (status other than
 * running), and returns what its header says.
 */
export async function waitForRun(page: Page, cellId: string, timeoutMs = 120_000): Promise<RunShown> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing';
  for (;;) {
    // The webview may be recreated (hidden and shown again): find it anew each time.
    const frame = await resultsFrame(page, Math.max(1_000, deadline - Date.now()));
    // Locators rather than evaluate(): tsx compiles a function given to evaluate() with
    // helpers (__name) that do not exist in the page, so named inner functions break.
    const shown = await readRunHeader(frame).catch(() => undefined);
    if (shown) {
      last = JSON.stringify(shown);
      if (shown.cellId === cellId && shown.status !== '' && shown.status !== 'running') {
        return { cellId: shown.cellId, status: shown.status, count: Number(shown.count) };
      }
    }
    if (Date.now() > deadline)
      throw new Error(`the results view did not show a finished run of ${cellId} within ${timeoutMs / 1000} s; last seen: ${last}`);
    await page.waitForTimeout(250);
  }
}

async function readRunHeader(frame: Frame): Promise<{ cellId: string; status: string; count: string | null; error: string }> {
  const status = frame.locator('[data-testid="run-status"]');
  if ((await status.count()) === 0) return { cellId: '', status: '', count: null, error: '' };
  const error = frame.locator('[data-testid="error"]');
  return {
    cellId: ((await frame.locator('[data-testid="cell-id"]').first().textContent({ timeout: 1_000 })) ?? '').trim(),
    status: (await status.first().getAttribute('data-status', { timeout: 1_000 })) ?? '',
    count: await frame.locator('[data-testid="row-count"]').first().getAttribute('data-count', { timeout: 1_000 }),
    error: (await error.count()) > 0 ? ((await error.first().textContent({ timeout: 1_000 })) ?? '') : '',
  };
}

/**
 * Waits until the results view's run status reads `status`, looking at every frame the page
 * draws: for a step that must act the moment a run ends, when polling every 200 ms is too late.
 */
export async function whenRunStatus(frame: Frame, status: string, timeoutMs = 240_000): Promise<void> {
  await frame.waitForFunction(
    (wanted) =>
      (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(name: string): string | null } | null } }).document
        .querySelector('[data-testid="run-status"]')
        ?.getAttribute('data-status') === wanted,
    status,
    { polling: 'raf', timeout: timeoutMs },
  );
}

/** Runs a command by its title from the command palette (F1). */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // Focus moving into a webview just clicked (its tab) can close the palette as it opens:
  // then it is opened again, up to three times.
  for (let attempt = 1; ; attempt += 1) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.waitForTimeout(500);
    }
  }
  const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await item.waitFor({ timeout: 10_000 });
  await item.click();
}

// ---------------------------------------------------------------- the timeline

export interface TimelineShown {
  /** The canvas's data-placed: events with a time on the timeline. */
  readonly placed: number;
  /** The lanes top to bottom, as the lane-labels list names them, with their counts. */
  readonly lanes: readonly { readonly label: string; readonly count: number }[];
}

const CANVAS = '[data-testid="timeline-canvas"]';

/** The parts of an HTMLCanvasElement read here (the test's TypeScript has no DOM library). */
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  readonly clientWidth: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, width: number, height: number): { readonly data: ArrayLike<number> } } | null;
}

/** Waits until the timeline has painted `placed` events in lanes, and returns what it shows. */
export async function waitForTimeline(page: Page, placed: number, timeoutMs = 30_000): Promise<TimelineShown> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing';
  for (;;) {
    const frame = await resultsFrame(page, Math.max(1_000, deadline - Date.now()));
    const shown = await readTimeline(frame).catch(() => undefined);
    if (shown) {
      last = JSON.stringify(shown);
      if (shown.placed === placed && shown.lanes.length > 0) return shown;
    }
    if (Date.now() > deadline)
      throw new Error(`the timeline did not show ${placed} events in lanes within ${timeoutMs / 1000} s; last seen: ${last}`);
    await page.waitForTimeout(250);
  }
}

async function readTimeline(frame: Frame): Promise<TimelineShown | undefined> {
  const canvas = frame.locator(CANVAS);
  if ((await canvas.count()) === 0 || !(await canvas.isVisible())) return undefined;
  const placed = await canvas.getAttribute('data-placed', { timeout: 1_000 });
  const items = frame.locator('[data-testid="lane-labels"] li');
  const lanes: { label: string; count: number }[] = [];
  for (let i = 0, n = await items.count(); i < n; i += 1) {
    const item = items.nth(i);
    lanes.push({
      label: ((await item.textContent({ timeout: 1_000 })) ?? '').trim(),
      count: Number(await item.getAttribute('data-count', { timeout: 1_000 })),
    });
  }
  return { placed: placed === null ? -1 : Number(placed), lanes };
}

/**
 * How much of the canvas is drawn: pixels that are mostly opaque (the canvas is cleared
 * to transparent, lane stripes and grid lines are faint), so "drawn" means marks, bars
 * and text were really painted, not just that the element exists.
 */
export async function canvasInk(frame: Frame): Promise<{ inked: number; total: number }> {
  return frame.locator(CANVAS).evaluate((element) => {
    const canvas = element as unknown as CanvasLike;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    // This runs in the page, where the test's helpers (itemAt) are not defined.
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) >= 128) inked += 1;
    return { inked, total: canvas.width * canvas.height };
  });
}

/**
 * Where the latest mark of lane `lane` is drawn, in CSS pixels inside the canvas: the
 * rightmost mostly opaque pixel on the lane's middle line (what a person would aim at).
 * The lane's band comes from the timeline's own layout (src/webview/timeline/timelineLayout.ts).
 */
export async function markInLane(frame: Frame, lane: number, laneCount: number): Promise<{ x: number; y: number } | undefined> {
  const canvas = frame.locator(CANVAS);
  const box = await canvas.evaluate((element) => ({ width: element.clientWidth, height: element.clientHeight }));
  const layout = timelineLayout(box.width, box.height, laneCount, 0);
  const y = layout.lanes.top + lane * layout.laneHeight + layout.laneHeight / 2;
  const x = await canvas.evaluate((element, middle) => {
    const canvas = element as unknown as CanvasLike;
    const scale = canvas.width / canvas.clientWidth;
    const data = canvas.getContext('2d')!.getImageData(0, Math.floor(middle * scale), canvas.width, 1).data;
    for (let px = canvas.width - 1; px >= 0; px -= 1) if ((data[px * 4 + 3] ?? 0) >= 128) return (px + 0.5) / scale;
    return undefined;
  }, y);
  return x === undefined ? undefined : { x, y };
}

/** The tooltip's lines once the pointer rests on `point` of the canvas (a mark is under it). */
export async function hoverCanvas(frame: Frame, point: { x: number; y: number }): Promise<string[]> {
  await frame.locator(CANVAS).hover({ position: point });
  const tooltip = frame.locator('[data-testid="timeline-tooltip"]');
  await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
  return (await tooltip.locator(':scope > div').allTextContents()).map((line) => line.trim());
}

/** The selected row as the detail pane shows it: its tree's text is the row's JSON exactly. */
export async function waitForDetail(frame: Frame, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const json = frame.locator('[data-testid="event-json"]');
  await json.waitFor({ state: 'visible', timeout: timeoutMs });
  return JSON.parse((await json.textContent({ timeout: timeoutMs })) ?? '') as Record<string, unknown>;
}

/**
 * Saves the file's editor (its tab clicked, which focuses it without moving the cursor or
 * touching a CodeLens, then Ctrl+S) and waits until the file on disk holds `text`.
 */
export async function saveAndRead(page: Page, path: string, text: string, timeoutMs = 30_000): Promise<string> {
  await page
    .locator('.tabs-container .tab', { hasText: basename(path) })
    .first()
    .click();
  await page.keyboard.press('Control+S');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const saved = readFileSync(path, 'utf8');
    if (saved.includes(text)) return saved;
    if (Date.now() > deadline) throw new Error(`${path} does not contain ${JSON.stringify(text)} ${timeoutMs / 1000} s after saving`);
    await page.waitForTimeout(250);
  }
}

/** Hides the bottom panel (Problems, Terminal, …) if it is shown: the editors get its height. */
export async function hidePanel(page: Page): Promise<void> {
  const panel = page.locator('.part.panel');
  if (!(await panel.isVisible().catch(() => false))) return;
  await runFromPalette(page, 'View: Hide Panel');
  await panel.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Polls `check` every `everyMs` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(page: Page, what: string, check: () => Promise<boolean>, timeoutMs = 20_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(everyMs);
  }
}

/**
 * The texts drawn after the editor's lines: a decoration's `after` text (a run's summary,
 * src/extension/summaries.ts) is CSS content, not text of the DOM.
 */
export async function textsAfterLines(page: Page): Promise<string[]> {
  return page
    .locator('.editor-instance .monaco-editor .view-line span')
    .evaluateAll((spans) =>
      spans
        .map(
          (span) =>
            (globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } }).getComputedStyle(
              span,
              '::after',
            ).content,
        )
        .filter((content) => content !== '' && content !== 'none' && content !== 'normal'),
    );
}
