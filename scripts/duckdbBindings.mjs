// DuckDB's native binding for any platform, as the exact tarball package-lock.json
// records: fetched once with `npm pack`, checked against the lock file's sha512 by this
// code (not only by npm), and cached outside the clone so later packaging is offline
// and a fresh clone on the same machine reuses it.
//
// npm ci installs only the binding of the machine it runs on; a release needs all
// eight, and each VSIX must carry exactly the one its platform loads.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The @duckdb/node-bindings-* package that node-bindings/duckdb.js loads on each vsce target. */
export const DUCKDB_BINDING_FOR_TARGET = {
  'linux-x64': 'node-bindings-linux-x64',
  'linux-arm64': 'node-bindings-linux-arm64',
  'alpine-x64': 'node-bindings-linux-x64-musl',
  'alpine-arm64': 'node-bindings-linux-arm64-musl',
  'darwin-x64': 'node-bindings-darwin-x64',
  'darwin-arm64': 'node-bindings-darwin-arm64',
  'win32-x64': 'node-bindings-win32-x64',
  'win32-arm64': 'node-bindings-win32-arm64',
};

/** Where fetched tarballs live: TRAILBOOK_PACKAGE_CACHE, else ~/.cache/trailbook-package. */
export function bindingCacheDir() {
  return process.env.TRAILBOOK_PACKAGE_CACHE || join(homedir(), '.cache', 'trailbook-package');
}

/**
 * The version and sha512 integrity package-lock.json records for a binding.
 * @param {string} root the repository
 * @param {string} binding e.g. node-bindings-darwin-arm64
 */
export function lockedBinding(root, binding) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/@duckdb/${binding}`];
  if (!entry?.version) throw new Error(`package-lock.json has no entry for @duckdb/${binding}: run npm install to record it`);
  if (!/^sha512-/.test(entry.integrity ?? '')) throw new Error(`package-lock.json records no sha512 integrity for @duckdb/${binding}`);
  return { name: `@duckdb/${binding}`, version: entry.version, integrity: entry.integrity };
}

/** npm's integrity string (sha512-<base64>) for some bytes. */
export function sha512Integrity(bytes) {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/**
 * The path of the binding's verified tarball, fetching it into the cache when it is
 * not there (or is there but does not match the lock file: a broken download or a
 * changed lock).
 * @param {string} root the repository
 * @param {string} binding e.g. node-bindings-darwin-arm64
 * @param {(message: string) => void} log
 */
export function bindingTarball(root, binding, log) {
  const { name, version, integrity } = lockedBinding(root, binding);
  const cache = bindingCacheDir();
  const cached = join(cache, `duckdb-${binding}-${version}.tgz`);
  if (existsSync(cached)) {
    if (sha512Integrity(readFileSync(cached)) === integrity) return cached;
    log(`${cached} does not match package-lock.json's integrity: fetching it again`);
    rmSync(cached);
  }
  mkdirSync(cache, { recursive: true });
  // npm pack writes into a fresh folder of the cache; the tarball is renamed into place
  // only once verified, so an interrupted or tampered download is never used.
  const scratch = mkdtempSync(join(cache, '.fetch-'));
  try {
    log(`fetching ${name}@${version}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = spawnSync(npm, ['pack', `${name}@${version}`, '--pack-destination', scratch, '--json', '--silent'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (packed.status !== 0) {
      throw new Error(
        `npm pack ${name}@${version} failed (${packed.error?.message ?? `exit ${packed.status}`}): ${packed.stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    }
    const [info] = JSON.parse(packed.stdout);
    const file = join(scratch, info.filename);
    const actual = sha512Integrity(readFileSync(file));
    if (actual !== integrity) {
      throw new Error(`${name}@${version} from the registry has ${actual}, but package-lock.json records ${integrity}: not using it`);
    }
    renameSync(file, cached);
    return cached;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Unpacks a verified binding tarball into node_modules/@duckdb/<binding> of a folder.
 * @param {string} tarball
 * @param {string} destination the package folder to create
 */
export function unpackBinding(tarball, destination) {
  mkdirSync(destination, { recursive: true });
  // npm tarballs hold one folder, package/. tar ships with Linux, macOS and Windows 10+.
  const result = spawnSync('tar', ['-xzf', tarball, '-C', destination, '--strip-components=1'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar could not unpack ${tarball}: ${result.error?.message ?? result.stderr.trim()}`);
}
