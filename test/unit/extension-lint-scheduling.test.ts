// When and how far the editor lints a runbook: one lint in flight per document, the latest
// text winning (never a queue); DuckDB only for files of a trusted workspace; each cell's
// SQL checked once, so an edit re-checks only the cells it changed. The scheduler and the
// cache take plain functions, so these run with in-memory lints and, at the end, real DuckDB.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { lintRunbook } from '../../src/app/lintRunbook';
import { checkSql, openSqlChecker } from '../../src/engine/sqlCheck';
import { CellCheckCache } from '../../src/extension/cellCheckCache';
import { createRuntime } from '../../src/extension/runtime';
import { lintDepth } from '../../src/extension/lintPolicy';
import { LintScheduler } from '../../src/extension/lintScheduler';
import { parseRunbook } from '../../src/runbook/parse';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const DELAY = 10;

/** A lint whose every run waits until the test lets it finish, and that records what happened. */
function controllableLint() {
  const runs: { key: string; signal: AbortSignal; finish: () => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const run = (key: string, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const done = (): void => {
        running -= 1;
        resolve();
      };
      // Like the real lint: an abort ends it at its next cell, here at once.
      signal.addEventListener('abort', () => {
        running -= 1;
        reject(signal.reason);
      });
      runs.push({ key, signal, finish: done });
    });
  return { run, runs, mostAtOnce: () => mostAtOnce, running: () => running };
}

describe('LintScheduler', () => {
  test('edits within the pause make one lint, of the latest text', async () => {
    const lint = controllableLint();
    const scheduler = new LintScheduler(lint.run, DELAY);
    for (let i = 0; i < 5; i += 1) scheduler.schedule('a.md');
    await sleep(DELAY * 4);
    assert.equal(lint.runs.length, 1);
    itemAt(lint.runs, 0).finish();
    scheduler.dispose();
  });

  test('an edit aborts the running lint at once, and one lint follows after it stopped: never two at a time', async () => {
    const lint = controllableLint();
    const scheduler = new LintScheduler(lint.run, DELAY);
    scheduler.schedule('a.md');
    await sleep(DELAY * 4);
    assert.equal(lint.runs.length, 1);
    const first = itemAt(lint.runs, 0);
    scheduler.schedule('a.md');
    assert.ok(first.signal.aborted, 'the lint of the older text should be aborted by the edit, before the pause ends');
    await sleep(DELAY * 4);
    assert.equal(lint.runs.length, 2, 'the newer text is linted once the older lint stopped');
    assert.equal(lint.mostAtOnce(), 1, 'two lints of one document ran at the same time');
    itemAt(lint.runs, 1).finish();
    scheduler.dispose();
  });

  test('many edits while a lint cannot stop yet make one more lint, not a queue', async () => {
    const runs: AbortSignal[] = [];
    let release!: () => void;
    // A lint that ignores its abort until released, like a DuckDB call already under way.
    const stubborn = (_key: string, signal: AbortSignal): Promise<void> => {
      runs.push(signal);
      return runs.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    };
    const scheduler = new LintScheduler(stubborn, DELAY);
    scheduler.schedule('a.md');
    await sleep(DELAY * 4);
    for (let i = 0; i < 10; i += 1) {
      scheduler.schedule('a.md');
      await sleep(DELAY * 2);
    }
    assert.equal(runs.length, 1, 'no lint starts while the older one is still running');
    assert.ok(scheduler.busy('a.md'));
    release();
    await sleep(DELAY * 4);
    assert.equal(runs.length, 2, 'ten edits during a lint should make exactly one more lint, of the latest text');
    assert.equal(scheduler.busy('a.md'), false);
    scheduler.dispose();
  });

  test('documents do not wait for each other, and a closed document is stopped and forgotten', async () => {
    const lint = controllableLint();
    const scheduler = new LintScheduler(lint.run, DELAY);
    scheduler.schedule('a.md');
    scheduler.schedule('b.md');
    await sleep(DELAY * 4);
    assert.deepEqual(lint.runs.map((r) => r.key).sort(), ['a.md', 'b.md']);
    scheduler.forget('a.md');
    assert.ok(lint.runs.find((r) => r.key === 'a.md')!.signal.aborted, 'closing a document should abort its lint');
    assert.equal(lint.runs.find((r) => r.key === 'b.md')!.signal.aborted, false);
    scheduler.schedule('b.md');
    scheduler.forget('b.md');
    await sleep(DELAY * 4);
    assert.equal(lint.runs.length, 2, 'a forgotten document is not linted again');
    scheduler.dispose();
  });

  test('dispose stops every lint and every pending pause', async () => {
    const lint = controllableLint();
    const scheduler = new LintScheduler(lint.run, DELAY);
    scheduler.schedule('a.md');
    await sleep(DELAY * 4);
    scheduler.schedule('b.md');
    scheduler.dispose();
    await sleep(DELAY * 4);
    assert.equal(lint.runs.length, 1);
    assert.ok(itemAt(lint.runs, 0).signal.aborted);
    assert.equal(lint.running(), 0);
  });
});

describe('lintDepth: which documents DuckDB sees', () => {
  const runbook = (scheme: string) => ({ scheme, isRunbook: true });
  test('files of a trusted workspace: SQL checked', () => {
    assert.equal(lintDepth(runbook('file'), true), 'sql');
  });
  test('files in Restricted Mode: the format only, no engine', () => {
    assert.equal(lintDepth(runbook('file'), false), 'format');
  });
  test('untitled drafts: the format only, trusted or not', () => {
    assert.equal(lintDepth(runbook('untitled'), true), 'format');
    assert.equal(lintDepth(runbook('untitled'), false), 'format');
  });
  test('git diff panes, pull request views, virtual files: nothing', () => {
    for (const scheme of ['git', 'pr', 'review', 'vscode-vfs', 'github', 'gitlens', 'vscode-userdata', 'output']) {
      assert.equal(lintDepth(runbook(scheme), true), 'none', scheme);
    }
  });
  test('Markdown that is not a runbook: nothing', () => {
    assert.equal(lintDepth({ scheme: 'file', isRunbook: false }, true), 'none');
  });
});

describe('CellCheckCache', () => {
  const counting = () => {
    const checked: string[] = [];
    return {
      checked,
      check: async (sql: string) => (
        checked.push(sql),
        sql.includes('bad') ? [{ severity: 'error' as const, message: `bad: ${sql}` }] : []
      ),
    };
  };

  test("a cell's SQL is checked once; a hit gives the same problems", async () => {
    const { checked, check } = counting();
    const cache = new CellCheckCache(check);
    const lint = cache.checker();
    assert.deepEqual(await lint('SELECT bad'), [{ severity: 'error', message: 'bad: SELECT bad' }]);
    assert.deepEqual(await lint('SELECT bad'), [{ severity: 'error', message: 'bad: SELECT bad' }]);
    assert.deepEqual(await cache.checker()('SELECT 1'), []);
    assert.deepEqual(checked, ['SELECT bad', 'SELECT 1']);
  });

  test('an aborted lint checks nothing more, but still answers from what was checked', async () => {
    const { checked, check } = counting();
    const cache = new CellCheckCache(check);
    await cache.checker()('SELECT 1');
    const controller = new AbortController();
    controller.abort();
    const lint = cache.checker(controller.signal);
    assert.deepEqual(await lint('SELECT 1'), []);
    await assert.rejects(lint('SELECT 2'), { name: 'AbortError' });
    assert.deepEqual(checked, ['SELECT 1']);
  });

  test('bounded: the least recently used result goes first', async () => {
    const { checked, check } = counting();
    const cache = new CellCheckCache(check, 2);
    const lint = cache.checker();
    await lint('a');
    await lint('b');
    await lint('a');
    await lint('c');
    assert.equal(cache.size, 2);
    await lint('a');
    await lint('b');
    assert.deepEqual(checked, ['a', 'b', 'c', 'b'], '"b" was the least recently used when "c" came');
  });

  test('a failed check is not kept: the next lint tries again', async () => {
    let calls = 0;
    const cache = new CellCheckCache(async () => {
      calls += 1;
      if (calls === 1) throw new Error('engine gone');
      return [];
    });
    await assert.rejects(cache.checker()('SELECT 1'), /engine gone/);
    assert.deepEqual(await cache.checker()('SELECT 1'), []);
    assert.equal(calls, 2);
  });
});

describe("the editor's lint on real DuckDB", () => {
  const runbookText = (cells: number, edited?: number) =>
    Array.from(
      { length: cells },
      (_, i) =>
        `\`\`\`cloudtrail id=c${i}\nSELECT eventName${i === 3 ? ', noSuchColumn' : ''} FROM cloudtrail_logs WHERE eventName = '${i === edited ? 'Edited' : `E${i}`}'\n\`\`\`\n`,
    ).join('\n');

  test("after an edit, only the edited cell reaches DuckDB, and the problems equal the CLI's", async () => {
    const checker = await openSqlChecker();
    try {
      const reached: string[] = [];
      const cache = new CellCheckCache(async (sql) => (reached.push(sql), checkSql(checker.connection, sql)));
      const first = await lintRunbook(parseRunbook(runbookText(40), 'many.md'), cache.checker());
      assert.equal(reached.length, 40);
      const edited = parseRunbook(runbookText(40, 17), 'many.md');
      const second = await lintRunbook(edited, cache.checker());
      assert.equal(reached.length, 41, 'only the edited cell should be checked again');
      assert.ok(itemAt(reached, 40).includes("'Edited'"));
      // Exactly what `trailbook lint` (no cache) reports for the same text.
      assert.deepEqual(second, await lintRunbook(edited, checker.connection));
      assert.deepEqual(first, second);
      assert.equal(second.length, 1);
      assert.match(itemAt(second, 0).message, /cell c3: .*noSuchColumn/);
    } finally {
      checker.close();
    }
  });

  describe('runtime.lint', () => {
    const runtime = createRuntime({ cacheDir: tempDir() });
    after(() => runtime.dispose());

    test('an aborted lint rejects without checking, and the next lint still answers', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(runtime.lint(runbookText(3), 'x.md', { signal: controller.signal }), { name: 'AbortError' });
      const problems = await runtime.lint(runbookText(5), 'x.md');
      assert.deepEqual(
        problems.map((p) => [p.line, p.code]),
        [[13, 'sql']],
      );
    });

    test('a lint aborted half way stops at its next cell, and the next lint of the text answers whole', async () => {
      const controller = new AbortController();
      const text = runbookText(400);
      const aborted = runtime.lint(text, 'x.md', { signal: controller.signal });
      await sleep(50);
      controller.abort();
      const stopped = performance.now();
      await assert.rejects(aborted, { name: 'AbortError' });
      assert.ok(performance.now() - stopped < 500, 'the aborted lint should stop within one cell');
      const problems = await runtime.lint(text, 'x.md');
      assert.equal(problems.length, 1);
    });
  });
});
