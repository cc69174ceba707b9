// How the Trino password or access token is kept in VS Code's SecretStorage (the OS keychain):
// one entry per server origin, so a secret set for one server is never sent to another after
// the setting changes. The kind is kept with it: basic and bearer authentication differ.
// Plain TypeScript (no vscode), tested in node.
import type { TrinoCredential } from './runTarget';

export type TrinoCredentialKind = 'password' | 'accessToken';

/** The SecretStorage key of a server's secret: its origin, so a path or a trailing slash does not matter. */
export function trinoSecretKey(server: string): string {
  return `trailbook.trino.credential ${new URL(server).origin}`;
}

export function encodeTrinoSecret(kind: TrinoCredentialKind, value: string): string {
  return JSON.stringify({ kind, value });
}

/** The stored secret; undefined when there is none or it cannot be read (it is then asked again). */
export function decodeTrinoSecret(stored: string | undefined): TrinoCredential | undefined {
  if (stored === undefined) return undefined;
  try {
    const { kind, value } = JSON.parse(stored) as { kind?: unknown; value?: unknown };
    if (typeof value !== 'string' || value === '') return undefined;
    if (kind === 'password') return { password: value };
    if (kind === 'accessToken') return { accessToken: value };
  } catch {
    // Not written by this version: treated as absent, never shown.
  }
  return undefined;
}
