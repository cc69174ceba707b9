// A runbook from someone else, in a real VS Code (1.100, code-server) and Chromium: the
// folder is not trusted (Workspace Trust on, as it is by default in VS Code), and its
// .vscode/settings.json tries to send LookupEvents requests, signed with the reader's AWS
// credentials, to a plain-http server the test listens on (the "hostile" one). In
// Restricted Mode the runbook opens and shows its lenses, nothing is checked by DuckDB,
// Run query says why nothing runs; once the folder is trusted (without a reload) its SQL
// is checked and its cells run on the reader's own settings, and the hostile server never
// hears from the editor. Last, the reader chooses LookupEvents and the same profile
// themselves: the requests go, signed, to the endpoint of the reader's user settings (a
// second listener, "own"), still never to the hostile one.
// Screenshots: test-results/e2e/restricted/.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stratusDir } from '../support/datasets';
import { runCell, type CliCell } from './expected';
import { E2E_RESULTS, REPO, startEditorSession } from './support/editorSession';
import { codeLensAbove, goToLine, openFromExplorer, resultsFrame, runFromPalette, waitForRun, type Workbench } from './workbench';

const RESULTS = join(E2E_RESULTS, 'restricted');
const FIXTURE_NAME = 'pull-request.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
/** A profile the reader really has: were the workspace's settings obeyed, its key would sign requests to the listener. */
const VICTIM_PROFILE = 'victim';
const VICTIM_KEY = { accessKeyId: 'AKIDE2EVICTIM', secretAccessKey: 'e2e-victim-secret' };
const REGION = 'us-east-1';

/** A plain-http server that only counts who connects and what they ask. */
async function listen(): Promise<{ server: Server; url: string; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url} ${request.headers.authorization ? '(signed)' : ''}`);
    // Not retryable, so a run that does come here ends quickly.
    response.writeHead(400, { 'content-type': 'application/json' }).end('{"__type":"InvalidRequest","message":"test listener"}');
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, connections: () => connections, requests };
}

function writeAwsFolder(dir: string): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, `[profile ${VICTIM_PROFILE}]\nregion = ${REGION}\n`);
  writeFileSync(
    credentials,
    `[${VICTIM_PROFILE}]\naws_access_key_id = ${VICTIM_KEY.accessKeyId}\naws_secret_access_key = ${VICTIM_KEY.secretAccessKey}\n`,
  );
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

describe('Restricted Mode and a hostile workspace in VS Code 1.100 (code-server) and Chromium', { timeout: 600_000 }, () => {
  let close: (() => Promise<void>) | undefined;
  let bench: Workbench | undefined;
  /** Named by the workspace's settings; must never be contacted. */
  let hostile: Awaited<ReturnType<typeof listen>> | undefined;
  /** Named by the user's settings: where LookupEvents goes once the user chooses it. */
  let own: Awaited<ReturnType<typeof listen>> | undefined;
  let expected: CliCell;
  let opened = false;
  let trusted = false;
  const logs = stratusDir();

  before(async () => {
    expected = runCell(REPO, FIXTURE, logs, 'stopped');
    assert.ok(
      expected.status === 'ok' && expected.rowCount > 0,
      `the fixture's cell needs rows in ${logs}: ${JSON.stringify(expected).slice(0, 300)}`,
    );
    hostile = await listen();
    own = await listen();
    const session = await startEditorSession({
      label: 'restricted',
      resultsDir: RESULTS,
      settings: {
        // Workspace Trust as VS Code ships it, without the modal question at startup: the
        // folder opens in Restricted Mode, as it does for a person who chose "Don't Trust".
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'trailbook.logsPath': logs,
        'trailbook.source': 'local',
        'trailbook.endpoint': own.url,
      },
      prepare: (root, profile) => {
        // The repository's settings: LookupEvents, the reader's profile, and a server of its own.
        cpSync(FIXTURE, join(profile.workspace, FIXTURE_NAME));
        mkdirSync(join(profile.workspace, '.vscode'), { recursive: true });
        writeFileSync(
          join(profile.workspace, '.vscode/settings.json'),
          `${JSON.stringify({ 'trailbook.source': 'lookup', 'trailbook.profile': VICTIM_PROFILE, 'trailbook.endpoint': hostile!.url, 'trailbook.regions': [REGION] }, null, 2)}\n`,
        );
        return writeAwsFolder(join(root, 'aws'));
      },
    });
    close = session.close;
    bench = session.bench;
  });

  after(async () => {
    await close?.();
    for (const listener of [hostile, own]) if (listener) await new Promise((done) => listener.server.close(done));
  });

  function workbench(): Workbench {
    if (!bench) throw new Error('the workbench did not start (see the first failure)');
    if (!opened) throw new Error(`${FIXTURE_NAME} never opened (see the first failure)`);
    return bench;
  }

  const heard = (): string => `${hostile!.connections()} connections: ${JSON.stringify(hostile!.requests)}`;

  it('opens the runbook in Restricted Mode, with its lenses and nothing checked by DuckDB', { timeout: 180_000 }, async () => {
    const { page, step } = bench!;
    await step('r1-restricted-open', async () => {
      // VS Code's own sign that the folder is not trusted.
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
      await openFromExplorer(page, FIXTURE_NAME);
      await page.locator('.editor-instance .view-line', { hasText: 'id=stopped' }).waitFor({ timeout: 30_000 });
      await codeLensAbove(page, '---', 'Restricted Mode: trust this folder');
      await goToLine(page, 13);
      await codeLensAbove(page, '```cloudtrail id=stopped', 'Run query');
    });
    opened = true;
    await step('r2-no-problems', async () => {
      await runFromPalette(page, 'Problems: Focus on Problems View');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ timeout: 15_000 });
      // Long past the lint's pause (0.4 s) and DuckDB's first load: once trusted, the same
      // panel shows the problem within this time (step r5).
      await page.waitForTimeout(8_000);
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
      assert.deepEqual(rows, [], 'Restricted Mode: no problem should be reported (the SQL is not checked)');
    });
  });

  it(
    '"Run query" in Restricted Mode runs nothing, says the folder must be trusted, and offers to manage trust',
    { timeout: 120_000 },
    async () => {
      const { page, step } = workbench();
      await step('r3-run-refused', async () => {
        const lens = await codeLensAbove(page, '```cloudtrail id=stopped', 'Run query');
        await lens.click();
        const toast = page.locator('.notification-toast', { hasText: 'Restricted Mode: Trailbook does not run queries' });
        await toast.waitFor({ timeout: 30_000 });
        assert.match(await toast.innerText(), /until you trust this folder/);
        await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor({ timeout: 10_000 });
        // Nothing ran: no results view, and the workspace's server heard nothing.
        await page.waitForTimeout(2_000);
        assert.equal(
          await resultsFrame(page, 1_000).then(
            () => true,
            () => false,
          ),
          false,
          'a results view opened in Restricted Mode',
        );
        assert.equal(hostile!.connections(), 0, `the workspace's endpoint was contacted: ${heard()}`);
      });
    },
  );

  it(
    "trusting the folder checks its SQL and runs its cells without a reload, on the user's own settings",
    { timeout: 240_000 },
    async () => {
      const { page, step } = workbench();
      await step('r4-trust-granted', async () => {
        const toast = page.locator('.notification-toast', { hasText: 'Restricted Mode: Trailbook does not run queries' });
        await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
        const trust = page.locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', { hasText: /^Trust/ }).first();
        await trust.waitFor({ timeout: 30_000 });
        await trust.click();
        await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'hidden', timeout: 30_000 });
        trusted = true;
        // Back to the runbook, whose restricted lens is gone.
        await page.locator('.tabs-container .tab', { hasText: FIXTURE_NAME }).first().click();
        await goToLine(page, 1);
        await page.waitForTimeout(2_000);
        const titles = await page.locator('.codelens-decoration').allInnerTexts();
        assert.ok(
          !titles.some((t) => t.includes('Restricted Mode')),
          `the Restricted Mode lens should go once trusted: ${JSON.stringify(titles)}`,
        );
      });
      await step('r5-problem-listed', async () => {
        await runFromPalette(page, 'Problems: Focus on Problems View');
        const entry = page.locator('.markers-panel .monaco-list-row', { hasText: 'noSuchColumn' }).first();
        await entry.waitFor({ timeout: 90_000 });
      });
      await step('r6-ignored-settings-told', async () => {
        // The person hears that the repository tried to choose the endpoint, profile and source.
        await runFromPalette(page, 'Notifications: Show Notifications');
        const told = page.locator('.notifications-center .notification-list-item', { hasText: 'Trailbook ignores' }).first();
        await told.waitFor({ timeout: 15_000 });
        const text = await told.innerText();
        for (const name of ['trailbook.endpoint', 'trailbook.profile', 'trailbook.source'])
          assert.ok(text.includes(name), `the notice should name ${name}: ${JSON.stringify(text)}`);
        assert.ok(!text.includes('trailbook.regions'), `regions from a workspace are honoured, not ignored: ${JSON.stringify(text)}`);
      });
      await step('r7-runs-on-user-settings', async () => {
        await page.keyboard.press('Escape');
        await goToLine(page, 13);
        // The lens says where the cell runs: the user's local logs, not the workspace's LookupEvents.
        await codeLensAbove(page, '```cloudtrail id=stopped', `local logs · ${basename(logs)}`);
        const lens = await codeLensAbove(page, '```cloudtrail id=stopped', 'Run query');
        await lens.click();
        const shown = await waitForRun(page, 'stopped');
        assert.deepEqual(
          shown,
          { cellId: 'stopped', status: expected.status, count: expected.rowCount },
          "the results view and the CLI (on the user's logs) disagree",
        );
        assert.equal(hostile!.connections(), 0, `the workspace's endpoint was contacted: ${heard()}`);
      });
    },
  );

  it(
    "LookupEvents and the profile chosen by the user go to the user's endpoint, never to the workspace's",
    { timeout: 180_000 },
    async () => {
      const { page, step } = workbench();
      if (!trusted) throw new Error('the folder was not trusted (see the step before)');
      const statusItem = page.locator('.statusbar-item[id$="trailbook.where"]');
      const quickPick = page.locator('.quick-input-widget');
      const row = (text: string | RegExp) => quickPick.locator('.monaco-list-row', { hasText: text }).first();
      await step('r8-user-chooses-lookup', async () => {
        // The status bar's pickers: the user's own choices, kept per workspace by the editor.
        await statusItem.click();
        await row(/Source/).click();
        // The source picker itself: the "where" menu names LookupEvents too (the Window row).
        await quickPick.locator('.quick-input-title', { hasText: 'Where should queries run?' }).waitFor({ timeout: 15_000 });
        await row('LookupEvents').click();
        await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
        await statusItem.click();
        await row('AWS profile').click();
        await row(VICTIM_PROFILE).click();
        await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
        await goToLine(page, 13);
        // The endpoint shown is the user's, not the workspace's.
        await codeLensAbove(page, '```cloudtrail id=stopped', `LookupEvents · ${VICTIM_PROFILE} · ${REGION} · ${own!.url}`);
      });
      await step('r9-requests-to-own-endpoint', async () => {
        const lens = await codeLensAbove(page, '```cloudtrail id=stopped', 'Run query');
        await lens.click();
        const deadline = Date.now() + 60_000;
        while (own!.connections() === 0 && Date.now() < deadline) await page.waitForTimeout(250);
        // The listener is reachable from the extension host, and the profile's key signs what reaches it:
        // the hostile listener's silence is not an accident of the test.
        assert.ok(own!.connections() > 0, "the endpoint of the user's settings was never contacted");
        assert.ok(
          own!.requests.some((r) => r.endsWith('(signed)')),
          `the requests should be signed with the profile's key: ${JSON.stringify(own!.requests)}`,
        );
        assert.equal(hostile!.connections(), 0, `the workspace's endpoint was contacted: ${heard()}`);
        // The run ends (the listener answers 400) with an error in the results view; until
        // then the view still shows the cell's earlier run (ok, on local logs).
        const until = Date.now() + 60_000;
        let shown = await waitForRun(page, 'stopped', 60_000);
        while (shown.status !== 'error' && Date.now() < until) {
          await page.waitForTimeout(250);
          shown = await waitForRun(page, 'stopped', 60_000);
        }
        assert.equal(shown.status, 'error', "the run on the user's endpoint should end with that endpoint's error");
      });
    },
  );
});
