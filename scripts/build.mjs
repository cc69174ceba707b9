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

// Libraries the editor needs only once a runbook is parsed, never at activation: the shell
// parser (mvdan-sh, 1.3 MB, for a runbook's sh blocks), the Markdown parser (markdown-it and
// its entity and link tables) and the YAML library (front matter). The extension and its
// runtime require each from a file of its own in out/ on first use (src/runbook/shellSyntax.ts,
// parse.ts and yamlLibrary.ts require them lazily), both sharing the one copy; evaluating
// them in out/extension.js cost activation ~15 ms and compiling them more. The CLI keeps
// them inside its one file.
const LIBRARIES_APART = { 'mvdan-sh': 'shellParser.js', 'markdown-it': 'markdownIt.js', yaml: 'yaml.js' };
const librariesApart = {
  name: 'libraries-apart',
  setup(b) {
    b.onResolve({ filter: /^(mvdan-sh|markdown-it|yaml)$/ }, ({ path }) => ({ path: `./${LIBRARIES_APART[path]}`, external: true }));
  },
};
const libraryTarget = (library) => () =>
  build({
    ...node,
    minify: true,
    stdin: { contents: `module.exports = require('${library}');`, resolveDir: '.' },
    outfile: `out/${LIBRARIES_APART[library]}`,
  });

// `import * as vscode from 'vscode'` in each of the extension's modules would have esbuild
// copy the whole API (some 200 names, each a getter) into a namespace object per module: 28
// copies, ~10 ms of activation measured with bench:activation. Resolved through this one
// module instead, the API is copied once and every module shares the copy.
const vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    b.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const targets = {
  cli: () => build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'out/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // Activation loads only this small file; the engine, DuckDB and the AWS SDK are in
  // the runtime bundle, required on the first run.
  // The banner and the footer mark when the bundle starts and ends evaluating (wall and CPU
  // time), so the activation figure can say what loading the bundle costs, apart from
  // activate() (src/extension/activationFigure.ts).
  extension: () =>
    build({
      ...node,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'out/extension.js',
      minify: true,
      plugins: [librariesApart, vscodeOnce],
      banner: { js: 'globalThis.__trailbookLoadStart = performance.now(); globalThis.__trailbookLoadStartCpu = process.cpuUsage();' },
      footer: { js: 'globalThis.__trailbookLoadEnd = performance.now(); globalThis.__trailbookLoadEndCpu = process.cpuUsage();' },
    }),
  runtime: () => build({ ...node, entryPoints: ['src/extension/runtime.ts'], outfile: 'out/runtime.js', plugins: [librariesApart] }),
  shellParser: libraryTarget('mvdan-sh'),
  markdownIt: libraryTarget('markdown-it'),
  yaml: libraryTarget('yaml'),
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
