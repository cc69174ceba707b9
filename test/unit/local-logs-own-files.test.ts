// Trailbook's own files in a log folder (the generator's manifest) are neither read as logs
// nor listed among the ignored files the notes mention; other hidden files still are.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { discoverLogFiles, TRAILBOOK_FILES } from '../../src/sources/local/discover';
import { MANIFEST_FILE } from '../../src/testbed/loggen/manifest';
import { tempDir } from '../support/tempDir';

test("the generator's manifest is Trailbook's own file: not a log, not an ignored file", async () => {
  assert.ok(TRAILBOOK_FILES.has(MANIFEST_FILE), `discover.ts must know the generator's manifest, ${MANIFEST_FILE}`);
  const dir = tempDir();
  writeFileSync(join(dir, 'events.json'), JSON.stringify({ Records: [] }));
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ seed: 1 }));
  writeFileSync(join(dir, '.DS_Store'), 'x');
  const discovery = await discoverLogFiles(dir, ALL_TIME);
  assert.deepEqual(
    discovery.files.map((f) => f.path.slice(dir.length + 1)),
    ['events.json'],
  );
  assert.deepEqual(
    discovery.ignored.map((p) => p.slice(dir.length + 1)),
    ['.DS_Store'],
  );
});
