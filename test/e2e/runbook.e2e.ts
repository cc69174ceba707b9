// The extension in a real VS Code (1.100, served by code-server) in a real browser: the
// packaged VSIX is installed into a fresh profile, and a person's clicks are replayed on
// test/fixtures/e2e/investigation.md. Steps run in order on one workbench; each leaves a
// screenshot in test-results/e2e/. Run with `npm run test:e2e` (which prepares the
// machine first: scripts/e2e-setup.sh).
//
// TRAILBOOK_E2E_VSIX=path   use this VSIX instead of packaging one (for quick iterations)
// TRAILBOOK_E2E_KEEP=1      keep the temporary profile and workspace (their path is logged)
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { stratusDir } from '../support/datasets';
import type { Profile } from './codeServer';
import { insertedBlock, principalLanes, runCell, runLookupCell, type CliCell, type LookupCell } from './expected';
import { E2E_RESULTS, REPO, startEditorSession } from './support/editorSession';
import { windowText } from '../../src/extension/investigationWindow';
import {
  canvasInk,
  codeLensAbove,
  goToLine,
  hidePanel,
  hoverCanvas,
  listTerminals,
  markInLane,
  openFromExplorer,
  resultsFrame,
  runFromPalette,
  saveAndRead,
  waitForDetail,
  waitForRun,
  waitForTimeline,
  type TimelineShown,
  type Workbench,
  waitForMarkdown,
} from './workbench';
import { entryOf, itemAt } from '../support/itemAt';

const RESULTS = E2E_RESULTS;
const FIXTURE_NAME = 'investigation.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
const PARAM_VALUE = 'StopLogging';
/** The cell of step (h), with source=lookup: its eventSource condition is pushed down to AWS. */
const LOOKUP_CELL = 'lookup-cloudtrail-api';
const LOOKUP_REGION = 'us-east-1';
/**
 * Two keys of the local CloudTrail endpoint in two accounts: the CLI's run (the expected
 * rows) and the editor's never share LookupEvents' 2 requests a second per account and region.
 */
const CLI_KEY: Principal = { accessKeyId: 'AKIDE2ECLI', secretAccessKey: 'e2e-cli-secret', account: '111122223333' };
const EDITOR_KEY: Principal = { accessKeyId: 'AKIDE2EEDITOR', secretAccessKey: 'e2e-editor-secret', account: '222233334444' };
const CLI_PROFILE = 'e2e-cli';
const EDITOR_PROFILE = 'responder';

/** 1-based number of the first fixture line containing `text`. */
function lineOf(text: string): number {
  const index = readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${FIXTURE} has no line with ${text}: the test and its fixture disagree`);
  return index + 1;
}

/** 1-based number of the first line of `path` containing `text` (the workspace's copy, once edited). */
function lineIn(path: string, text: string): number {
  const index = readFileSync(path, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${path} has no line with ${text}`);
  return index + 1;
}

/**
 * A throwaway AWS config folder with one static profile for each key, and the environment
 * that points only there (nothing from the real ~/.aws, no instance metadata).
 */
function writeAwsFolder(dir: string): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, `[profile ${CLI_PROFILE}]\nregion = ${LOOKUP_REGION}\n\n[profile ${EDITOR_PROFILE}]\nregion = ${LOOKUP_REGION}\n`);
  writeFileSync(
    credentials,
    [
      [CLI_PROFILE, CLI_KEY],
      [EDITOR_PROFILE, EDITOR_KEY],
    ]
      .map(
        ([name, key]) =>
          `[${name as string}]\naws_access_key_id = ${(key as Principal).accessKeyId}\naws_secret_access_key = ${(key as Principal).secretAccessKey}\n`,
      )
      .join('\n'),
  );
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

describe('Trailbook in VS Code 1.100 (code-server) and Chromium', { timeout: 900_000 }, () => {
  let profile: Profile;
  let close: (() => Promise<void>) | undefined;
  let bench: Workbench | undefined;
  let opened = false;
  /** What (e) saw drawn, and the event (f) clicked on the canvas, for the steps after them. */
  let timeline: TimelineShown | undefined;
  let clicked: Record<string, unknown> | undefined;
  const expected: Record<string, CliCell> = {};
  /** The local CloudTrail endpoint of step (h), and what the CLI got from it for the cell. */
  let endpoint: CloudTrailEndpoint | undefined;
  let expectedLookup: LookupCell | undefined;

  before(async () => {
    const logs = stratusDir();
    // The counts the editor must show, from the CLI on the same logs (out/cli.js was just built).
    expected['trail-calls'] = runCell(REPO, FIXTURE, logs, 'trail-calls');
    expected['by-event'] = runCell(REPO, FIXTURE, logs, 'by-event', { event: PARAM_VALUE });
    const trail = expected['by-event'].rows[0]?.trail;
    assert.ok(
      expected['by-event'].rowCount === 1 && typeof trail === 'string',
      `the fixture's response action needs exactly one ${PARAM_VALUE} event with a trail name in ${logs}`,
    );
    expected['detonation'] = runCell(REPO, FIXTURE, logs, 'detonation');
    assert.ok(
      principalLanes(expected['detonation'].rows).length >= 2,
      `the fixture's timeline cell needs events of at least two principals in ${logs}`,
    );

    const session = await startEditorSession({
      label: 'runbook',
      // Its own screenshots and logs only: other e2e files keep theirs in subfolders.
      resultsDir: RESULTS,
      keepSubfolders: true,
      settings: () => ({
        'security.workspace.trust.enabled': false,
        'trailbook.logsPath': logs,
        'trailbook.source': 'local',
        // The local CloudTrail endpoint of (h): in the user's settings, as only they may
        // choose where requests go. Cells run on local logs until (h) chooses LookupEvents.
        'trailbook.endpoint': endpoint!.url,
      }),
      prepare: async (root, made) => {
        profile = made;
        // LookupEvents for (h): the project's endpoint on loopback, serving the same logs, and
        // an AWS config folder with a profile for each of its keys.
        endpoint = await startCloudTrailEndpoint({ logsPath: logs, principals: [CLI_KEY, EDITOR_KEY] });
        const awsEnv = writeAwsFolder(join(root, 'aws'));
        expectedLookup = await runLookupCell(
          REPO,
          FIXTURE,
          LOOKUP_CELL,
          { profile: CLI_PROFILE, region: LOOKUP_REGION, endpoint: endpoint.url },
          { PATH: process.env.PATH, HOME: join(root, 'aws'), TRAILBOOK_CACHE_DIR: join(root, 'cli-cache'), ...awsEnv },
        );
        assert.equal(
          expectedLookup.status,
          'ok',
          `the CLI could not run ${LOOKUP_CELL} on LookupEvents: ${JSON.stringify(expectedLookup).slice(0, 500)}`,
        );
        assert.ok(expectedLookup.rowCount > 0, `the fixture's LookupEvents cell needs rows in ${logs}`);
        assert.equal(expectedLookup.account, CLI_KEY.account, 'the CLI should name the account of its profile');
        cpSync(FIXTURE, join(made.workspace, FIXTURE_NAME));
        return awsEnv;
      },
    });
    close = session.close;
    bench = session.bench;
  });

  after(async () => {
    await close?.();
    await endpoint?.close();
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
      await waitForMarkdown(page);
    });
    opened = true;
  });

  it('(a) "Run query" shows the cell\'s rows in the results view', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    const want = entryOf(expected, 'trail-calls');
    await step('a1-run-query-lens', async () => {
      await goToLine(page, lineOf('id=trail-calls'));
      const lens = await codeLensAbove(page, '```cloudtrail id=trail-calls', 'Run query');
      assert.equal((await lens.innerText()).trim(), '▶ Run query');
      await lens.click();
    });
    await step('a2-results', async () => {
      const shown = await waitForRun(page, 'trail-calls');
      assert.deepEqual(
        shown,
        { cellId: 'trail-calls', status: want.status, count: want.rowCount },
        'the results view and the CLI disagree',
      );
    });
  });

  it('(b) a parameter without a default is asked for, and the run uses it', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    const want = entryOf(expected, 'by-event');
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
      assert.deepEqual(
        shown,
        { cellId: 'by-event', status: want.status, count: want.rowCount },
        `the results view and the CLI (--param event=${PARAM_VALUE}) disagree`,
      );
    });
  });

  it(
    '(c) a SQL error is listed in the Problems panel on the misspelt name, a column has a hover, the candidate is a quick fix',
    { timeout: 180_000 },
    async () => {
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
        // On the name itself (column 8, after the indent), said in words with DuckDB's candidate.
        assert.match(
          text,
          new RegExp(`\\[Ln ${line}, Col 8\\]`),
          `the problem should be on line ${line}, column 8: ${JSON.stringify(text)}`,
        );
        assert.match(
          text,
          /no column named "noSuchColumn" here; did you mean "\w+"\?/,
          `the problem should say it in words: ${JSON.stringify(text)}`,
        );
      });
      await step('c2-hover-column', async () => {
        // A column's hover: its type and what it holds.
        await page.keyboard.press('Escape');
        const sqlLine = page.locator('.editor-instance .view-line', { hasText: 'SELECT eventTime,' }).first();
        await sqlLine.scrollIntoViewIfNeeded();
        // The token that holds the name, in the editor's monospace font: a character's width
        // is its width over its length.
        const token = sqlLine.locator('span > span', { hasText: 'eventTime' }).first();
        const box = (await token.boundingBox())!;
        const text = await token.innerText();
        const at = text.indexOf('eventTime');
        await page.mouse.move(box.x + (box.width / text.length) * (at + 4), box.y + box.height / 2);
        const hover = page.locator('.monaco-hover', { hasText: 'eventTime' }).first();
        await hover.waitFor({ timeout: 15_000 });
        assert.match(await hover.innerText(), /eventTime\s*·\s*VARCHAR/, 'the hover names the column and its type');
      });
      await step('c3-quick-fix', async () => {
        await page.mouse.move(0, 0);
        await goToLine(page, line);
        await page.keyboard.press('Home');
        await page.keyboard.press('Control+.');
        const fix = page.locator('.action-widget .monaco-list-row, .context-view .action-item', { hasText: /Change to \w+/ }).first();
        await fix.waitFor({ timeout: 15_000 });
        const title = (await fix.innerText()).trim();
        const replacement = itemAt(/Change to (\w+)/.exec(title)!, 1);
        // The preferred fix is the focused entry; the menu's pointer block takes mouse clicks.
        assert.match((await fix.getAttribute('class')) ?? '', /\bfocused\b/, 'the quick fix should be the preferred (focused) action');
        await page.keyboard.press('Enter');
        await page
          .locator('.editor-instance .view-line', { hasText: `       ${replacement}` })
          .first()
          .waitFor({ timeout: 10_000 });
        // The fixed name binds: the problem goes away.
        await page
          .locator('.markers-panel .monaco-list-row', { hasText: 'noSuchColumn' })
          .first()
          .waitFor({ state: 'detached', timeout: 60_000 });
        // Back to the fixture as written, for the steps after this one.
        await page.keyboard.press('Control+Z');
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'noSuchColumn' }).first().waitFor({ timeout: 60_000 });
      });
    },
  );

  it('(d) "Run in terminal" shows the final command and runs nothing when cancelled', { timeout: 180_000 }, async () => {
    const { page, step } = workbench();
    const trail = String(itemAt(entryOf(expected, 'by-event').rows, 0).trail);
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

  it("(e) the timeline draws the cell's events in one lane per principal", { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    const want = entryOf(expected, 'detonation');
    await step('e1-run-detonation', async () => {
      // The Problems panel of (c) would leave the results view too short for its lanes.
      await hidePanel(page);
      await goToLine(page, lineOf('id=detonation'));
      const lens = await codeLensAbove(page, '```cloudtrail id=detonation', 'Run query');
      await lens.click();
      const shown = await waitForRun(page, 'detonation');
      assert.deepEqual(shown, { cellId: 'detonation', status: want.status, count: want.rowCount }, 'the results view and the CLI disagree');
    });
    await step('e2-timeline', async () => {
      // Every row has an eventTime: every row is a mark.
      const shown = await waitForTimeline(page, want.rowCount);
      assert.deepEqual(
        shown.lanes,
        principalLanes(want.rows),
        "the lanes should be the distinct principal ARNs of the CLI's rows, with their event counts",
      );
      assert.equal(
        shown.lanes.reduce((sum, lane) => sum + lane.count, 0),
        want.rowCount,
        'the lanes together should hold every row',
      );
      const frame = await resultsFrame(page);
      const ink = await canvasInk(frame);
      assert.ok(ink.inked > 0, `the canvas is blank (${ink.total} pixels, none drawn)`);
      for (let lane = 0; lane < shown.lanes.length; lane += 1) {
        assert.ok(
          await markInLane(frame, lane, shown.lanes.length),
          `no mark is drawn in lane ${lane} (${itemAt(shown.lanes, lane).label})`,
        );
      }
      timeline = shown;
    });
  });

  it('(f) a mark clicked on the canvas selects its event, and the detail pane shows its JSON', { timeout: 120_000 }, async () => {
    const { page, step } = workbench();
    const want = entryOf(expected, 'detonation');
    if (!timeline) throw new Error('the timeline was not drawn (see (e))');
    // The busiest principal's lane, its latest mark: the event a person would click.
    const principal = itemAt(timeline.lanes, 0).label;
    const ofPrincipal = want.rows.filter((row) => (row.userIdentity as { arn?: string } | null)?.arn === principal);
    const latest = ofPrincipal
      .map((row) => String(row.eventTime))
      .sort()
      .pop()!;
    const frame = await resultsFrame(page);
    const point = await markInLane(frame, 0, timeline.lanes.length);
    if (!point) throw new Error('no mark in lane 0 to click');
    await step('f1-hover-mark', async () => {
      const tip = await hoverCanvas(frame, point);
      // The tooltip names the mark under the pointer: its time (UTC) and its principal.
      assert.equal(
        tip[0],
        `${latest.replace('T', ' ').replace(/Z$/, '')} UTC`,
        `the tooltip should show the lane's latest event: ${JSON.stringify(tip)}`,
      );
      assert.ok(tip.includes(`principal ${principal}`), `the tooltip should name ${principal}: ${JSON.stringify(tip)}`);
    });
    await step('f2-mark-selected', async () => {
      await frame.locator('[data-testid="timeline-canvas"]').click({ position: point });
      // Off the canvas, so the screenshot shows the selected mark rather than the tooltip.
      await page.mouse.move(1, 1);
      const detail = await waitForDetail(frame);
      const row = want.rows.find((r) => r.eventID === detail.eventID);
      assert.ok(row, `the detail pane shows an event the CLI did not return: ${JSON.stringify(detail).slice(0, 300)}`);
      assert.deepEqual(detail, row, "the detail pane should show the event's row exactly as the CLI returns it");
      assert.equal((row.userIdentity as { arn: string }).arn, principal, 'the clicked event should be in the lane clicked');
      assert.equal(row.eventTime, latest, "the clicked event should be the lane's latest (its rightmost mark)");
      // The table selects the same event.
      const selected = frame.locator('table[data-testid="results-table"] tbody tr[data-row].selected');
      try {
        await selected.waitFor({ timeout: 10_000 });
      } catch (error) {
        const rendered = await frame
          .locator('table[data-testid="results-table"] tbody tr[data-row]')
          .evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-row')}${tr.getAttribute('aria-selected') === 'true' ? '*' : ''}`));
        const scroller = await frame
          .locator('.table-scroller')
          .evaluate((el) => ({ scrollTop: el.scrollTop, clientHeight: el.clientHeight, scrollHeight: el.scrollHeight }));
        throw new Error(`the table shows no selected row; rendered rows ${rendered.join(',')}; scroller ${JSON.stringify(scroller)}`, {
          cause: error,
        });
      }
      assert.ok(((await selected.textContent()) ?? '').includes(String(row.eventID)), 'the table should select the clicked event');
      assert.ok(
        await selected.evaluate((tr) => {
          const box = tr.getBoundingClientRect();
          const view = tr.closest('.table-scroller')!.getBoundingClientRect();
          return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
        }),
        'the table should scroll the clicked event into view',
      );
      clicked = row;
    });
  });

  it('(g) "Everything this principal did" adds a cell below and runs it', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    if (!clicked) throw new Error('no event was selected on the timeline (see (f))');
    const principal = (clicked.userIdentity as { arn: string }).arn;
    const saved = join(profile.workspace, FIXTURE_NAME);
    const pivotId = 'pivot-principal';
    let text = '';
    await step('g1-pivot-inserted', async () => {
      const frame = await resultsFrame(page);
      const button = frame.locator('[data-testid="pivot-principal"]');
      assert.ok(await button.isEnabled(), `the principal pivot is disabled: ${await button.getAttribute('title')}`);
      await button.click();
      // The editor shows the new block (revealed), then it is saved to read it whole.
      await page
        .locator('.editor-instance .view-line', { hasText: `id=${pivotId}` })
        .first()
        .waitFor({ timeout: 30_000 });
      text = await saveAndRead(page, saved, `id=${pivotId}`);
      const { heading, block } = insertedBlock(text, pivotId);
      assert.match(heading, /^### \S/, `the pivot should have a heading: ${JSON.stringify(heading)}`);
      // A long ARN is shortened in the heading (its start kept, then …); the SQL has it whole.
      const named =
        heading
          .replace(/\\(.)/g, '$1')
          .split(' ')
          .find((word) => word.startsWith('arn:')) ?? '';
      assert.ok(
        named === principal || (named.endsWith('…') && named.length > 40 && principal.startsWith(named.slice(0, -1))),
        `the heading should name ${principal}: ${JSON.stringify(heading)}`,
      );
      assert.ok(block.includes(`'${principal.replace(/'/g, "''")}'`), `the SQL should hold the principal as a quoted literal:\n${block}`);
      assert.ok(text.indexOf(block) > text.indexOf('```cloudtrail id=detonation'), 'the pivot should be below the cell it came from');
    });
    await step('g2-pivot-results', async () => {
      const want = runCell(REPO, saved, stratusDir(), pivotId);
      assert.equal(want.status, 'ok', `the CLI could not run the inserted cell: ${JSON.stringify(want).slice(0, 300)}`);
      assert.ok(
        want.rows.every((row) => row.actor === principal),
        "the CLI's rows of the pivot should all be the principal's",
      );
      assert.ok(want.rowCount >= itemAt(timeline!.lanes, 0).count, "the pivot should find at least the events of the principal's lane");
      const shown = await waitForRun(page, pivotId);
      assert.deepEqual(
        shown,
        { cellId: pivotId, status: 'ok', count: want.rowCount },
        "the pivot's run in the results view and the CLI disagree",
      );
      const frame = await resultsFrame(page);
      assert.ok(
        (await frame.locator('[data-testid="run-list"] [data-run-id]', { hasText: pivotId }).count()) === 1,
        'the run list should have one run of the pivot',
      );
    });
  });
  it('(h) a LookupEvents cell runs through the AWS SDK and SigV4 against the local CloudTrail endpoint', { timeout: 240_000 }, async () => {
    const { page, step } = workbench();
    if (!endpoint || !expectedLookup) throw new Error('the local CloudTrail endpoint did not start (see before)');
    const cloudtrail = endpoint;
    const want = expectedLookup;
    const saved = join(profile.workspace, FIXTURE_NAME);
    const fence = `\`\`\`cloudtrail id=${LOOKUP_CELL}`;
    const statusItem = page.locator('.statusbar-item[id$="trailbook.where"]');
    const quickPick = page.locator('.quick-input-widget');
    const titled = (title: string) => quickPick.locator('.quick-input-title', { hasText: title });
    const row = (text: string | RegExp) => quickPick.locator('.monaco-list-row', { hasText: text }).first();
    const served = (): number => cloudtrail.stats.requests(EDITOR_KEY.account, LOOKUP_REGION).served.length;

    await step('h1-region-setting', async () => {
      // The region in the workspace's settings, written while the editor is open: the
      // extension re-reads them, and the cell's lens (source=lookup) names the region and
      // the endpoint of the user's settings.
      mkdirSync(join(profile.workspace, '.vscode'), { recursive: true });
      writeFileSync(
        join(profile.workspace, '.vscode/settings.json'),
        `${JSON.stringify({ 'trailbook.regions': [LOOKUP_REGION] }, null, 2)}\n`,
      );
      await goToLine(page, lineIn(saved, `id=${LOOKUP_CELL}`));
      await codeLensAbove(page, fence, `LookupEvents · default · ${LOOKUP_REGION} · ${cloudtrail.url}`);
    });
    await step('h2-where-menu', async () => {
      await statusItem.click();
      await titled('where queries run').waitFor({ timeout: 15_000 });
      await row(/Source/).waitFor({ timeout: 10_000 });
    });
    await step('h3-source-picker', async () => {
      await row(/Source/).click();
      await titled('Where should queries run?').waitFor({ timeout: 15_000 });
      await row('LookupEvents').waitFor({ timeout: 10_000 });
    });
    await step('h4-source-lookup', async () => {
      await row('LookupEvents').click();
      await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
      // The status bar says where queries run now: LookupEvents, no profile chosen yet.
      await statusItem.filter({ hasText: `default · ${LOOKUP_REGION}` }).waitFor({ timeout: 15_000 });
    });
    await step('h5-profile-picker', async () => {
      await statusItem.click();
      await titled('where queries run').waitFor({ timeout: 15_000 });
      await row('AWS profile').click();
      // The profiles of the AWS config folder the extension host was given, and only those.
      await titled('AWS profile for LookupEvents').waitFor({ timeout: 15_000 });
      await row(EDITOR_PROFILE).waitFor({ timeout: 10_000 });
      const labels = (await quickPick.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim()).sort();
      assert.deepEqual(
        labels,
        [CLI_PROFILE, EDITOR_PROFILE].sort(),
        "the profile picker should list the profiles of the test's AWS config folder",
      );
    });
    await step('h6-profile-chosen', async () => {
      await row(EDITOR_PROFILE).click();
      await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
      await statusItem.filter({ hasText: `${EDITOR_PROFILE} · ${LOOKUP_REGION}` }).waitFor({ timeout: 15_000 });
      // Before running, the lens beside "Run query" says where the cell will run.
      const where = await codeLensAbove(page, fence, `LookupEvents · ${EDITOR_PROFILE} · ${LOOKUP_REGION}`);
      const window = readFileSync(saved, 'utf8').match(new RegExp(`id=${LOOKUP_CELL} .*window=(\\S+)`))?.[1];
      assert.ok(window, `no window= on the cell ${LOOKUP_CELL}`);
      // The lens says the cell's window as the editor words every window (windowText).
      assert.equal(
        (await where.innerText()).trim(),
        `LookupEvents · ${EDITOR_PROFILE} · ${LOOKUP_REGION} · ${cloudtrail.url} · ${windowText(window)}`,
      );
    });
    const before = served();
    await step('h7-lookup-results', async () => {
      const lens = await codeLensAbove(page, fence, 'Run query');
      await lens.click();
      const shown = await waitForRun(page, LOOKUP_CELL);
      assert.deepEqual(
        shown,
        { cellId: LOOKUP_CELL, status: want.status, count: want.rowCount },
        'the results view and the CLI (--source lookup) disagree',
      );
      const frame = await resultsFrame(page);
      const notes = (await frame.locator('[data-testid="notes"] li').allTextContents()).map((t) => t.trim());
      assert.ok(
        notes.some((note) => note.includes(EDITOR_KEY.account)),
        `the notes should name the account of ${EDITOR_PROFILE} (${EDITOR_KEY.account}): ${JSON.stringify(notes)}`,
      );
      assert.ok(!notes.some((note) => note.includes(CLI_KEY.account)), `the notes name the CLI's account: ${JSON.stringify(notes)}`);
      assert.ok(
        notes.some((note) => /\bEventSource = "cloudtrail\.amazonaws\.com"/.test(note)),
        `the notes should say the eventSource condition was pushed down to AWS: ${JSON.stringify(notes)}`,
      );
      // The run really went through the endpoint, signed with the profile's key.
      assert.ok(served() > before, `the endpoint served no LookupEvents request for ${EDITOR_KEY.account} in ${LOOKUP_REGION}`);
    });
  });
});
