// Types for scripts/duckdbBindings.mjs (plain JavaScript so Node runs it without a build).
export const DUCKDB_BINDING_FOR_TARGET: Record<string, string>;
export function bindingCacheDir(): string;
export function lockedBinding(root: string, binding: string): { name: string; version: string; integrity: string };
export function sha512Integrity(bytes: Buffer): string;
export function bindingTarball(root: string, binding: string, log: (message: string) => void): string;
export function unpackBinding(tarball: string, destination: string): void;
