// Builds the extension once and packages it as platform-specific VSIXs:
// `trailbook-<target>.vsix` at the repository root (git-ignored).
//
// DuckDB is a native module that esbuild cannot bundle, so a VSIX carries
// node_modules/@duckdb/node-api, node-bindings, detect-libc and the binding of ONE
// platform; a VSIX with a native binary only works on that platform, hence
// `vsce package --target`. npm ci installs only this machine's binding: the others are
// fetched with `npm pack`, checked against package-lock.json's sha512 and cached
// (scripts/duckdbBindings.mjs), so packaging for every platform works offline after
// the first run.
//
// Each target is packaged from its own staging folder holding exactly what may ship
// (the .vscodeignore allow-list still applies there), so one target's binding can
// never leak into another's VSIX, and the shared node_modules is never touched.
// After packaging, the archive itself is checked: its listing (the bundles, the
// webview, the grammar, the runbooks, DuckDB), the binding's binaries read from the
// VSIX and matched to the target by their headers (ELF, Mach-O, PE; glibc or musl),
// the manifest's TargetPlatform, and the README's links. A VSIX that would fail to
// load DuckDB is never reported as built.
//
//   node scripts/package.mjs                        the current platform
//   node scripts/package.mjs --target T[,T...]      the named vsce targets
//   node scripts/package.mjs --target all           every platform DuckDB supports
//
// Prints each VSIX path on stdout (the last line is the last VSIX); everything else
// goes to stderr.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { describeBinaryPlatform, platformMismatch, readBinaryPlatform } from './binaryPlatform.mjs';
import { bindingTarball, DUCKDB_BINDING_FOR_TARGET, lockedBinding, unpackBinding } from './duckdbBindings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** vsce's name for the platform this runs on. */
function currentTarget() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    // Node's report names the glibc it runs on; on musl (Alpine) there is none.
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    if (!glibc && (arch === 'x64' || arch === 'arm64')) return `alpine-${arch}`;
    if (arch === 'x64' || arch === 'arm64') return `linux-${arch}`;
    if (arch === 'arm') return 'linux-armhf';
  }
  if ((platform === 'darwin' || platform === 'win32') && (arch === 'x64' || arch === 'arm64')) return `${platform}-${arch}`;
  throw new Error(`no VS Code platform target for ${platform}-${arch}`);
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(command, args, cwd) {
  const started = Date.now();
  // stdin closed: vsce asks yes/no questions on some warnings; with no answer it stops
  // instead of waiting forever, so a CI run fails with the question in its log.
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2] });
  if (result.error) fail(`${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) fail(`${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}`);
  return Date.now() - started;
}

/** A zip archive's entries by name, from its central directory (no unzip tool needed). */
function readZip(path) {
  const zip = readFileSync(path);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail(`${path} is not a zip archive`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) fail(`${path}: broken central directory`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    entries.set(zip.toString('utf8', at + 46, at + 46 + nameLength), { method, compressedSize, localHeader });
    at += 46 + nameLength + extraLength + commentLength;
  }
  /** One entry's bytes, uncompressed. */
  const read = (name) => {
    const entry = entries.get(name);
    if (!entry) fail(`${path} has no ${name}`);
    const { method, compressedSize, localHeader } = entry;
    if (zip.readUInt32LE(localHeader) !== 0x04034b50) fail(`${path}: broken local header for ${name}`);
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method === 0) return data;
    if (method === 8) return inflateRawSync(data);
    return fail(`${path}: ${name} uses zip method ${method}, which this check cannot read`);
  };
  return { names: new Set(entries.keys()), read };
}

function filesUnder(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map((name) => join(dir, String(name)).split(sep).join('/'))
    .filter((path) => statSync(join(root, path)).isFile());
}

/** The README's relative links (files or folders; images included), as repository paths. */
function readmeRelativeLinks(text) {
  return [...text.matchAll(/\]\(([^)\s#]+)/g), ...text.matchAll(/<img[^>]*\ssrc="([^"#]+)"/g)]
    .map((m) => m[1])
    .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('/'))
    .map((link) => link.replace(/^\.\//, '').replace(/\/$/, ''));
}

const { values } = parseArgs({ options: { target: { type: 'string' } } });
const targets = values.target === 'all' ? Object.keys(DUCKDB_BINDING_FOR_TARGET) : (values.target?.split(',') ?? [currentTarget()]);
for (const target of targets) {
  if (!DUCKDB_BINDING_FOR_TARGET[target]) {
    fail(`DuckDB has no native binding for the VS Code target ${target}: use all or ${Object.keys(DUCKDB_BINDING_FOR_TARGET).join(', ')}`);
  }
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// vsce rewrites the README's relative links (and images: the screenshots) into links
// to the GitHub repository, so they work on the Marketplace's page too. They point at
// the release's tag, the one .github/workflows/release.yml publishes from, so the page
// shows the README as it was at that version: every file they name must be committed.
const repository = (typeof manifest.repository === 'string' ? manifest.repository : (manifest.repository?.url ?? '')).replace(/\.git$/, '');
const github = /^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(repository);
if (!github)
  fail(
    `package.json's repository (${repository || 'none'}) is not https://github.com/OWNER/NAME: the README's relative links and screenshots need a GitHub repository to point to`,
  );
const tag = `v${manifest.version}`;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
if (tracked.status === 0) {
  const files = tracked.stdout.split('\0');
  const untracked = readmeRelativeLinks(readme).filter((link) => !files.some((f) => f === link || f.startsWith(`${link}/`)));
  if (untracked.length > 0)
    fail(`README.md links to ${untracked.join(', ')}, which git does not track: the published page would link to nothing`);
} else {
  console.error('package: not a git checkout: the README links are not checked against committed files');
}

const buildMs = run(process.execPath, [join(root, 'scripts/build.mjs')], root);
console.error(`package: built in ${(buildMs / 1000).toFixed(1)} s`);

// What every VSIX must hold, as vsce names it (everything under extension/).
const common = [
  'package.json',
  // vsce stores these under the names the Marketplace expects.
  'LICENSE.txt',
  'readme.md',
  'changelog.md',
  'out/extension.js',
  'out/runtime.js',
  'out/ingestWorker.js',
  'out/searchThread.js',
  'out/webview/results.js',
  // Every bundle the build writes beside them (a worker the runtime starts, say) but the
  // CLI's, which the extension never loads (out/cli.js).
  ...filesUnder('out').filter((f) => /^out\/[^/]+\.js$/.test(f) && f !== 'out/cli.js'),
  // The packages the runtime requires on first use (DuckDB's API on the first run, the AWS
  // SDK on the first LookupEvents or Athena run), from the files the CLI loads them from.
  'out/packages/awsSdk.js',
  'out/packages/duckdb.js',
  ...filesUnder('out/packages').filter((f) => f.endsWith('.js')),
  'node_modules/@duckdb/node-api/package.json',
  'node_modules/@duckdb/node-api/lib/index.js',
  'node_modules/@duckdb/node-bindings/package.json',
  'node_modules/@duckdb/node-bindings/duckdb.js',
  'node_modules/detect-libc/package.json',
  // Everything the webview, the grammar and the shipped runbooks consist of (source maps
  // stay out: they only help when debugging here; so does the CLI's bundle).
  ...filesUnder('out/webview').filter((f) => !f.endsWith('.map')),
  ...filesUnder('media'),
  ...filesUnder('syntaxes'),
  ...filesUnder('runbooks'),
];
if (filesUnder('runbooks').length === 0) fail('runbooks/ is empty: nothing to ship');
if (manifest.icon && !existsSync(join(root, manifest.icon))) fail(`package.json names the icon ${manifest.icon}, which does not exist`);

/** A folder holding what the target's VSIX may carry, and nothing else. */
function stage(target, binding) {
  const dir = mkdtempSync(join(tmpdir(), `trailbook-package-${target}-`));
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore']) cpSync(join(root, file), join(dir, file));
  for (const folder of ['out', 'docs', 'media', 'runbooks', 'syntaxes']) {
    if (existsSync(join(root, folder))) cpSync(join(root, folder), join(dir, folder), { recursive: true });
  }
  for (const folder of ['@duckdb/node-api', '@duckdb/node-bindings', 'detect-libc']) {
    cpSync(join(root, 'node_modules', folder), join(dir, 'node_modules', folder), { recursive: true });
  }
  // This machine's binding is used as npm ci installed (and verified) it, when it is the
  // locked version; any other comes from its checked tarball.
  const locked = lockedBinding(root, binding);
  const installed = join(root, 'node_modules/@duckdb', binding);
  const installedVersion = existsSync(join(installed, 'package.json'))
    ? JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version
    : undefined;
  if (installedVersion === locked.version && existsSync(join(installed, 'duckdb.node'))) {
    cpSync(installed, join(dir, 'node_modules/@duckdb', binding), { recursive: true });
  } else {
    unpackBinding(
      bindingTarball(root, binding, (m) => console.error(`package: ${m}`)),
      join(dir, 'node_modules/@duckdb', binding),
    );
  }
  // vsce finds what to ship from node_modules with `npm list --production`, which fails
  // on any production dependency missing from the folder. Everything but DuckDB is in
  // esbuild's bundles, so the staged manifest names only what the VSIX carries in
  // node_modules (its other optional bindings are absent, as npm allows). Nothing else in
  // package.json changes; VS Code never installs an extension's dependencies.
  const staged = { ...manifest, dependencies: { '@duckdb/node-api': manifest.dependencies['@duckdb/node-api'] } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  return dir;
}

/** Checks a built VSIX; returns its entry count. */
function check(vsixName, vsix, target, binding) {
  const zip = readZip(vsix);
  const { names } = zip;
  const required = [...common, `node_modules/@duckdb/${binding}/package.json`, `node_modules/@duckdb/${binding}/duckdb.node`];
  const missing = [...new Set(required)].filter((f) => !names.has(`extension/${f}`));
  if (missing.length > 0) fail(`${vsixName} lacks ${missing.join(', ')} (check .vscodeignore)`);
  // Nothing that only matters here: sources, tests, maps, other platforms' bindings.
  const unwanted = [...names].filter(
    (e) =>
      /^extension\/(src|test|scripts|bench|\.ci|\.github|out\/test-vscode)\//.test(e) ||
      e === 'extension/out/cli.js' ||
      e.endsWith('.map') ||
      (/@duckdb\/node-bindings-/.test(e) && !e.includes(`@duckdb/${binding}/`)),
  );
  if (unwanted.length > 0) fail(`${vsixName} carries files it should not: ${unwanted.slice(0, 10).join(', ')}`);

  // The binding's binaries (duckdb.node and the DuckDB library it links) are read from
  // the VSIX and must be built for the target's OS, CPU and libc.
  const binaries = [...names].filter((e) => e.startsWith(`extension/node_modules/@duckdb/${binding}/`) && /\.(node|so|dylib|dll)$/.test(e));
  if (binaries.length < 2)
    fail(`${vsixName}: expected duckdb.node and DuckDB's library in ${binding}, found ${binaries.join(', ') || 'none'}`);
  const platforms = binaries.map((entry) => {
    let found;
    try {
      found = readBinaryPlatform(zip.read(entry));
    } catch (error) {
      fail(`${vsixName}: ${entry} is not a binary this check can read (${error.message})`);
    }
    const mismatch = platformMismatch(target, found);
    if (mismatch) fail(`${vsixName}: ${entry} cannot load on ${target}: ${mismatch}`);
    return `${entry.split('/').pop()} ${describeBinaryPlatform(found)}`;
  });

  // The Marketplace and VS Code choose a VSIX by the platform its manifest declares.
  const vsixManifest = zip.read('extension.vsixmanifest').toString('utf8');
  if (!vsixManifest.includes(`TargetPlatform="${target}"`))
    fail(`${vsixName}: extension.vsixmanifest does not declare TargetPlatform="${target}"`);

  // vsce rewrote the README's relative links to the repository at the release tag.
  const shippedReadme = zip.read('extension/readme.md').toString('utf8');
  const leftRelative = readmeRelativeLinks(shippedReadme);
  if (leftRelative.length > 0)
    fail(`${vsixName}: the README still has relative links (${leftRelative.join(', ')}), which the Marketplace page cannot follow`);
  if (readmeRelativeLinks(readme).length > 0 && !shippedReadme.includes(`${repository}/blob/${tag}/`))
    fail(`${vsixName}: the README's links do not point to ${repository}/blob/${tag}/`);
  return { files: names.size, platforms };
}

const results = [];
for (const target of targets) {
  const binding = DUCKDB_BINDING_FOR_TARGET[target];
  const started = Date.now();
  const dir = stage(target, binding);
  const vsixName = `trailbook-${target}.vsix`;
  const vsix = join(root, vsixName);
  try {
    run(
      process.execPath,
      [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', target, '--githubBranch', tag, '--out', vsix],
      dir,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { files, platforms } = check(vsixName, vsix, target, binding);
  const seconds = (Date.now() - started) / 1000;
  const megabytes = statSync(vsix).size / 1024 / 1024;
  console.error(`package: ${vsixName}: ${megabytes.toFixed(1)} MB, ${files} files, ${seconds.toFixed(1)} s; ${platforms.join(', ')}`);
  results.push({ vsixName, megabytes, seconds });
  console.log(vsix);
}
if (results.length > 1) {
  console.error(
    `package: ${results.length} VSIXs, ${results.reduce((sum, r) => sum + r.megabytes, 0).toFixed(1)} MB, ${results.reduce((sum, r) => sum + r.seconds, 0).toFixed(1)} s after a ${(buildMs / 1000).toFixed(1)} s build`,
  );
}
