// An investigation as a new on-call engineer starts one, in a real VS Code (1.100,
// code-server) and Chromium (issue 14, items 1, 2, 7, 8 and 10): the sample opens as a copy
// in the workspace and its first Run query shows the attacks; the investigation window, set
// around the StopLogging event, is on the lens, in the status bar and in the result, and the
// rows are the CLI's for that window; a bundled runbook opens read-only and is copied to the
// workspace; completion and Ctrl+Enter work in a block (hovers: test/unit/sql-assist); and a
// response action's confirmation names the action, lists one command per value and warns
// that the profile's account and region are not the finding's. The expected rows come from
// the CLI on the same generated trail; the profile's account from the project's local STS
// endpoint, through the real SDK and SigV4.
// Screenshots: test-results/e2e/investigation/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCloudTrailEndpoint, type CloudTrailEndpoint, type Principal } from '../../src/testbed/cloudtrailEndpoint';
import { DEMO_WINDOW, ensureDemoTrail } from '../../src/testbed/loggen/demoTrail';
import { makeProfile, type Profile } from './codeServer';
import { E2E_RESULTS, REPO, scratchFolder, startEditorSession, type EditorSession } from './support/editorSession';
import { codeLensAbove, goToLine, listTerminals, resultsFrame, runFromPalette, waitForRun, type Workbench } from './workbench';

const RESULTS = join(E2E_RESULTS, 'investigation');
const SAMPLE = 'cloudtrail-tampering.md';
const DETECT = 'trail-changes';
/** The responder's profile: an account and a region that are not the sample trail's. */
const RESPONDER: Principal = { accessKeyId: 'AKIDE2ERESPONDER', secretAccessKey: 'e2e-responder-secret', account: '999900001111' };
const RESPONDER_PROFILE = 'responder';
const RESPONDER_REGION = 'ap-southeast-2';
const BUNDLED_TITLE = 'Root user activity';

interface CliCell {
  readonly status: string;
  readonly rowCount: number;
  readonly rows: readonly Record<string, unknown>[];
}

/** The bundled sample's cell on the generated trail, by the CLI, with an explicit window. */
function cliCell(logs: string, window: string, cacheDir: string): CliCell {
  const args = [
    join(REPO, 'out/cli.js'),
    'run',
    join(REPO, 'runbooks', SAMPLE),
    '--logs',
    logs,
    '--window',
    window,
    '--cell',
    DETECT,
    '--format',
    'json',
    '--quiet',
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, TRAILBOOK_CACHE_DIR: cacheDir },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(
      `trailbook run ${SAMPLE} --cell ${DETECT} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`,
    );
  const cell = (JSON.parse(result.stdout) as { cells: (CliCell & { id: string })[] }).cells.find((c) => c.id === DETECT);
  if (!cell) throw new Error(`the CLI reported no cell ${DETECT}`);
  return cell;
}

function writeAwsFolder(dir: string): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, `[profile ${RESPONDER_PROFILE}]\nregion = ${RESPONDER_REGION}\n`);
  writeFileSync(
    credentials,
    `[${RESPONDER_PROFILE}]\naws_access_key_id = ${RESPONDER.accessKeyId}\naws_secret_access_key = ${RESPONDER.secretAccessKey}\n`,
  );
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

/** `2026-11-01T00:00:00Z/2026-11-05T00:00:00Z` as lenses say it: `2026-11-01 00:00 → 2026-11-05 00:00 UTC`. */
function shownWindow(spec: string): string {
  const short = (text: string): string => new Date(text).toISOString().slice(0, 16).replace('T', ' ');
  const [start, end] = spec.split('/');
  return `${short(start!)} → ${short(end!)} UTC`;
}

describe(
  'An investigation in VS Code 1.100 (code-server) and Chromium: window, bundled runbooks, response actions',
  { timeout: 900_000 },
  () => {
    let profile: Profile;
    let session: EditorSession | undefined;
    let bench: Workbench | undefined;
    let endpoint: CloudTrailEndpoint | undefined;
    let sampleOpened = false;
    let trail: string;
    let onSample: CliCell;
    /** The StopLogging event's time, and the window of 1h either side of it. */
    let stopTime: string;
    let aroundStop: string;
    let onAround: CliCell;

    before(async () => {
      const root = scratchFolder('investigation');

      // The same generated trail as the editor's sample (seeded), for the CLI's expected rows
      // and for the local endpoint whose STS tells the responder's account.
      trail = await ensureDemoTrail(join(root, 'cli-cache'));
      onSample = cliCell(trail, DEMO_WINDOW, join(root, 'cli-cache'));
      const names = onSample.rows.map((r) => r.eventName);
      assert.ok(
        names.includes('StopLogging') && names.includes('DeleteTrail'),
        `the sample trail should hold a StopLogging and a DeleteTrail: ${JSON.stringify(names)}`,
      );
      stopTime = String(onSample.rows.find((r) => r.eventName === 'StopLogging')!.eventTime);
      const at = new Date(stopTime).getTime();
      aroundStop = `${new Date(at - 3_600_000).toISOString()}/${new Date(at + 3_600_000).toISOString()}`;
      onAround = cliCell(trail, aroundStop, join(root, 'cli-cache'));
      assert.ok(
        onAround.rowCount >= 1 && onAround.rowCount <= onSample.rowCount,
        `an hour either side of StopLogging: ${onAround.rowCount} rows`,
      );

      endpoint = await startCloudTrailEndpoint({ logsPath: trail, principals: [RESPONDER] });
      const cloudtrail = endpoint;
      profile = makeProfile(root);
      session = await startEditorSession(
        {
          label: 'investigation',
          resultsDir: RESULTS,
          settings: {
            'security.workspace.trust.enabled': false,
            'trailbook.profile': RESPONDER_PROFILE,
            'trailbook.endpoint': cloudtrail.url,
          },
          prepare: (dir) => writeAwsFolder(join(dir, 'aws')),
        },
        { root, profile },
      );
      bench = session.bench;
    });

    after(async () => {
      await session?.close();
      await endpoint?.close();
    });

    function workbench(): Workbench {
      if (!bench) throw new Error('the workbench did not start (see the first failure)');
      return bench;
    }
    const sampleCopy = (): string => join(profile.workspace, 'runbooks', SAMPLE);
    const fence = `\`\`\`cloudtrail id=${DETECT}`;

    it(
      '(1) the sample opens as a copy in the workspace, and its first Run query shows StopLogging and DeleteTrail',
      { timeout: 300_000 },
      async () => {
        const { page, step } = workbench();
        await step('1a-open-sample', async () => {
          // The workbench learns the extension's commands once the remote extension host has
          // scanned it: its Runbooks view shows then.
          await page
            .locator('.pane-header', { hasText: /runbooks/i })
            .first()
            .waitFor({ timeout: 60_000 });
          await runFromPalette(page, 'Open the sample investigation');
          await page.locator('.tabs-container .tab.active', { hasText: SAMPLE }).waitFor({ timeout: 240_000 });
          assert.ok(existsSync(sampleCopy()), `the sample runbook should be copied to ${sampleCopy()}`);
          // The tab's path is the workspace's copy, not the extension's install folder.
          const title = (await page.locator('.tabs-container .tab.active').getAttribute('title')) ?? '';
          assert.ok(!title.includes('extensions'), `the sample should not open from the install folder: ${title}`);
        });
        sampleOpened = true;
        await step('1b-lens-window', async () => {
          await goToLine(
            page,
            readFileSync(sampleCopy(), 'utf8')
              .split('\n')
              .findIndex((line) => line.startsWith(fence)) + 1,
          );
          const where = await codeLensAbove(page, fence, 'investigation window');
          assert.equal(
            (await where.innerText()).trim().endsWith(`investigation window ${shownWindow(DEMO_WINDOW)}`),
            true,
            `the lens should say the sample's window: ${await where.innerText()}`,
          );
        });
        await step('1c-first-run-shows-attacks', async () => {
          const lens = await codeLensAbove(page, fence, 'Run query');
          await lens.click();
          const shown = await waitForRun(page, DETECT, 180_000);
          assert.deepEqual(
            shown,
            { cellId: DETECT, status: onSample.status, count: onSample.rowCount },
            "the first run of the sample and the CLI (with the sample's window) disagree",
          );
          assert.equal(shown.status, 'finding');
          const text = (await (await resultsFrame(page)).locator('body').textContent()) ?? '';
          assert.ok(text.includes('StopLogging') && text.includes('DeleteTrail'), 'the results should show StopLogging and DeleteTrail');
        });
      },
    );

    it(
      "(2) an investigation window around the StopLogging event: on the lens, the status bar and the result, with the CLI's rows",
      { timeout: 240_000 },
      async () => {
        const { page, step } = workbench();
        if (!sampleOpened) throw new Error('the sample never opened (see step 1)');
        const quickPick = page.locator('.quick-input-widget');
        const statusItem = page.locator('.statusbar-item[id$="trailbook.where"]');
        await step('2a-status-bar-window', async () => {
          await statusItem.filter({ hasText: `investigation window ${shownWindow(DEMO_WINDOW)}` }).waitFor({ timeout: 15_000 });
        });
        await step('2b-window-picker', async () => {
          await runFromPalette(page, 'Set the investigation window');
          await quickPick.locator('.quick-input-title', { hasText: 'Investigation window' }).waitFor({ timeout: 15_000 });
          await quickPick.locator('.monaco-list-row', { hasText: 'Around an event' }).first().waitFor({ timeout: 10_000 });
        });
        await step('2c-around-event', async () => {
          await quickPick.locator('.monaco-list-row', { hasText: 'Around an event' }).first().click();
          // The events of the result just shown, by time and name.
          const row = quickPick.locator('.monaco-list-row', { hasText: 'StopLogging' }).first();
          await row.waitFor({ timeout: 15_000 });
          assert.ok((await row.innerText()).includes(stopTime), `the StopLogging row should show its time ${stopTime}`);
          await row.click();
          for (const span of ['1h', '1h']) {
            const input = quickPick.locator('input');
            await quickPick.locator('.quick-input-title', { hasText: /how long (before|after)/ }).waitFor({ timeout: 10_000 });
            await input.fill(span);
            await page.keyboard.press('Enter');
            await page.waitForTimeout(300);
          }
          await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
          await statusItem.filter({ hasText: `investigation window ${shownWindow(aroundStop)}` }).waitFor({ timeout: 15_000 });
        });
        await step('2d-lens-and-result', async () => {
          const where = await codeLensAbove(page, fence, `investigation window ${shownWindow(aroundStop)}`);
          assert.ok((await where.innerText()).includes('local logs'));
          const lens = await codeLensAbove(page, fence, 'Run query');
          await lens.click();
          // The previous run's result stays until this one's arrives: wait for its caption.
          const caption = `investigation window ${shownWindow(aroundStop)}`;
          const deadline = Date.now() + 120_000;
          let shown = await waitForRun(page, DETECT);
          let text = '';
          for (;;) {
            text = (await (await resultsFrame(page)).locator('body').textContent()) ?? '';
            if (text.includes(caption)) break;
            if (Date.now() > deadline) throw new Error(`the result never said "${caption}"`);
            await page.waitForTimeout(500);
          }
          shown = await waitForRun(page, DETECT);
          while (shown.count !== onAround.rowCount && Date.now() < deadline) {
            await page.waitForTimeout(500);
            shown = await waitForRun(page, DETECT);
          }
          assert.deepEqual(
            shown,
            { cellId: DETECT, status: onAround.status, count: onAround.rowCount },
            `the editor and the CLI (--window ${aroundStop}) disagree`,
          );
        });
      },
    );

    it(
      '(7) a bundled runbook opens read-only, and "Copy to workspace" makes the copy that can be edited',
      { timeout: 180_000 },
      async () => {
        const { page, step } = workbench();
        const quickPick = page.locator('.quick-input-widget');
        await step('7a-runbooks-view-by-tactic', async () => {
          const header = page.locator('.pane-header', { hasText: /runbooks/i }).first();
          await header.waitFor({ timeout: 30_000 });
          if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
          const pane = page.locator('.pane', { has: header });
          // Tactics first, by name, in ATT&CK's order.
          await pane.locator('.monaco-list-row', { hasText: 'Initial Access' }).first().waitFor({ timeout: 30_000 });
          // The view's search: the sample's copy is listed once, under its tactic, not by tag.
          await runFromPalette(page, 'Filter runbooks');
          await quickPick.locator('input').fill('tampering');
          await page.keyboard.press('Enter');
          await pane.locator('.monaco-list-row', { hasText: 'Defense Evasion' }).first().waitFor({ timeout: 15_000 });
          const rows = (await pane.locator('.monaco-list-row').allInnerTexts()).map((t) => t.trim());
          assert.ok(!rows.some((r) => /^T\d{4}/.test(r)), `no group is a bare ATT&CK id: ${JSON.stringify(rows)}`);
          assert.equal(
            rows.filter((r) => r.startsWith('CloudTrail and log tampering')).length,
            1,
            `the sample is listed once: ${JSON.stringify(rows)}`,
          );
          assert.ok(
            rows.some((r) => r.includes('runbooks/cloudtrail-tampering.md')),
            `the listed one is the workspace's copy: ${JSON.stringify(rows)}`,
          );
          await runFromPalette(page, 'Filter runbooks');
          await quickPick.locator('input').fill('');
          await page.keyboard.press('Enter');
        });
        await step('7b-open-bundled', async () => {
          await runFromPalette(page, 'Find a runbook');
          await quickPick.locator('.quick-input-title', { hasText: 'Open a runbook' }).waitFor({ timeout: 15_000 });
          const offered = (await quickPick.locator('.monaco-list-row').allInnerTexts()).filter((t) =>
            t.startsWith('CloudTrail and log tampering'),
          );
          assert.equal(offered.length, 1, `the sample is offered once (the workspace's copy): ${JSON.stringify(offered)}`);
          await quickPick.locator('input').fill(BUNDLED_TITLE);
          const row = quickPick.locator('.monaco-list-row', { hasText: BUNDLED_TITLE }).first();
          await row.waitFor({ timeout: 15_000 });
          await row.click();
          await page.locator('.tabs-container .tab.active', { hasText: 'root-account-activity.md' }).waitFor({ timeout: 30_000 });
          await codeLensAbove(page, '---', 'copy to workspace to edit', 30_000);
        });
        await step('7c-typing-is-refused', async () => {
          await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
          await page.keyboard.type('x');
          const message = page.locator('.monaco-editor-overlaymessage, .monaco-hover', { hasText: /read-only/i }).first();
          await message.waitFor({ timeout: 10_000 });
          assert.match((await message.textContent()) ?? '', /bundled runbook is read-only/i);
        });
        await step('7d-copied', async () => {
          await page.keyboard.press('Escape');
          const lens = await codeLensAbove(page, '---', 'copy to workspace to edit', 30_000);
          await lens.click();
          const copy = join(profile.workspace, 'runbooks', 'root-account-activity.md');
          await page.locator('.tabs-container .tab.active', { hasText: 'root-account-activity.md' }).waitFor({ timeout: 30_000 });
          const deadline = Date.now() + 15_000;
          while (!existsSync(copy) && Date.now() < deadline) await page.waitForTimeout(250);
          assert.ok(existsSync(copy), `the copy should be at ${copy}`);
          assert.match(readFileSync(copy, 'utf8'), new RegExp(`title: ${BUNDLED_TITLE}`));
          // The read-only editor made way for the copy: one tab of that name.
          const tabs = page.locator('.tabs-container .tab', { hasText: 'root-account-activity.md' });
          for (const until = Date.now() + 10_000; (await tabs.count()) > 1 && Date.now() < until;) await page.waitForTimeout(250);
          assert.equal(await tabs.count(), 1, 'the bundled editor should be closed once copied');
          // The copy is a file of the workspace: no read-only lens.
          const lenses = (await page.locator('.codelens-decoration').allInnerTexts()).join(' | ');
          assert.ok(!lenses.includes('read-only'), `the copy should not say read-only: ${lenses}`);
        });
      },
    );

    it('(8) SQL help in a block: a struct field completes, Ctrl+Enter runs the cell at the cursor', { timeout: 180_000 }, async () => {
      const { page, step } = workbench();
      const copy = join(profile.workspace, 'runbooks', 'root-account-activity.md');
      if (!existsSync(copy)) throw new Error('the copy of step 7 is missing (see step 7)');
      const lineWith = (text: string): number =>
        readFileSync(copy, 'utf8')
          .split('\n')
          .findIndex((line) => line.includes(text)) + 1;
      await step('8a-completion', async () => {
        await page.locator('.tabs-container .tab', { hasText: 'root-account-activity.md' }).first().click();
        await goToLine(page, lineWith("WHERE userIdentity.type = 'Root'"));
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await page.keyboard.type('AND userIdentity.sessionContext.attributes.');
        const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'mfaAuthenticated' }).first();
        await item.waitFor({ timeout: 15_000 });
        // Its fields only, with their types: not the columns, not words of the file.
        const offered = (await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim()).sort();
        assert.deepEqual(
          offered,
          ['creationDate', 'mfaAuthenticated'],
          `the struct's fields should be offered: ${JSON.stringify(offered)}`,
        );
        await item.click();
        // (The view may wrap the line after the dot.)
        await page.locator('.editor-instance .view-line', { hasText: 'mfaAuthenticated' }).first().waitFor({ timeout: 5_000 });
        await page.keyboard.type(" = 'false'");
      });
      await step('8b-ctrl-enter-runs-the-cell', async () => {
        await goToLine(page, lineWith('SELECT eventTime') + 2);
        await page.keyboard.press('Control+Enter');
        const shown = await waitForRun(page, 'root-activity', 120_000);
        assert.ok(shown.status === 'finding' || shown.status === 'ok', `the cell at the cursor should run: ${JSON.stringify(shown)}`);
      });
    });

    it(
      "(10) a response action: named, one command per value, the profile's account and region, a warning on the mismatch",
      { timeout: 180_000 },
      async () => {
        const { page, step } = workbench();
        if (!sampleOpened) throw new Error('the sample never opened (see step 1)');
        const trails = [...new Set(onSample.rows.map((r) => r.trail).filter((t): t is string => typeof t === 'string'))];
        const accounts = [...new Set(onSample.rows.map((r) => String(r.recipientAccountId)))].sort();
        const regions = [...new Set(onSample.rows.map((r) => String(r.awsRegion)))].sort();
        assert.ok(
          trails.length >= 2,
          `the sample's detection should name two trails (for "run for each value"): ${JSON.stringify(trails)}`,
        );
        assert.ok(
          !accounts.includes(RESPONDER.account) && !regions.includes(RESPONDER_REGION),
          'the test needs a profile that acts elsewhere than the finding',
        );
        const dialog = page.locator('.monaco-dialog-box');
        const quickPick = page.locator('.quick-input-widget');
        await step('10a-window-from-to', async () => {
          // Back to the whole sample, typed as a range: both events, on two trails.
          await runFromPalette(page, 'Set the investigation window');
          await quickPick.locator('.monaco-list-row', { hasText: 'From … to …' }).first().click();
          await quickPick.locator('.quick-input-title', { hasText: 'from … to …' }).waitFor({ timeout: 10_000 });
          await quickPick.locator('input').fill(DEMO_WINDOW);
          await page.keyboard.press('Enter');
          await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
          await page.locator('.tabs-container .tab', { hasText: SAMPLE }).first().click();
          await goToLine(
            page,
            readFileSync(sampleCopy(), 'utf8')
              .split('\n')
              .findIndex((line) => line.startsWith(fence)) + 1,
          );
          const lens = await codeLensAbove(page, fence, 'Run query');
          await lens.click();
          const deadline = Date.now() + 120_000;
          let shown = await waitForRun(page, DETECT);
          while (shown.count !== onSample.rowCount && Date.now() < deadline) {
            await page.waitForTimeout(500);
            shown = await waitForRun(page, DETECT);
          }
          assert.equal(shown.count, onSample.rowCount);
        });
        await step('10b-each-value', async () => {
          await goToLine(
            page,
            Number(
              readFileSync(sampleCopy(), 'utf8')
                .split('\n')
                .findIndex((l) => l.startsWith('aws cloudtrail start-logging')),
            ) + 1,
          );
          const lens = await codeLensAbove(page, '```sh', 'Run in terminal');
          await lens.click();
          const each = quickPick.locator('.monaco-list-row', { hasText: 'Run for each value' }).first();
          await each.waitFor({ timeout: 15_000 });
          assert.match(await quickPick.locator('.quick-input-title').innerText(), /has \d+ values: which should "Respond" act on\?/);
          await each.click();
          await dialog.waitFor({ timeout: 60_000 });
        });
        await step('10c-confirmation', async () => {
          const text = await dialog.innerText();
          assert.ok(!text.includes('action-1'), `the action should be named by its heading: ${text}`);
          assert.match(text, /Respond/, `the action's heading names it: ${text}`);
          assert.match(
            text,
            new RegExp(`Run "Respond" ${trails.length} times \\(once for each value\\)`),
            `one confirmation for every value: ${text}`,
          );
          trails.forEach((name, i) =>
            assert.ok(
              text.includes(`${i + 1}. aws cloudtrail start-logging --name ${name}`),
              `the dialog should list the command for ${name}: ${text}`,
            ),
          );
          assert.ok(
            text.includes(`AWS profile ${RESPONDER_PROFILE} · account ${RESPONDER.account} · region ${RESPONDER_REGION}`),
            `the dialog should say where the action acts: ${text}`,
          );
          assert.ok(
            text.includes(`account ${accounts.join(', ')}, but profile ${RESPONDER_PROFILE} acts in account ${RESPONDER.account}`),
            `an account mismatch warning: ${text}`,
          );
          assert.ok(
            text.includes(`region ${regions.join(', ')}, but the command acts in ${RESPONDER_REGION}`),
            `a region mismatch warning: ${text}`,
          );
        });
        await step('10d-cancelled', async () => {
          await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
          await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
          const terminals = await listTerminals(page);
          assert.ok(!terminals.some((t) => t.includes('Trailbook')), `nothing should reach a terminal: ${JSON.stringify(terminals)}`);
        });
      },
    );
  },
);
