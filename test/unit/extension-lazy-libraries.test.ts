// Activation must not evaluate what only a parsed runbook or a completion needs: the Markdown
// and YAML parsers, the shell parser and the Trino function tables. scripts/build.mjs gives
// the libraries files of their own, and the code requires them on first use (esbuild's
// `require-call`, evaluated when called); an import statement anywhere the extension reaches
// would evaluate them when out/extension.js loads, which is what this test refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importGraph } from '../support/importGraph';

const ON_FIRST_USE = [
  /^node_modules\/markdown-it\//,
  /^node_modules\/yaml\//,
  /^node_modules\/mvdan-sh\//,
  /^src\/engine\/trinoFunctions\.ts$/,
];

test('nothing the extension reaches imports the parsers or the Trino function tables; they are required on first use', async () => {
  const metafile = await importGraph('src/extension/extension.ts');
  const edges = Object.entries(metafile.inputs).flatMap(([from, input]) =>
    input.imports.filter((edge) => ON_FIRST_USE.some((lazy) => lazy.test(edge.path))).map((edge) => ({ from, ...edge })),
  );
  // The libraries are reached (the extension parses runbooks), so an empty list would mean the check saw nothing.
  assert.ok(
    edges.length >= 4,
    `expected the parsers and the function tables among the inputs, found ${edges.map((e) => e.path).join(', ')}`,
  );
  const loaded = edges.filter((edge) => edge.kind !== 'require-call' && !edge.from.startsWith('node_modules/'));
  assert.deepEqual(
    loaded.map((edge) => `${edge.from} ${edge.kind} ${edge.path}`),
    [],
    'these imports would evaluate a library at activation: require it where it is first used instead (see src/runbook/yamlLibrary.ts)',
  );
});
