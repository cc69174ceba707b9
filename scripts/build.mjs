// Bundles the CLI, the extension host (and its lazily loaded runtime) and the results
// webview with esbuild. DuckDB is a native module: it stays external and ships in
// node_modules. `node scripts/build.mjs cli webview` builds only those targets.
import { build } from 'esbuild';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['@duckdb/*', 'vscode'],
  logLevel: 'warning',
};

// The shell parser (mvdan-sh, 1.3 MB of the 1.7 MB the extension bundle was) is needed only
// when a runbook's sh block is parsed, not at activation: the extension and its runtime
// require it from its own file, out/shellParser.js, on first use (src/runbook/shellSyntax.ts
// requires it lazily). The CLI keeps it inside its one file.
const shellParserApart = {
  name: 'shell-parser-apart',
  setup(b) {
    b.onResolve({ filter: /^mvdan-sh$/ }, () => ({ path: './shellParser.js', external: true }));
  },
};

const targets = {
  cli: () => build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'out/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // Activation loads only this small file; the engine, DuckDB and the AWS SDK are in
  // the runtime bundle, required on the first run.
  // The banner and the footer mark when the bundle starts and ends evaluating, so the
  // activation figure can say what loading the bundle costs, apart from activate().
  extension: () =>
    build({
      ...node,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'out/extension.js',
      minify: true,
      plugins: [shellParserApart],
      banner: { js: 'globalThis.__trailbookLoadStart = performance.now();' },
      footer: { js: 'globalThis.__trailbookLoadEnd = performance.now();' },
    }),
  runtime: () => build({ ...node, entryPoints: ['src/extension/runtime.ts'], outfile: 'out/runtime.js', plugins: [shellParserApart] }),
  shellParser: () =>
    build({
      ...node,
      minify: true,
      stdin: { contents: "module.exports = require('mvdan-sh');", resolveDir: '.' },
      outfile: 'out/shellParser.js',
    }),
  // The child process that reads untrusted log files (a crash there is contained): the
  // CLI and the extension's runtime start it from the folder they are in.
  ingestWorker: () => build({ ...node, entryPoints: ['src/sources/local/ingestWorker.ts'], outfile: 'out/ingestWorker.js' }),
  webview: () =>
    build({
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      sourcemap: true,
      minify: true,
      entryPoints: ['src/webview/main.ts'],
      outfile: 'out/webview/results.js',
      logLevel: 'warning',
    }),
};

const wanted = process.argv.slice(2);
for (const name of wanted) if (!(name in targets)) throw new Error(`unknown build target ${name}: use ${Object.keys(targets).join(', ')}`);
await Promise.all((wanted.length > 0 ? wanted : Object.keys(targets)).map((name) => targets[name]()));
