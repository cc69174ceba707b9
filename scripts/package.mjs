// Builds every target and packages the extension as a platform-specific VSIX:
// `trailbook-<target>.vsix` at the repository root (git-ignored).
//
// DuckDB is a native module that esbuild cannot bundle, so the VSIX carries
// node_modules/@duckdb/node-api, node-bindings and the binding of one platform (the
// allow-list in .vscodeignore picks them). A VSIX with a native binary only works on
// that platform, hence `vsce package --target`. After packaging, the archive's own
// listing is checked, so a VSIX that would fail to load DuckDB (or miss the webview,
// the grammar, the runbooks) is never reported as built.
//
//   node scripts/package.mjs                  the current platform
//   node scripts/package.mjs --target T       another vsce target, if its DuckDB binding is installed
//
// Prints the VSIX path on stdout (last line); everything else goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** The @duckdb/node-bindings-* package that loads on a vsce target (see node-bindings/duckdb.js). */
const duckdbBindingFor = {
  'linux-x64': 'node-bindings-linux-x64',
  'linux-arm64': 'node-bindings-linux-arm64',
  'alpine-x64': 'node-bindings-linux-x64-musl',
  'alpine-arm64': 'node-bindings-linux-arm64-musl',
  'darwin-x64': 'node-bindings-darwin-x64',
  'darwin-arm64': 'node-bindings-darwin-arm64',
  'win32-x64': 'node-bindings-win32-x64',
  'win32-arm64': 'node-bindings-win32-arm64',
};

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(command, args) {
  const started = Date.now();
  // stdin closed: vsce asks yes/no questions on some warnings; with no answer it stops
  // instead of waiting forever, so a CI run fails with the question in its log.
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.error) fail(`${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) fail(`${[relative(root, args[0]), ...args.slice(1)].join(' ')} exited with ${result.status ?? result.signal}`);
  return Date.now() - started;
}

/** File names in a zip archive, from its central directory (no unzip tool needed). */
function zipEntries(path) {
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
  const names = [];
  for (let n = 0; n < count; n += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) fail(`${path}: broken central directory`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function filesUnder(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map((name) => join(dir, String(name)).split(sep).join('/'))
    .filter((path) => statSync(join(root, path)).isFile());
}

const args = process.argv.slice(2);
const targetFlag = args.indexOf('--target');
const target = targetFlag >= 0 ? args[targetFlag + 1] : currentTarget();
const binding = duckdbBindingFor[target];
if (!binding) fail(`DuckDB has no native binding for the VS Code target ${target}`);
if (!existsSync(join(root, 'node_modules/@duckdb', binding, 'duckdb.node'))) {
  fail(`node_modules/@duckdb/${binding} is not installed: run npm ci on a ${target} machine to package for ${target}`);
}

// vsce rewrites the README's relative links into links to the repository, which it can
// only do for GitHub and GitLab; for any other repository URL it stops. Until the
// project has such a public repository, the links stay relative: the files they name
// ship in the VSIX (checked below), so they work on the extension's page in VS Code.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url ?? '';
const linkFlags = /github\.com|gitlab\.com/.test(repository) ? [] : ['--no-rewrite-relative-links'];
if (linkFlags.length > 0) console.error(`package: ${repository || 'no repository'} is not on GitHub or GitLab: README links stay relative to the extension`);

const buildMs = run(process.execPath, [join(root, 'scripts/build.mjs')]);
const vsixName = `trailbook-${target}.vsix`;
const vsix = join(root, vsixName);
const vsceMs = run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', target, ...linkFlags, '--out', vsix]);

// What must be inside, as vsce names it (everything under extension/).
const entries = new Set(zipEntries(vsix));
const required = [
  'package.json',
  // vsce stores these two under the names the Marketplace expects.
  'LICENSE.txt',
  'readme.md',
  'out/extension.js',
  'out/runtime.js',
  'out/ingestWorker.js',
  'out/webview/results.js',
  'node_modules/@duckdb/node-api/package.json',
  'node_modules/@duckdb/node-api/lib/index.js',
  'node_modules/@duckdb/node-bindings/package.json',
  'node_modules/@duckdb/node-bindings/duckdb.js',
  `node_modules/@duckdb/${binding}/package.json`,
  `node_modules/@duckdb/${binding}/duckdb.node`,
  'node_modules/detect-libc/package.json',
  // Everything the webview, the grammar and the shipped runbooks consist of (source maps
  // stay out: they only help when debugging here; so does the CLI's bundle).
  ...filesUnder('out/webview').filter((f) => !f.endsWith('.map')),
  ...filesUnder('media'),
  ...filesUnder('syntaxes'),
  ...filesUnder('runbooks'),
];
if (filesUnder('runbooks').length === 0) fail('runbooks/ is empty: nothing to ship');
// The README's relative links (files or folders) must lead somewhere inside the VSIX.
const readmeLinks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/\]\(([^)\s#]+)/g)]
  .map((m) => m[1])
  .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link))
  .map((link) => link.replace(/^\.\//, '').replace(/\/$/, ''));
const brokenLinks = readmeLinks.filter((link) => ![...entries].some((e) => e === `extension/${link}` || e.startsWith(`extension/${link}/`)));
if (brokenLinks.length > 0) fail(`README.md links to ${brokenLinks.join(', ')}, which ${vsixName} does not carry (check .vscodeignore)`);
const missing = [...new Set(required)].filter((f) => !entries.has(`extension/${f}`));
if (missing.length > 0) fail(`${vsixName} lacks ${missing.join(', ')} (check .vscodeignore)`);
// Nothing that only matters here: sources, tests, maps, other platforms' bindings.
const unwanted = [...entries].filter(
  (e) => /^extension\/(src|test|scripts|bench|\.ci|out\/test-vscode)\//.test(e) || e.endsWith('.map') || /@duckdb\/node-bindings-/.test(e) && !e.includes(`@duckdb/${binding}/`),
);
if (unwanted.length > 0) fail(`${vsixName} carries files it should not: ${unwanted.slice(0, 10).join(', ')}`);

const megabytes = (statSync(vsix).size / 1024 / 1024).toFixed(1);
console.error(`package: ${vsixName}: ${megabytes} MB, ${entries.size} files (build ${(buildMs / 1000).toFixed(1)} s, vsce ${(vsceMs / 1000).toFixed(1)} s)`);
console.log(vsix);
