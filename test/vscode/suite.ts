// What the extension does inside VS Code, checked through VS Code's own API. The
// workspace (made by scripts/test-vscode.mjs) holds runbook.md, a copy of
// test/fixtures/vscode/runbook.md; the user's settings point trailbook.logsPath at the
// Stratus Red Team logs. TRAILBOOK_EXPECTED carries what the CLI found for each
// cell on the same logs: the editor must agree with it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'trailbook.trailbook';

interface Expected {
  readonly status: string;
  readonly rowCount: number;
}

interface TrailbookApi {
  lastRun(uri: string, cellId: string): { status: string; rowCount: number; summary: string } | undefined;
}

export interface Test {
  readonly name: string;
  run(): Promise<void>;
}

function expected(): Record<string, Expected> {
  const text = process.env.TRAILBOOK_EXPECTED;
  if (!text) throw new Error('TRAILBOOK_EXPECTED is not set: run this suite with node scripts/test-vscode.mjs');
  return JSON.parse(text) as Record<string, Expected>;
}

function runbookUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: scripts/test-vscode.mjs opens one');
  return vscode.Uri.joinPath(folder.uri, 'runbook.md');
}

async function openRunbook(): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(runbookUri());
  await vscode.window.showTextDocument(document);
  return document;
}

async function activeApi(): Promise<TrailbookApi> {
  const extension = vscode.extensions.getExtension<TrailbookApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  // Activation is on onLanguage:markdown; activate() waits for it either way.
  return extension.activate();
}

/** 0-based lines whose text matches. */
function linesMatching(document: vscode.TextDocument, pattern: RegExp): number[] {
  const lines: number[] = [];
  for (let line = 0; line < document.lineCount; line += 1) if (pattern.test(document.lineAt(line).text)) lines.push(line);
  return lines;
}

export const tests: Test[] = [
  {
    name: 'the extension activates when a Markdown file opens',
    async run() {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is not loaded`);
      await openRunbook();
      const deadline = Date.now() + 30_000;
      while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(extension.isActive, 'the extension did not activate within 30 s of opening a Markdown file');
      assert.equal(typeof (extension.exports as TrailbookApi).lastRun, 'function', 'the extension exports lastRun');
    },
  },
  {
    name: 'CodeLenses: "▶ Run all" at the top and "▶ Run query" on each cloudtrail fence',
    async run() {
      const document = await openRunbook();
      await activeApi();
      const fences = linesMatching(document, /^```cloudtrail\b/);
      assert.equal(fences.length, 2, 'the fixture has two cloudtrail blocks');
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      const titled = (title: string) => lenses.filter((lens) => lens.command?.title === title).map((lens) => lens.range.start.line);
      assert.deepEqual(titled('▶ Run all'), [0], 'one "▶ Run all" lens, on the first line');
      assert.deepEqual(
        titled('▶ Run query').sort((a, b) => a - b),
        fences,
        '"▶ Run query" on each cloudtrail fence line, and nowhere else',
      );
      const runQuery = lenses.find((lens) => lens.command?.title === '▶ Run query' && lens.range.start.line === fences[0]);
      assert.equal(runQuery?.command?.command, 'trailbook.runCell');
    },
  },
  ...['trail-calls', 'stopped'].map((cellId): Test => ({
    name: `trailbook.runCell ${cellId}: lastRun agrees with the CLI`,
    async run() {
      const document = await openRunbook();
      const api = await activeApi();
      const want = expected()[cellId];
      assert.ok(want, `TRAILBOOK_EXPECTED has no entry for ${cellId}`);
      // Resolves when the run has ended.
      await vscode.commands.executeCommand('trailbook.runCell', document.uri, cellId);
      const run = api.lastRun(document.uri.toString(), cellId);
      assert.ok(run, `no finished run of ${cellId} after trailbook.runCell resolved`);
      assert.deepEqual({ status: run.status, rowCount: run.rowCount }, want);
    },
  })),
];
