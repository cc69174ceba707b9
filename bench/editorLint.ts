// The editor's lint of a 10,000-cell runbook (out/runtime.js's lint, real DuckDB): the
// first lint of the document, then a lint after one cell was edited, as the editor does on
// every pause in typing: the text parsed once (the editor's lenses share that parse), then
// linted. Run: npx tsx bench/editorLint.ts [cells]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../src/extension/runtime';
import { parseRunbook } from '../src/runbook/parse';

function runbook(cells: number, edited: number | undefined): string {
  const parts = ['---', 'title: Many cells', '---', ''];
  for (let i = 0; i < cells; i += 1) {
    const name = i === edited ? 'StopLoggingEdited' : `Event${i}`;
    parts.push(
      `## Cell ${i}`,
      '',
      `\`\`\`cloudtrail id=c${i}`,
      `SELECT eventTime, eventName FROM cloudtrail_logs WHERE eventName = '${name}'`,
      '```',
      '',
    );
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const cells = Number(process.argv[2] ?? 10_000);
  const cacheDir = mkdtempSync(join(tmpdir(), 'trailbook-bench-lint-'));
  const runtime = createRuntime({ cacheDir });
  try {
    const timed = async (label: string, text: string): Promise<void> => {
      const started = performance.now();
      const parsed = parseRunbook(text, 'many.md');
      const parseMs = performance.now() - started;
      const problems = await runtime.lint(text, 'many.md', { runbook: parsed });
      const ms = performance.now() - started;
      process.stdout.write(
        `${JSON.stringify({ lint: label, cells, ms: Math.round(ms), parseMs: Math.round(parseMs), problems: problems.length })}\n`,
      );
    };
    await timed('first', runbook(cells, undefined));
    await timed('one cell edited', runbook(cells, Math.floor(cells / 2)));
  } finally {
    runtime.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
