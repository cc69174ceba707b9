// `npm ci` installs what package-lock.json names and checks each download against its
// hash; an entry without `integrity` (as npm wrote for the other platforms' DuckDB
// bindings) is installed unverified, native code included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly link?: boolean;
}

test('every package in package-lock.json carries a sha512 integrity hash', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
  const entries = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.link !== true);
  assert.ok(entries.length > 100, `expected the whole dependency tree, found ${entries.length} entries`);
  const unverified = entries
    .filter(([, entry]) => !/^sha512-[A-Za-z0-9+/]+=*$/.test(entry.integrity ?? ''))
    .map(([path, entry]) => `${path}@${entry.version}`);
  assert.deepEqual(unverified, [], `entries npm ci would install without checking a hash: ${unverified.join(', ')}`);
});
