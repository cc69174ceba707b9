// The event store's catalogue tables are read and written by src/engine/store alone: sources
// and faces go through its typed API (docs/architecture.md), so the layout can change in one
// place. Held by a test, as the layers are.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(__dirname, '../../src');
const STORE = join('engine', 'store') + sep;
const CATALOGUE_TABLE = /\bstore\.(files|batches|problems|meta|lookup_ranges|fetches)\b/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

test('no SQL over the catalogue tables outside src/engine/store', () => {
  const files = sourceFiles(SRC);
  assert.ok(
    files.some((file) => relative(SRC, file).startsWith(STORE)),
    'src/engine/store is where the catalogue lives',
  );
  const outside = files
    .filter((file) => !relative(SRC, file).startsWith(STORE))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(CATALOGUE_TABLE)].map((m) => `${relative(SRC, file)}:${i + 1}: ${m[0]}`)),
    );
  assert.deepEqual(outside, [], 'use the store API (src/engine/store/catalogue.ts) instead');
});
