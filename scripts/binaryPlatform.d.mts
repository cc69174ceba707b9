// Types for scripts/binaryPlatform.mjs (plain JavaScript so Node runs it without a build).
export interface BinaryPlatform {
  format: 'elf' | 'macho' | 'pe';
  archs: string[];
  libc?: 'glibc' | 'musl';
}
export function readBinaryPlatform(bytes: Buffer): BinaryPlatform;
export const TARGET_PLATFORMS: Record<string, { format: BinaryPlatform['format']; arch: string; libc?: 'glibc' | 'musl' }>;
export function describeBinaryPlatform(found: BinaryPlatform): string;
export function platformMismatch(target: string, found: BinaryPlatform): string | undefined;
