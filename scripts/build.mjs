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
// them in out/extension.js cost activation ~15 ms and compiling them more. The CLI loads
// them from the same files.
const LIBRARIES_APART = { 'mvdan-sh': 'shellParser.js', 'markdown-it': 'markdownIt.js', yaml: 'yaml.js' };
const librariesApart = {
  name: 'libraries-apart',
  setup(b) {
    b.onResolve({ filter: /^(mvdan-sh|markdown-it|yaml)$/ }, ({ path }) => ({ path: `./${LIBRARIES_APART[path]}`, external: true }));
  },
};
// Built once per run of this script, however many targets load it.
const libraryBuilds = new Map();
const libraryTarget = (library) => () => {
  if (!libraryBuilds.has(library))
    libraryBuilds.set(
      library,
      build({
        ...node,
        minify: true,
        stdin: { contents: `module.exports = require('${library}');`, resolveDir: '.' },
        outfile: `out/${LIBRARIES_APART[library]}`,
      }),
    );
  return libraryBuilds.get(library);
};

// Packages the CLI and the editor's runtime load from files of their own in out/packages/,
// each package evaluated when first asked for; both bundles share the one copy, and the VSIX
// ships it. A bundle requires a file when a module that imports one of its packages is first
// evaluated: the AWS SDK with LookupEvents, Athena or the credentials (src/cli/main.ts,
// src/app/openSource.ts and src/extension/runtime.ts require those on first use), DuckDB's
// API with the first store. Compiled and evaluated in out/cli.js, the SDK cost every start
// (`--version`, a run on local logs) ~25 ms and ~80 ms; in out/runtime.js, the editor's first
// run on local logs (docs/local-logs.md, CLI start). DuckDB's API is JavaScript over the
// native binding, which stays in node_modules: bundled, it loads in ~30 ms instead of the
// ~70 ms of its 60 files there.
// Only the packages named here may be imported: any other import of these scopes fails the
// build, so a new one cannot slip back into a bundle unnoticed.
const PACKAGES_APART = {
  'awsSdk.js': [
    '@aws-sdk/client-athena',
    '@aws-sdk/client-cloudtrail',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sts',
    '@aws-sdk/credential-providers',
    '@smithy/core/config',
    '@smithy/hash-node',
    '@smithy/signature-v4',
  ],
  'duckdb.js': ['@duckdb/node-api'],
};
const fileApart = (pkg) => Object.keys(PACKAGES_APART).find((file) => PACKAGES_APART[file].includes(pkg));
const packagesApart = {
  name: 'packages-apart',
  setup(b) {
    b.onResolve({ filter: /^@(aws-sdk|smithy|duckdb)\// }, ({ path, importer }) => {
      if (!fileApart(path))
        return { errors: [{ text: `${path} (imported by ${importer}) is not in PACKAGES_APART of scripts/build.mjs: add it there` }] };
      return { path, namespace: 'packages-apart' };
    });
    b.onResolve({ filter: /^\.\/packages\/\w+\.js$/ }, ({ path }) => ({ path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'packages-apart' }, ({ path }) => ({
      contents: `module.exports = require('./packages/${fileApart(path)}')[${JSON.stringify(path)}]();`,
      loader: 'js',
    }));
  },
};
// Built once per run of this script, however many targets load them.
let packagesBuilds;
const packagesTargets = () =>
  (packagesBuilds ??= Object.entries(PACKAGES_APART).map(([file, packages]) =>
    build({
      ...node,
      // DuckDB's native binding is found in node_modules, as by every other bundle.
      external: ['@duckdb/node-bindings'],
      minify: true,
      stdin: {
        contents: `module.exports = {\n${packages.map((name) => `  ${JSON.stringify(name)}: () => require(${JSON.stringify(name)}),`).join('\n')}\n};`,
        resolveDir: '.',
      },
      outfile: `out/packages/${file}`,
    }),
  ));

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
  // The CLI and what it loads on first use: the parsers (shared with the extension), the AWS
  // SDK and DuckDB's API.
  cli: () =>
    Promise.all([
      build({
        ...node,
        entryPoints: ['src/cli/main.ts'],
        outfile: 'out/cli.js',
        banner: { js: '#!/usr/bin/env node' },
        plugins: [librariesApart, packagesApart],
      }),
      ...packagesTargets(),
      ...Object.keys(LIBRARIES_APART).map((library) => libraryTarget(library)()),
    ]),
  // Activation loads only this small file; the engine is in the runtime bundle, required on
  // the first run, which loads DuckDB's API and, when a run needs it, the AWS SDK.
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
  // The editor's runtime. It loads the parsers, DuckDB's API and the AWS SDK from the files
  // the CLI loads them from, each on first use: a run or a lint on local logs evaluates no SDK
  // (test/unit/runtime-lazy-start.test.ts).
  runtime: () =>
    Promise.all([
      build({ ...node, entryPoints: ['src/extension/runtime.ts'], outfile: 'out/runtime.js', plugins: [librariesApart, packagesApart] }),
      ...packagesTargets(),
    ]),
  shellParser: libraryTarget('mvdan-sh'),
  markdownIt: libraryTarget('markdown-it'),
  yaml: libraryTarget('yaml'),
  // The child process that reads untrusted log files (a crash there is contained): the
  // CLI and the extension's runtime start it from the folder they are in.
  ingestWorker: () => build({ ...node, entryPoints: ['src/sources/local/ingestWorker.ts'], outfile: 'out/ingestWorker.js' }),
  // The threads that search a cold scan's files for the strings a cell requires (valuePrefilter.ts).
  searchThread: () => build({ ...node, entryPoints: ['src/sources/local/searchThread.ts'], outfile: 'out/searchThread.js' }),
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
