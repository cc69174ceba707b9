// The layers of docs/architecture.md, held by a test rather than by habit: each folder of
// src/ may import only the layers listed for it, `vscode` only in src/extension, and the
// two faces (CLI and editor) never each other. A new folder must be given its place here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { itemAt } from '../support/itemAt';

const SRC = resolve(__dirname, '../../src');

/**
 * Which layers each layer may import (itself always). src/protocol is a leaf of plain
 * functions and types (no DOM, no node), so every layer may share it.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  protocol: [],
  runbook: ['protocol'],
  engine: ['runbook', 'protocol'],
  sources: ['engine', 'runbook', 'protocol'],
  app: ['engine', 'sources', 'runbook', 'protocol'],
  testbed: ['engine', 'sources', 'runbook', 'protocol'],
  cli: ['app', 'engine', 'sources', 'runbook', 'protocol', 'testbed'],
  extension: ['app', 'engine', 'sources', 'runbook', 'protocol', 'testbed'],
  webview: ['protocol'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file names: static imports and exports, import(), require(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+'([^']+)'/g, /\bimport\s+'([^']+)'/g, /\bimport\(\s*'([^']+)'\s*\)/g, /\brequire\(\s*'([^']+)'\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(itemAt(match, 1));
  return found;
}

const layerOf = (path: string): string => itemAt(relative(SRC, path).split(sep), 0);

test('every layer imports only what docs/architecture.md allows', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 100, `found only ${files.length} source files`);
  const broken: string[] = [];
  for (const file of files) {
    const layer = layerOf(file);
    const allowed = MAY_IMPORT[layer];
    if (!allowed) {
      broken.push(`${relative(SRC, file)}: src/${layer} has no place in the layer rules`);
      continue;
    }
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (specifier === 'vscode') {
        if (layer !== 'extension') broken.push(`${relative(SRC, file)} imports vscode: only src/extension may`);
        continue;
      }
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC + sep)) {
        broken.push(`${relative(SRC, file)} imports ${specifier}, outside src/`);
        continue;
      }
      const imported = layerOf(target);
      if (imported !== layer && !allowed.includes(imported))
        broken.push(`${relative(SRC, file)} (${layer}) imports ${specifier} (${imported})`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the rules themselves keep the faces apart and the core free of the test bed', () => {
  assert.ok(!MAY_IMPORT.cli!.includes('extension') && !MAY_IMPORT.extension!.includes('cli'));
  for (const core of ['runbook', 'engine', 'sources', 'app']) assert.ok(!MAY_IMPORT[core]?.includes('testbed'), core);
  assert.deepEqual(MAY_IMPORT.webview, ['protocol']);
});
