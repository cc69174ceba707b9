// An investigation leaves a record (issue 14, item 11), in a real VS Code (1.100,
// code-server) and Chromium: "Start investigation" from a runbook, run a cell, star its
// StopLogging event with a note from the results view, add a note from the palette, and
// the file investigations/YYYY-MM-DD-slug.md in the workspace holds the run (SQL, rows,
// result hash), the starred event with its note, and the note; the timeline draws the star
// and the status bar names the investigation. Screenshots in test-results/e2e/investigation-record/.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRecord } from '../../src/app/investigation/recordParse';
import { stratusDir } from '../support/datasets';
import { runCell, type CliCell } from './expected';
import { E2E_RESULTS, REPO, startEditorSession, type EditorSession } from './support/editorSession';
import {
  codeLensAbove,
  openFromExplorer,
  resultsFrame,
  runFromPalette,
  waitForRun,
  type Workbench,
  waitUntil,
  waitForMarkdown,
} from './workbench';
import { itemAt } from '../support/itemAt';

const RESULTS = join(E2E_RESULTS, 'investigation-record');
const FIXTURE_NAME = 'results.md';
const FIXTURE = join(REPO, 'test/fixtures/e2e', FIXTURE_NAME);
const STAR_NOTE = 'The attacker stops the trail <b>[here](https://evil.example)</b>';
const NOTE = 'Same principal: escalate to an incident.';

describe('An investigation leaves a record, in VS Code 1.100 (code-server) and Chromium', { timeout: 600_000 }, () => {
  let session: EditorSession | undefined;
  let stop: CliCell;
  const logs = stratusDir();

  before(async () => {
    stop = runCell(REPO, FIXTURE, logs, 'stop-logging');
    assert.equal(stop.rowCount, 1, `the fixture needs one StopLogging event in ${logs}`);
    session = await startEditorSession({
      label: 'record',
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

  /** The one record in the workspace's investigations/ folder. */
  function recordPath(): string {
    const folder = join(session!.profile.workspace, 'investigations');
    const names = existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.md')) : [];
    assert.equal(names.length, 1, `one record in ${folder}: ${JSON.stringify(names)}`);
    return join(folder, itemAt(names, 0));
  }

  it('start, run, star with a note, add a note: the record holds them, the timeline shows the star', { timeout: 480_000 }, async () => {
    const { page, step } = workbench();
    const quickInput = page.locator('.quick-input-widget');
    const eventId = String(itemAt(stop.rows, 0)['eventID']);
    await step('01-start-investigation', async () => {
      await openFromExplorer(page, FIXTURE_NAME);
      await waitForMarkdown(page);
      await page.locator('.editor-instance .view-line', { hasText: 'id=stop-logging' }).first().click();
      await runFromPalette(page, 'Trailbook: Start investigation');
      await page
        .locator('.statusbar-item[id$="trailbook.investigation"]', { hasText: 'E2E of the results view · ★ 0' })
        .waitFor({ timeout: 15_000 });
      const name = recordPath().split(/[\\/]/).pop()!;
      assert.match(name, /^\d{4}-\d\d-\d\d-e2e-of-the-results-view\.md$/);
    });
    await step('02-run-cell', async () => {
      const lens = await codeLensAbove(page, 'id=stop-logging', 'Run query');
      await lens.click();
      const shown = await waitForRun(page, 'stop-logging', 120_000);
      assert.deepEqual(shown, { cellId: 'stop-logging', status: stop.status, count: 1 });
      await waitUntil(page, 'the run is in the record', async () =>
        parseRecord(readFileSync(recordPath(), 'utf8')).entries.some((e) => e.kind === 'run'),
      );
    });
    await step('03-star-event', async () => {
      const frame = await resultsFrame(page);
      await frame.locator('[data-testid="results-table"] tbody tr').first().click();
      const star = frame.locator('[data-testid="star-event"]');
      await waitUntil(page, 'the star button enabled', async () => star.isEnabled());
      await star.click();
      await quickInput.locator('.quick-input-title', { hasText: `Star event ${eventId}` }).waitFor({ timeout: 15_000 });
      await quickInput.locator('input').fill(STAR_NOTE);
      await page.keyboard.press('Enter');
      await quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
      // The view hears back from the record: the star on the timeline, the button, the bar.
      await waitUntil(
        page,
        'the timeline draws the star',
        async () => (await frame.locator('[data-testid="timeline-canvas"]').getAttribute('data-starred')) === '1',
      );
      assert.equal(((await star.textContent()) ?? '').trim(), '★ starred');
      assert.match((await star.getAttribute('title')) ?? '', /The attacker stops the trail/);
      assert.match(
        (await frame.locator('[data-testid="investigation-summary"]').textContent()) ?? '',
        /Investigation: E2E of the results view · ★ 1 event marked/,
      );
      await page.locator('.statusbar-item[id$="trailbook.investigation"]', { hasText: '★ 1' }).waitFor({ timeout: 15_000 });
    });
    await step('04-add-note', async () => {
      await runFromPalette(page, 'Trailbook: Add note to the investigation');
      await quickInput.locator('.quick-input-title', { hasText: 'Add a note to the investigation' }).waitFor({ timeout: 15_000 });
      await quickInput.locator('input').fill(NOTE);
      await page.keyboard.press('Enter');
      await quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
      const frame = await resultsFrame(page);
      await waitUntil(page, 'the bar says the note', async () =>
        ((await frame.locator('[data-testid="investigation-summary"]').textContent()) ?? '').includes(`1 note · last note: ${NOTE}`),
      );
    });
    await step('05-record-holds-them', async () => {
      const text = readFileSync(recordPath(), 'utf8');
      const parsed = parseRecord(text);
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(parsed.header && { title: parsed.header.title, runbook: parsed.header.runbook }, {
        title: 'E2E of the results view',
        runbook: FIXTURE_NAME,
      });
      const [run, star, note] = parsed.entries;
      assert.ok(
        run?.kind === 'run' && star?.kind === 'event' && note?.kind === 'note',
        `entries: ${JSON.stringify(parsed.entries.map((e) => e.kind))}`,
      );
      assert.equal(parsed.entries.length, 3);
      assert.equal(run.cellId, 'stop-logging');
      assert.equal(run.rowCount, 1);
      assert.match(run.resultSha256 ?? '', /^[0-9a-f]{64}$/);
      assert.match(run.sql ?? '', /WHERE eventName = 'StopLogging'/);
      assert.match(run.source, /^local logs · /);
      assert.deepEqual(
        [star.eventId, star.tag, star.note, star.eventName, star.cellId],
        [eventId, 'starred', STAR_NOTE, 'StopLogging', 'stop-logging'],
      );
      assert.equal(note.text, NOTE);
      // As a reviewer reads the file: the note escaped (no HTML, no link), the row itself absent.
      assert.ok(text.includes('> The attacker stops the trail \\<b\\>\\[here\\]\\(https\\://evil.example\\)\\</b\\>'), text);
      assert.ok(text.includes(`· Marked \`starred\` \`${eventId}\``));
      assert.ok(!text.includes('"eventID"'));
    });
    await step('06-pivot-recorded', async () => {
      // A pivot from the starred event: the record gets the pivot and the run of its new cell.
      const frame = await resultsFrame(page);
      const pivot = frame.locator('[data-testid="pivot-principal"]');
      await waitUntil(page, 'the principal pivot enabled', async () => pivot.isEnabled());
      await pivot.click();
      await waitUntil(
        page,
        'the pivot and its run are in the record',
        async () => {
          const entries = parseRecord(readFileSync(recordPath(), 'utf8')).entries;
          const taken = entries.find((e) => e.kind === 'pivot');
          return taken?.kind === 'pivot' && entries.some((e) => e.kind === 'run' && e.cellId === taken.newCell);
        },
        120_000,
      );
      const taken = parseRecord(readFileSync(recordPath(), 'utf8')).entries.find((e) => e.kind === 'pivot');
      assert.ok(taken?.kind === 'pivot');
      assert.deepEqual([taken.pivot, taken.fromCell, taken.runbook], ['principal', 'stop-logging', FIXTURE_NAME]);
      assert.match(taken.value, /^arn:aws:iam::/);
    });
    await step('07-evidence-of-the-investigation', async () => {
      const workspace = session!.profile.workspace;
      const saved = (): string[] => readdirSync(workspace).filter((n) => /-evidence-.*\.md$/.test(n));
      await runFromPalette(page, 'Trailbook: Save evidence of the investigation');
      // code-server's own save dialog (a path in a quick input) offers the record's name with -evidence-<time>.md.
      const input = quickInput.locator('input');
      await input.waitFor({ timeout: 15_000 });
      await waitUntil(page, 'the dialog offers the evidence name', async () =>
        /e2e-of-the-results-view-evidence-[\d-]+\.md$/.test(await input.inputValue()),
      );
      await page.keyboard.press('Enter');
      await waitUntil(page, 'the evidence is written', async () => saved().length === 1, 30_000);
      const evidence = readFileSync(join(workspace, itemAt(saved(), 0)), 'utf8');
      assert.match(evidence, /^# Evidence of the investigation: E2E of the results view/);
      // Every run of the investigation, not the last click: the cell and the pivot's cell.
      const runs = parseRecord(readFileSync(recordPath(), 'utf8')).entries.filter((e) => e.kind === 'run');
      assert.equal(runs.length, 2);
      for (const run of runs)
        assert.ok(
          run.kind === 'run' && evidence.includes(`| \`${run.cellId}\` |`),
          `${run.kind === 'run' ? run.cellId : ''} in the evidence`,
        );
      assert.match(evidence, /Summary: 2 cell runs \(.*\), 1 event marked, 1 pivot, 1 note, 0 decisions/);
      assert.ok(evidence.includes('> The attacker stops the trail'));
    });
    await step('08-record-open', async () => {
      await page.locator('.statusbar-item[id$="trailbook.investigation"]').click();
      await page.locator('.tabs-container .tab', { hasText: recordPath().split(/[\\/]/).pop()! }).waitFor({ timeout: 15_000 });
      await page.locator('.editor-instance .view-line', { hasText: 'Marked' }).first().waitFor({ timeout: 15_000 });
    });
  });
});
