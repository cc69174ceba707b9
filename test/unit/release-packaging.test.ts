// What the release relies on without building a VSIX: scripts/package.mjs reading a
// native binary's platform from its header (real DuckDB binaries and hand-made headers
// of every format), the target → binding table matching DuckDB's own list, and the CLI's
// Node.js version note and the switch that silences the AWS SDK's warning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { describeBinaryPlatform, platformMismatch, readBinaryPlatform, TARGET_PLATFORMS } from '../../scripts/binaryPlatform.mjs';
import { DUCKDB_BINDING_FOR_TARGET, lockedBinding, sha512Integrity } from '../../scripts/duckdbBindings.mjs';
import { nodeVersionNote, quietSdkNodeVersionWarning, SDK_WARNING_SWITCH, trailbookVersion, versionText } from '../../src/cli/nodeVersion';

const ROOT = resolve(__dirname, '../..');
const installedBinding = join(ROOT, 'node_modules/@duckdb/node-bindings-linux-x64');

/** A minimal little-endian ELF64 shared library: one PT_LOAD, one PT_DYNAMIC naming libraries. */
function elf64(machine: number, needed: string[]): Buffer {
  const strtab = Buffer.from(`\0${needed.join('\0')}\0`, 'latin1');
  const dynamicAt = 64 + 2 * 56;
  const dynamic = Buffer.alloc((needed.length + 2) * 16);
  let name = 1;
  needed.forEach((lib, i) => {
    dynamic.writeBigUInt64LE(1n, i * 16); // DT_NEEDED
    dynamic.writeBigUInt64LE(BigInt(name), i * 16 + 8);
    name += lib.length + 1;
  });
  const strtabAt = dynamicAt + dynamic.length;
  dynamic.writeBigUInt64LE(5n, needed.length * 16); // DT_STRTAB, as an address
  dynamic.writeBigUInt64LE(BigInt(0x400000 + strtabAt), needed.length * 16 + 8);
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2; // 64-bit
  header[5] = 1; // little-endian
  header.writeUInt16LE(3, 0x10); // ET_DYN
  header.writeUInt16LE(machine, 0x12);
  header.writeBigUInt64LE(64n, 0x20); // e_phoff
  header.writeUInt16LE(56, 0x36);
  header.writeUInt16LE(2, 0x38);
  const phdrs = Buffer.alloc(2 * 56);
  const total = strtabAt + strtab.length;
  phdrs.writeUInt32LE(1, 0); // PT_LOAD: the whole file at 0x400000
  phdrs.writeBigUInt64LE(0n, 8);
  phdrs.writeBigUInt64LE(0x400000n, 16);
  phdrs.writeBigUInt64LE(BigInt(total), 32);
  phdrs.writeUInt32LE(2, 56); // PT_DYNAMIC
  phdrs.writeBigUInt64LE(BigInt(dynamicAt), 56 + 8);
  phdrs.writeBigUInt64LE(BigInt(0x400000 + dynamicAt), 56 + 16);
  phdrs.writeBigUInt64LE(BigInt(dynamic.length), 56 + 32);
  return Buffer.concat([header, phdrs, dynamic, strtab]);
}

function machO(cputype: number): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.writeUInt32LE(0xfeedfacf, 0);
  bytes.writeUInt32LE(cputype, 4);
  return bytes;
}

function fatMachO(cputypes: number[]): Buffer {
  const bytes = Buffer.alloc(8 + cputypes.length * 20);
  bytes.writeUInt32BE(0xcafebabe, 0);
  bytes.writeUInt32BE(cputypes.length, 4);
  cputypes.forEach((cpu, i) => bytes.writeUInt32BE(cpu, 8 + i * 20));
  return bytes;
}

function pe(machine: number): Buffer {
  const bytes = Buffer.alloc(0x100);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.writeUInt32BE(0x50450000, 0x80);
  bytes.writeUInt16LE(machine, 0x84);
  return bytes;
}

test('the installed DuckDB binding reads as Linux x64 glibc, fits linux-x64 and no other target', () => {
  for (const file of ['duckdb.node', 'libduckdb.so']) {
    const found = readBinaryPlatform(readFileSync(join(installedBinding, file)));
    assert.deepEqual(found, { format: 'elf', archs: ['x64'], libc: 'glibc' }, file);
    assert.equal(platformMismatch('linux-x64', found), undefined);
    assert.match(platformMismatch('alpine-x64', found)!, /linked against glibc, not musl/);
    assert.match(platformMismatch('linux-arm64', found)!, /built for x64, not arm64/);
    assert.match(platformMismatch('darwin-x64', found)!, /ELF \(Linux\) binary, not Mach-O/);
    assert.match(platformMismatch('win32-x64', found)!, /not PE/);
  }
  // Node's own executable names its loader in PT_INTERP.
  assert.equal(readBinaryPlatform(readFileSync(process.execPath)).format, 'elf');
});

test('ELF: CPU from e_machine, musl or glibc from the libraries a binary needs', () => {
  const muslArm = readBinaryPlatform(elf64(0xb7, ['libduckdb.so', 'libstdc++.so.6', 'libc.musl-aarch64.so.1']));
  assert.deepEqual(muslArm, { format: 'elf', archs: ['arm64'], libc: 'musl' });
  assert.equal(platformMismatch('alpine-arm64', muslArm), undefined);
  assert.match(platformMismatch('linux-arm64', muslArm)!, /linked against musl, not glibc/);

  const glibcX64 = readBinaryPlatform(elf64(0x3e, ['libm.so.6', 'libc.so.6']));
  assert.deepEqual(glibcX64, { format: 'elf', archs: ['x64'], libc: 'glibc' });
  // A Linux binary that names no libc is refused: it could be either.
  const unknownLibc = readBinaryPlatform(elf64(0x3e, ['libduckdb.so']));
  assert.equal(unknownLibc.libc, undefined);
  assert.match(platformMismatch('linux-x64', unknownLibc)!, /no libc it names/);
  assert.equal(describeBinaryPlatform(muslArm), 'ELF (Linux) arm64 musl');
});

test('Mach-O: thin binaries by cputype, universal binaries fit each CPU they hold', () => {
  const arm = readBinaryPlatform(machO(0x0100000c));
  assert.deepEqual(arm, { format: 'macho', archs: ['arm64'] });
  assert.equal(platformMismatch('darwin-arm64', arm), undefined);
  assert.match(platformMismatch('darwin-x64', arm)!, /built for arm64, not x64/);

  const universal = readBinaryPlatform(fatMachO([0x01000007, 0x0100000c]));
  assert.deepEqual(universal.archs, ['x64', 'arm64']);
  assert.equal(platformMismatch('darwin-x64', universal), undefined);
  assert.equal(platformMismatch('darwin-arm64', universal), undefined);
  assert.match(platformMismatch('linux-x64', universal)!, /Mach-O \(macOS\) binary, not ELF/);
  // A Java class file starts with the same magic; its "count" is a version number.
  assert.throws(() => readBinaryPlatform(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52])), /not a Mach-O universal binary/);
});

test('PE: the COFF machine field; anything else is not a binary', () => {
  assert.deepEqual(readBinaryPlatform(pe(0x8664)), { format: 'pe', archs: ['x64'] });
  assert.equal(platformMismatch('win32-arm64', readBinaryPlatform(pe(0xaa64))), undefined);
  assert.match(platformMismatch('win32-arm64', readBinaryPlatform(pe(0x8664)))!, /built for x64, not arm64/);
  assert.throws(() => readBinaryPlatform(Buffer.from('#!/bin/sh\necho hi\n')), /not an ELF, Mach-O or PE binary/);
});

test('every vsce target has a binary platform and a DuckDB binding, and every DuckDB binding a target', () => {
  assert.deepEqual(Object.keys(DUCKDB_BINDING_FOR_TARGET).sort(), Object.keys(TARGET_PLATFORMS).sort());
  const bindings = Object.keys(
    JSON.parse(readFileSync(join(ROOT, 'node_modules/@duckdb/node-bindings/package.json'), 'utf8')).optionalDependencies,
  )
    .map((name) => name.replace('@duckdb/', ''))
    .sort();
  assert.deepEqual(Object.values(DUCKDB_BINDING_FOR_TARGET).sort(), bindings);
  for (const binding of bindings) {
    const locked = lockedBinding(ROOT, binding);
    assert.match(locked.integrity, /^sha512-[A-Za-z0-9+/]{86}==$/, binding);
  }
  assert.throws(() => lockedBinding(ROOT, 'node-bindings-plan9-mips'), /no entry for @duckdb\/node-bindings-plan9-mips: run npm install/);
  // npm's integrity format: sha512 of the empty input, base64.
  assert.equal(
    sha512Integrity(Buffer.alloc(0)),
    'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
  );
});

test('trailbook --version: the version, the Node.js, and the SDK note only below Node 22', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(trailbookVersion(), manifest.version);
  assert.match(
    nodeVersionNote('v20.20.2')!,
    /Node\.js v20\.20\.2 works today, but AWS SDK releases published after the first week of January 2027 need Node\.js 22/,
  );
  assert.equal(nodeVersionNote('v22.0.0'), undefined);
  assert.equal(nodeVersionNote('v24.1.0'), undefined);
  assert.equal(versionText('v22.23.5'), `trailbook ${manifest.version} (Node.js v22.23.5)\n`);
  assert.equal(versionText('v20.20.2').split('\n').length, 3);
});

test('the CLI’s switch silences the SDK’s NodeVersionSupportWarning, and a user’s own setting wins', () => {
  const env: NodeJS.ProcessEnv = {};
  quietSdkNodeVersionWarning(env);
  assert.equal(env[SDK_WARNING_SWITCH], 'true');
  const chosen: NodeJS.ProcessEnv = { [SDK_WARNING_SWITCH]: 'false' };
  quietSdkNodeVersionWarning(chosen);
  assert.equal(chosen[SDK_WARNING_SWITCH], 'false');

  // The SDK's own check, asked about Node 20 whatever Node runs this test: it warns
  // without the switch and is silent with it, so the switch is the one the SDK reads.
  const probe = "require('@aws-sdk/core/client').emitWarningIfUnsupportedVersion('v20.0.0')";
  const run = (extra: Record<string, string>) =>
    spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, env: { PATH: process.env.PATH, ...extra }, encoding: 'utf8' }).stderr;
  assert.match(run({}), /NodeVersionSupportWarning/);
  assert.equal(run({ [SDK_WARNING_SWITCH]: 'true' }), '');
});
