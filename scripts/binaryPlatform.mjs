// What platform a native binary is built for, read from its header, so a VSIX is never
// published with another platform's DuckDB (a name in a package is only a claim; the
// bytes are what the loader will refuse). Used by scripts/package.mjs and its test.
//
// Formats read:
//   ELF      Linux: e_machine for the CPU; the libc from PT_INTERP or DT_NEEDED
//            (libc.so.6 / ld-linux-* is glibc, libc.musl-* / ld-musl-* is musl)
//   Mach-O   macOS: cputype, thin or fat (universal) with 32- or 64-bit arch tables
//   PE       Windows: the COFF header's Machine field

const ELF_MACHINES = { 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm', 0x03: 'ia32' };
// CPU_ARCH_ABI64 (0x01000000) | CPU_TYPE_X86 (7) or CPU_TYPE_ARM (12).
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64', 7: 'ia32', 12: 'arm' };
const PE_MACHINES = { 0x8664: 'x64', 0xaa64: 'arm64', 0x014c: 'ia32', 0x01c4: 'arm' };

/**
 * @typedef {{ format: 'elf' | 'macho' | 'pe', archs: string[], libc?: 'glibc' | 'musl' }} BinaryPlatform
 */

/**
 * Reads a native binary's header.
 * @param {Buffer} bytes the whole file (ELF's dynamic section may be anywhere in it)
 * @returns {BinaryPlatform}
 */
export function readBinaryPlatform(bytes) {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x7f454c46) return readElf(bytes);
  if (bytes.length >= 4) {
    const be = bytes.readUInt32BE(0);
    const le = bytes.readUInt32LE(0);
    if (be === 0xcafebabe || be === 0xcafebabf) return readFatMachO(bytes, be === 0xcafebabf);
    if (le === 0xfeedfacf || le === 0xfeedface)
      return { format: 'macho', archs: [cpuName(MACHO_CPUS, bytes.readInt32LE(4) >>> 0, 'Mach-O cputype')] };
  }
  if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') return readPe(bytes);
  throw new Error('not an ELF, Mach-O or PE binary');
}

function cpuName(table, value, field) {
  return table[value] ?? `unknown ${field} 0x${value.toString(16)}`;
}

function readFatMachO(bytes, wide) {
  const count = bytes.readUInt32BE(4);
  // Java class files share 0xcafebabe; their "count" (a version number) is large.
  if (count === 0 || count > 32) throw new Error(`not a Mach-O universal binary (${count} architectures)`);
  const entrySize = wide ? 32 : 20;
  const archs = [];
  for (let i = 0; i < count; i += 1) {
    const at = 8 + i * entrySize;
    if (at + entrySize > bytes.length) throw new Error('Mach-O universal binary truncated in its architecture table');
    archs.push(cpuName(MACHO_CPUS, bytes.readUInt32BE(at), 'Mach-O cputype'));
  }
  return { format: 'macho', archs };
}

function readPe(bytes) {
  const pe = bytes.readUInt32LE(0x3c);
  if (pe + 6 > bytes.length || bytes.readUInt32BE(pe) !== 0x50450000) throw new Error('MZ header without a PE signature');
  return { format: 'pe', archs: [cpuName(PE_MACHINES, bytes.readUInt16LE(pe + 4), 'PE machine')] };
}

function readElf(bytes) {
  const is64 = bytes[4] === 2;
  const little = bytes[5] === 1;
  const u16 = (at) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const word = (at) => (is64 ? Number(little ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at)) : u32(at));
  const arch = cpuName(ELF_MACHINES, u16(0x12), 'ELF e_machine');

  // Program headers: PT_LOAD maps addresses to file offsets, PT_INTERP names the
  // dynamic loader (executables), PT_DYNAMIC holds DT_NEEDED (shared libraries too).
  const phoff = word(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  const loads = [];
  let interp;
  let dynamic;
  for (let i = 0; i < phnum; i += 1) {
    const at = phoff + i * phentsize;
    if (at + phentsize > bytes.length) throw new Error('ELF program headers run past the end of the file');
    const type = u32(at);
    const offset = word(at + (is64 ? 8 : 4));
    const vaddr = word(at + (is64 ? 16 : 8));
    const filesz = word(at + (is64 ? 32 : 16));
    if (type === 1) loads.push({ offset, vaddr, filesz });
    if (type === 3) interp = bytes.toString('latin1', offset, offset + filesz).replace(/\0.*$/s, '');
    if (type === 2) dynamic = { offset, filesz };
  }
  const needed = [];
  if (dynamic) {
    const entrySize = is64 ? 16 : 8;
    const tags = [];
    for (let at = dynamic.offset; at + entrySize <= dynamic.offset + dynamic.filesz; at += entrySize) {
      const tag = word(at);
      if (tag === 0) break;
      tags.push([tag, word(at + entrySize / 2)]);
    }
    // DT_STRTAB (5) is an address: find the file offset through the segment that maps it.
    const strtabAddress = tags.find(([tag]) => tag === 5)?.[1];
    const segment = loads.find((s) => strtabAddress !== undefined && strtabAddress >= s.vaddr && strtabAddress < s.vaddr + s.filesz);
    if (segment) {
      const strtab = segment.offset + (strtabAddress - segment.vaddr);
      for (const [tag, value] of tags) {
        if (tag !== 1) continue; // DT_NEEDED
        const start = strtab + value;
        const end = bytes.indexOf(0, start);
        needed.push(bytes.toString('latin1', start, end < 0 ? bytes.length : end));
      }
    }
  }
  const names = [interp ?? '', ...needed];
  const libc = names.some((n) => /(^|\/)(ld-musl-|libc\.musl-)/.test(n))
    ? 'musl'
    : names.some((n) => /(^|\/)(libc\.so\.6|ld-linux)/.test(n))
      ? 'glibc'
      : undefined;
  return { format: 'elf', archs: [arch], ...(libc ? { libc } : {}) };
}

/** What a binary must be to load on a vsce target. */
export const TARGET_PLATFORMS = {
  'linux-x64': { format: 'elf', arch: 'x64', libc: 'glibc' },
  'linux-arm64': { format: 'elf', arch: 'arm64', libc: 'glibc' },
  'alpine-x64': { format: 'elf', arch: 'x64', libc: 'musl' },
  'alpine-arm64': { format: 'elf', arch: 'arm64', libc: 'musl' },
  'darwin-x64': { format: 'macho', arch: 'x64' },
  'darwin-arm64': { format: 'macho', arch: 'arm64' },
  'win32-x64': { format: 'pe', arch: 'x64' },
  'win32-arm64': { format: 'pe', arch: 'arm64' },
};

const FORMAT_NAMES = { elf: 'ELF (Linux)', macho: 'Mach-O (macOS)', pe: 'PE (Windows)' };

/** Describes a BinaryPlatform for a message: "ELF (Linux) arm64 musl". */
export function describeBinaryPlatform(found) {
  return [FORMAT_NAMES[found.format], found.archs.join('+'), found.libc].filter(Boolean).join(' ');
}

/**
 * Why a binary cannot load on a vsce target, or undefined when it can.
 * A universal Mach-O binary fits any target whose CPU it contains. A Linux binary
 * whose libc cannot be told is refused: a glibc build does not load on Alpine.
 * @param {string} target
 * @param {BinaryPlatform} found
 * @returns {string | undefined}
 */
export function platformMismatch(target, found) {
  const want = TARGET_PLATFORMS[target];
  if (!want) return `no known binary platform for the target ${target}`;
  const problems = [];
  if (found.format !== want.format) problems.push(`a ${FORMAT_NAMES[found.format]} binary, not ${FORMAT_NAMES[want.format]}`);
  if (!found.archs.includes(want.arch)) problems.push(`built for ${found.archs.join('+')}, not ${want.arch}`);
  if (want.libc && found.format === 'elf' && found.libc !== want.libc)
    problems.push(`linked against ${found.libc ?? 'no libc it names'}, not ${want.libc}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}
