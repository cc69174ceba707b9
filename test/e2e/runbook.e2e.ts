// The extension in a real VS Code (1.100, served by code-server) in a real browser: the
// packaged VSIX is installed into a fresh profile, and a person's clicks are replayed on
// test/fixtures/e2e/investigation.md. Steps run in order on one workbench; each leaves a
// screenshot in test-results/e2e/. Run with `npm run test:e2e` (which prepares the
// machine first: scripts/e2e-setup.sh).
//
// TRAILBOOK_E2E_VSIX=path   use this VSIX instead of packaging one (for quick iterations)
// TRAILBOOK_E2E_KEEP=1      keep the temporary profile and workspace (their path is logged)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stratusDir } from '../support/datasets';
import { codeServerBin, installExtension, makeProfile, startCodeServer, writeUserSettings, type Profile, type RunningServer } from './codeServer';
import { runCell, type CliCell } from './expected';
import { codeLensAbove, goToLine, listTerminals, openFromExplorer, openWorkbench, runFromPalette, waitForRun, type Workbench } from './workbench';

const REPO = resolve(__dirname, '../..');
const RESULTS = join(REPO, 'test-results/e2e');
const FIXTURE_NAME = 'investigation.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
const EXTENSION_ID = 'trailbook.trailbook';
const PARAM_VALUE = 'StopLogging';

/** 1-based number of the first fixture line containing `text`. */
function lineOf(text: string): number {
  const index = readFileSync(FIXTURE, 'utf8').split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${FIXTURE} has no line with ${text}: the test and its fixture disagree`);
  return index + 1;
}

function packageVsix(): string {
  if (process.env.TRAILBOOK_E2E_VSIX) return resolve(process.env.TRAILBOOK_E2E_VSIX);
  const result = spawnSync(process.execPath, [join(REPO, 'scripts/package.mjs')], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  if (result.status !== 0) throw new Error(`scripts/package.mjs failed (${result.error?.message ?? `exit ${result.status}`}): see its output above`);
  const vsix = result.stdout.trim().split('\n').pop()!;
  if (!existsSync(vsix)) throw new Error(`scripts/package.mjs named ${vsix}, which does not exist`);
  return vsix;
}

describe('Trailbook in VS Code 1.100 (code-server) and Chromium', { timeout: 900_000 }, () => {
  let root: string;
  let profile: Profile;
  let server: RunningServer | undefined;
  let bench: Workbench | undefined;
  let opened = false;
  const expected: Record<string, CliCell> = {};

  before(async () => {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
    const logs = stratusDir();
    const bin = codeServerBin();
    const vsix = packageVsix();

    // The counts the editor must show, from the CLI on the same logs (out/cli.js was just built).
    expected['trail-calls'] = runCell(REPO, FIXTURE, logs, 'trail-calls');
    expected['by-event'] = runCell(REPO, FIXTURE, logs, 'by-event', { event: PARAM_VALUE });
    const trail = expected['by-event'].rows[0]?.trail;
    assert.ok(expected['by-event'].rowCount === 1 && typeof trail === 'string', `the fixture's response action needs exactly one ${PARAM_VALUE} event with a trail name in ${logs}`);

    root = mkdtempSync(join(tmpdir(), 'trailbook-e2e-'));
    console.log(`e2e: profile and workspace in ${root}`);
    // Also when the run is killed before after() (a runner's timeout): no leftovers in /tmp.
    const scratch = root;
    if (!process.env.TRAILBOOK_E2E_KEEP) process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
    profile = makeProfile(root);
    installExtension(bin, profile, vsix, root, EXTENSION_ID);
    writeUserSettings(profile, {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'trailbook.logsPath': logs,
      'trailbook.source': 'local',
      // Quieter screenshots: no tips, no welcome page, no extension recommendations; and
      // no attempts to reach telemetry or the extension gallery (offline machines).
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
    });
    cpSync(FIXTURE, join(profile.workspace, FIXTURE_NAME));

    server = await startCodeServer(bin, profile, root, join(RESULTS, 'code-server.log'));
    bench = await openWorkbench(server.url, profile.workspace, RESULTS);
  });

  after(async () => {
    // Always: the browser, then code-server by its process group, then the profile.
    await bench?.browser.close().catch(() => undefined);
    await server?.stop();
    if (root && existsSync(join(root, 'data/logs'))) cpSync(join(root, 'data/logs'), join(RESULTS, 'vscode-logs'), { recursive: true });
    if (root && !process.env.TRAILBOOK_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  });

  function workbench(): Workbench {
    if (!bench) throw new Error('the workbench did not start (see the first failure)');
    if (!opened) throw new Error(`${FIXTURE_NAME} never opened (see the first failure)`);
    return bench;
  }

  it('opens the runbook from the explorer', { timeout: 120_000 }, async () => {
    const { page, step } = bench!;
    await step('runbook-open', async () => {
      await openFromExplorer(page, FIXTURE_NAME);
      await page.locator('.editor-instance .view-line', { hasText: 'id=trail-calls' }).waitFor({ timeout: 30_000 });
      // VS Code takes it for Markdown, the language that activates the extension.
      await page.locator('[id="status.editor.mode"]', { hasText: 'Markdown' }).waitFor({ timeout: 30_000 });
    });
    opened = true;
  });

  it('(a) "Run query" shows the cell\'s rows in the results view', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    const want = expected['trail-calls']!;
    await step('a1-run-query-lens', async () => {
      await goToLine(page, lineOf('id=trail-calls'));
      const lens = await codeLensAbove(page, '```cloudtrail id=trail-calls', 'Run query');
      assert.equal((await lens.innerText()).trim(), '▶ Run query');
      await lens.click();
    });
    await step('a2-results', async () => {
      const shown = await waitForRun(page, 'trail-calls');
      assert.deepEqual(shown, { cellId: 'trail-calls', status: want.status, count: want.rowCount }, 'the results view and the CLI disagree');
    });
  });

  it('(b) a parameter without a default is asked for, and the run uses it', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    const want = expected['by-event']!;
    await step('b1-parameter-prompt', async () => {
      await goToLine(page, lineOf('id=by-event'));
      const lens = await codeLensAbove(page, '```cloudtrail id=by-event', 'Run query');
      await lens.click();
      const box = page.locator('.quick-input-widget');
      await box.waitFor({ timeout: 30_000 });
      assert.match(await box.innerText(), /event/, 'the input box should name the parameter');
      await box.locator('input').fill(PARAM_VALUE);
    });
    await page.keyboard.press('Enter');
    await step('b2-results', async () => {
      const shown = await waitForRun(page, 'by-event');
      assert.deepEqual(shown, { cellId: 'by-event', status: want.status, count: want.rowCount }, `the results view and the CLI (--param event=${PARAM_VALUE}) disagree`);
    });
  });

  it('(c) a SQL error is listed in the Problems panel at its line', { timeout: 180_000 }, async () => {
    const { page, step } = workbench();
    const line = lineOf('noSuchColumn');
    await step('c-problems', async () => {
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      if (!(await panel.isVisible({ timeout: 5_000 }).catch(() => false))) {
        await runFromPalette(page, 'Focus on Problems View');
      }
      await panel.waitFor({ timeout: 15_000 });
      // DuckDB loads on the first check, so the diagnostic can take a few seconds.
      const entry = page.locator('.markers-panel .monaco-list-row', { hasText: 'noSuchColumn' }).first();
      await entry.waitFor({ timeout: 90_000 });
      const text = await entry.innerText();
      assert.match(text, new RegExp(`\\[Ln ${line}\\b`), `the problem should be on line ${line}: ${JSON.stringify(text)}`);
    });
  });

  it('(d) "Run in terminal" shows the final command and runs nothing when cancelled', { timeout: 180_000 }, async () => {
    const { page, step } = workbench();
    const trail = String(expected['by-event']!.rows[0]!.trail);
    const dialog = page.locator('.monaco-dialog-box');
    await step('d1-action-dialog', async () => {
      await goToLine(page, lineOf('id=restart-logging'));
      const lens = await codeLensAbove(page, '```sh id=restart-logging', 'Run in terminal');
      await lens.click();
      await dialog.waitFor({ timeout: 30_000 });
      const text = await dialog.innerText();
      assert.match(text, /aws cloudtrail start-logging --name /, `the dialog should show the command: ${JSON.stringify(text)}`);
      assert.ok(text.includes(trail), `the dialog should show the substituted trail ${trail}: ${JSON.stringify(text)}`);
      assert.ok(!text.includes('{{'), `no reference should be left in the command: ${JSON.stringify(text)}`);
    });
    await step('d2-cancelled', async () => {
      await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      // Give a wrongly created terminal time to appear, then look for one: none is shown,
      // and none exists even hidden (the "term " quick pick lists every terminal).
      await page.waitForTimeout(2_000);
      assert.equal(await page.locator('.terminal-wrapper, .xterm').count(), 0, 'a terminal was shown after Cancel');
      assert.deepEqual(await listTerminals(page), [], 'a terminal exists after Cancel');
    });
  });
});
