// A cold cell answered before its cache is written (issue 16), in a real VS Code (1.100,
// code-server) and Chromium, over a generated trail of 200,000 events in 7,490 files: the
// row comes from the one file holding the value the cell requires, and the results view
// shows it at once, with the cache being written under it ("writing the cache: read …")
// and the summary after the block saying so. "Whole event" asked meanwhile waits for the
// cache and shows every column; once written, the run says what the whole scan read, in
// the same place. Screenshots in test-results/e2e/answer-first/.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { generateTrail } from '../../src/testbed/loggen';
import { E2E_RESULTS, startEditorSession, type EditorSession } from './support/editorSession';
import {
  codeLensAbove,
  goToLine,
  openFromExplorer,
  resultsFrame,
  type Workbench,
  waitUntil,
  textsAfterLines,
  waitForMarkdown,
  waitForRunLens,
} from './workbench';

const RESULTS = join(E2E_RESULTS, 'answer-first');
const RUNBOOK_NAME = 'cold.md';
const FENCE = '```cloudtrail id=stopped';
const RUNBOOK = [
  '# A cold first answer',
  '',
  '```cloudtrail id=stopped',
  "SELECT eventTime, eventName, eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging'",
  '```',
  '',
].join('\n');
const EVENTS = 200_000;
/** The trail's folder, known once `prepare` made it (the settings are read after). */
const LOGS = { path: '' };

/** What the results view says of the selected run now. */
interface Seen {
  readonly status: string;
  readonly progress: string;
  readonly firstNote: string;
}

async function seen(frame: Frame): Promise<Seen> {
  const progress = frame.locator('[data-testid="progress"]');
  return {
    status: (await frame.locator('[data-testid="run-status"]').first().getAttribute('data-status', { timeout: 1_000 })) ?? '',
    progress: (await progress.isVisible()) ? ((await progress.textContent({ timeout: 1_000 })) ?? '').trim() : '',
    firstNote: (
      (await frame
        .locator('[data-testid="notes"] li')
        .first()
        .textContent({ timeout: 1_000 })
        .catch(() => '')) ?? ''
    ).trim(),
  };
}

describe('A cold cell answered before its cache is written, in VS Code 1.100 (code-server) and Chromium', { timeout: 600_000 }, () => {
  let session: EditorSession | undefined;

  before(async () => {
    session = await startEditorSession({
      label: 'answer-first',
      resultsDir: RESULTS,
      settings: () => ({
        'security.workspace.trust.enabled': false,
        'trailbook.source': 'local',
        'trailbook.logsPath': LOGS.path,
      }),
      prepare: async (root, profile) => {
        LOGS.path = join(root, 'trail');
        // One StopLogging among 200,000 events: the search finds its file, the cache takes every file.
        await generateTrail({ outDir: LOGS.path, events: EVENTS, seed: 2024, attacks: ['stop-logging'] });
        writeFileSync(join(profile.workspace, RUNBOOK_NAME), RUNBOOK);
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

  it(
    'answers from the file that can match, shows the cache written under the answer, then what the whole scan read',
    { timeout: 480_000 },
    async () => {
      const { page, step } = workbench();
      /** Polls what the view says until `wanted`; fails with the last thing it said. */
      const waitToSee = async (frame: Frame, what: string, wanted: (now: Seen) => boolean): Promise<Seen> => {
        let last: Seen | undefined;
        await waitUntil(
          page,
          what,
          async () => {
            last = await seen(frame);
            return wanted(last);
          },
          240_000,
        ).catch((error: Error) => {
          throw new Error(`${error.message}; last seen: ${JSON.stringify(last)}`);
        });
        return last!;
      };

      await step('01-answered-while-the-cache-is-written', async () => {
        await openFromExplorer(page, RUNBOOK_NAME);
        await waitForMarkdown(page);
        await goToLine(page, 3);
        const lens = await codeLensAbove(page, FENCE, 'Run query');
        await lens.click();
        const frame = await resultsFrame(page);
        const answered = await waitToSee(
          frame,
          'the answer shown with the cache being written under it',
          (now) => now.status === 'ok' && /^writing the cache: read /.test(now.progress),
        );
        // Said after the block too, while the cache is written (seconds: 200,000 events to parse).
        const summaries = await textsAfterLines(page);
        assert.ok(
          summaries.some((text) => /✓ 1 row · .* · writing the cache…/.test(text)),
          `the summary after the block while the cache is written: ${JSON.stringify(summaries)}`,
        );
        assert.match(answered.firstNote, /^7,490 log files under .*: answered from the 1 file holding the values the cell requires/);
        assert.equal(await frame.locator('[data-testid="row-count"]').getAttribute('data-count'), '1');
        // Asked while the cache is written: the whole event comes once it is.
        await frame.locator('[data-testid="results-table"] tbody tr').first().click();
        await frame.locator('[data-testid="whole-event"]').click();
        // Answered, the cell no longer runs: its lens is "▶ Run query" again while the results view has focus.
        await waitForRunLens(page, FENCE);
      });

      await step('02-once-the-cache-is-written', async () => {
        const frame = await resultsFrame(page);
        const last = await waitToSee(
          frame,
          'the whole scan’s notes in the answer’s place, the progress gone',
          (now) => now.progress === '' && /parsed/.test(now.firstNote),
        );
        assert.equal(last.status, 'ok');
        assert.match(last.firstNote, /^7,490 log files under .*: 7,490 parsed \(200,000 events\), 0 from the cache$/);
        assert.equal(await frame.locator('[data-testid="row-count"]').getAttribute('data-count'), '1', 'the same answer');
        // The section shows "looking it up…" over an empty tree until the host answers.
        const whole = frame.locator('[data-testid="whole-event-json"]');
        let event: Record<string, unknown> = {};
        await waitUntil(
          page,
          'the whole event shown',
          async () => {
            event = JSON.parse((await whole.textContent({ timeout: 1_000 })) ?? '') as Record<string, unknown>;
            return true;
          },
          60_000,
        );
        assert.equal(event.eventName, 'StopLogging');
        assert.equal(event.eventSource, 'cloudtrail.amazonaws.com');
        assert.ok(Object.keys(event).length > 20, `the whole event has every column: ${Object.keys(event).join(', ')}`);
        const summaries = await textsAfterLines(page);
        assert.ok(
          summaries.some((text) => /^"?✓ 1 row · /.test(text)) && !summaries.some((text) => text.includes('writing the cache')),
          `the summary after the block: ${JSON.stringify(summaries)}`,
        );
        await waitForRunLens(page, FENCE);
      });
    },
  );
});
