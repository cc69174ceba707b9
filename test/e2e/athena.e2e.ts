// A cell on Athena in a real VS Code (1.100, code-server) and Chromium (issue 11): the person
// clicks the status bar's source item, picks Athena, accepts the workgroup, table and region
// it offers (written to the user's settings), and runs a cell with its ▶ Run query lens. The
// query goes through the AWS SDK and SigV4 to the project's local Athena endpoint (what
// `trailbook serve-athena` starts: src/testbed/athenaEndpoint on its DuckDB backend, over the
// Stratus Red Team logs; no Java). The results view must show the rows the CLI gives with
// `--source athena` for the same cell and window, and the scan and its cost in the notes.
// Screenshots: test-results/e2e/athena/.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { duckdbBackend, startAthenaEndpoint, type AthenaEndpoint, type DuckDBBackend } from '../../src/testbed/athenaEndpoint';
import { stratusDir } from '../support/datasets';
import { runAthenaCell, type AthenaCell } from './expected';
import { E2E_RESULTS, REPO, startEditorSession, type EditorSession } from './support/editorSession';
import { codeLensAbove, openFromExplorer, resultsFrame, waitForRun } from './workbench';
import { itemAt } from '../support/itemAt';

const RESULTS = join(E2E_RESULTS, 'athena');
const FIXTURE_NAME = 'athena.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
const CELL = 'sts-calls';
const PROFILE = 'athena-e2e';

/** An AWS config folder whose one profile holds the endpoint's keys (made for this start). */
function writeAwsFolder(dir: string, endpoint: AthenaEndpoint): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, `[profile ${PROFILE}]\nregion = ${endpoint.region}\n`);
  writeFileSync(
    credentials,
    `[${PROFILE}]\naws_access_key_id = ${endpoint.credentials.accessKeyId}\naws_secret_access_key = ${endpoint.credentials.secretAccessKey}\n`,
  );
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

describe(
  "A cell on Athena in VS Code 1.100 (code-server) and Chromium, through the status bar's source picker",
  { timeout: 600_000 },
  () => {
    let session: EditorSession | undefined;
    let backend: DuckDBBackend | undefined;
    let endpoint: AthenaEndpoint | undefined;
    let expected: AthenaCell;
    const logs = stratusDir();

    before(async () => {
      // What `trailbook serve-athena --logs <stratus>` starts, in this process so the test can
      // see which queries the endpoint ran.
      backend = await duckdbBackend({ logsPath: logs });
      endpoint = await startAthenaEndpoint({ backend, logsDir: logs });
      const athena = endpoint;
      let awsEnv: NodeJS.ProcessEnv = {};
      session = await startEditorSession({
        label: 'athena',
        resultsDir: RESULTS,
        // Local logs first: the picker is what turns Athena on. The endpoint and the profile
        // are user settings (machine-scoped: a workspace could not set them).
        settings: {
          'security.workspace.trust.enabled': false,
          'trailbook.source': 'local',
          'trailbook.logsPath': logs,
          'trailbook.profile': PROFILE,
          'trailbook.athena.endpoint': athena.url,
        },
        prepare: (root, profile) => {
          cpSync(FIXTURE, join(profile.workspace, FIXTURE_NAME));
          awsEnv = writeAwsFolder(join(root, 'aws'), athena);
          return awsEnv;
        },
      });
      // The CLI on the same endpoint, cell and window (the runbook's), with the same profile.
      expected = await runAthenaCell(
        REPO,
        FIXTURE,
        CELL,
        { profile: PROFILE, region: athena.region, endpoint: athena.url },
        {
          PATH: process.env.PATH,
          HOME: session.root,
          TRAILBOOK_CACHE_DIR: join(session.root, 'cli-cache'),
          ...awsEnv,
        },
      );
      assert.equal(expected.scan.engine, 'athena');
      assert.ok(
        expected.rowCount > 1 && expected.rowCount <= 40,
        `the fixture's cell should give a handful of rows on the Stratus logs: ${expected.rowCount}`,
      );
    });

    after(async () => {
      await session?.close();
      await endpoint?.close();
      await backend?.close();
    });

    it("picks Athena in the status bar, runs the cell, and shows the CLI's rows and the scan's cost", { timeout: 300_000 }, async () => {
      if (!session || !endpoint) throw new Error('the editor or the endpoint did not start (see before)');
      const { page, step } = session.bench;
      const athena = endpoint;
      const statusItem = page.locator('.statusbar-item[id$="trailbook.where"]');
      const quickPick = page.locator('.quick-input-widget');
      const titled = (title: string) => quickPick.locator('.quick-input-title', { hasText: title });
      const row = (text: string | RegExp) => quickPick.locator('.monaco-list-row', { hasText: text }).first();
      const fence = `\`\`\`cloudtrail id=${CELL}`;

      await step('a1-open-on-local-logs', async () => {
        await openFromExplorer(page, FIXTURE_NAME);
        await statusItem.filter({ hasText: 'detonation-logs' }).waitFor({ timeout: 30_000 });
      });
      await step('a2-source-picker', async () => {
        await statusItem.click();
        await titled('where queries run').waitFor({ timeout: 15_000 });
        await row(/Source/).click();
        await titled('Where should queries run?').waitFor({ timeout: 15_000 });
        await row('Athena').waitFor({ timeout: 10_000 });
      });
      await step('a3-athena-settings', async () => {
        await row('Athena').click();
        // The three questions, each offering the default; Enter accepts it.
        for (const [title, value] of [
          ['Athena workgroup (1/3)', 'primary'],
          ['Athena table (2/3)', 'default.cloudtrail_logs'],
          ['Athena region (3/3)', athena.region],
        ] as const) {
          await titled(title).waitFor({ timeout: 15_000 });
          assert.equal(await quickPick.locator('input').inputValue(), value, `${title} should offer ${value}`);
          await page.keyboard.press('Enter');
        }
        await quickPick.waitFor({ state: 'hidden', timeout: 10_000 });
        await statusItem.filter({ hasText: 'Athena · default.cloudtrail_logs' }).waitFor({ timeout: 15_000 });
        // Written to the user's settings, never the workspace's: machine-scoped settings of a
        // remote window (code-server's) go to the machine's settings file, others to User.
        const settingsIn = (folder: string): Record<string, unknown> => {
          const path = join(session!.profile.dataDir, folder, 'settings.json');
          return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
        };
        const user = { ...settingsIn('User'), ...settingsIn('Machine') };
        assert.ok(
          !existsSync(join(session!.profile.workspace, '.vscode/settings.json')),
          "nothing should be written to the workspace's settings",
        );
        assert.deepEqual(
          [
            user['trailbook.athena.workgroup'],
            user['trailbook.athena.database'],
            user['trailbook.athena.table'],
            user['trailbook.athena.region'],
          ],
          ['primary', 'default', 'cloudtrail_logs', athena.region],
        );
        // The lens says where the cell will run before it runs.
        await codeLensAbove(page, fence, 'Athena · primary · default.cloudtrail_logs');
      });
      const startsBefore = athena.calls.filter((c) => c.action === 'StartQueryExecution').length;
      await step('a4-run-on-athena', async () => {
        const lens = await codeLensAbove(page, fence, 'Run query');
        await lens.click();
        const shown = await waitForRun(page, CELL, 120_000);
        assert.deepEqual(
          shown,
          { cellId: CELL, status: expected.status, count: expected.rowCount },
          'the results view and the CLI (--source athena) disagree',
        );
        assert.ok(
          athena.calls.filter((c) => c.action === 'StartQueryExecution').length > startsBefore,
          'the editor started no query on the endpoint',
        );
        // The rows themselves: every eventid the CLI gave, and no other (the view draws them all: a handful).
        const frame = await resultsFrame(page);
        const headers = (await frame.locator('[data-testid="results-table"] thead th').allInnerTexts()).map((t) => t.trim());
        const column = headers.indexOf('eventid');
        assert.ok(column >= 0, `the table should have Athena's eventid column: ${JSON.stringify(headers)}`);
        const shownIds = await frame
          .locator(`[data-testid="results-table"] tbody tr[data-row] td:nth-child(${column + 1})`)
          .allInnerTexts();
        const cliIds = expected.rows.map((r) => String(r.eventid));
        assert.deepEqual(shownIds.map((t) => t.trim()).sort(), [...cliIds].sort(), "the eventids shown are not the CLI's");
      });
      await step('a5-scan-and-cost', async () => {
        const frame = await resultsFrame(page);
        const details = frame.locator('[data-testid="run-details"]');
        if ((await details.getAttribute('open')) === null) await details.locator('summary').first().click();
        await frame.locator('[data-testid="notes"]').waitFor({ state: 'visible', timeout: 10_000 });
        const notes = (await frame.locator('[data-testid="notes"] li').allTextContents()).map((t) => t.trim());
        const scan = notes
          .map((note) => /as query ([0-9a-f-]{36}) in .*: scanned [\d.]+ [KMG]?B, about \$[\d.]+ at \$5\.00 per TB/.exec(note))
          .find(Boolean);
        assert.ok(scan, `the notes should say what the query scanned and cost: ${JSON.stringify(notes)}`);
        assert.ok(
          athena.executions.includes(itemAt(scan, 1)),
          `the query the notes name (${scan[1]}) is not one the endpoint ran: ${JSON.stringify(athena.executions)}`,
        );
        assert.ok(
          expected.notes.some((note) => /scanned [\d.]+ [KMG]?B, about \$[\d.]+ at \$5\.00 per TB/.test(note)),
          `the CLI says the same: ${JSON.stringify(expected.notes)}`,
        );
        // The cell's lens is a Run query button again (lenses are redrawn a few seconds after a run).
        await codeLensAbove(page, fence, 'Run query', 30_000);
      });
    });
  },
);
