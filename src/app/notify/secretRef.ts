// A secret in trailbook.notify.yaml is only ever named: an environment variable or a file
// (a CI secret, a mounted Kubernetes/Docker secret). The file the repository holds therefore
// never holds one, and the value read is kept out of every message (see Secrets).
import { readFile } from 'node:fs/promises';

export type SecretRef = { readonly env: string } | { readonly file: string };

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

export function describeSecret(ref: SecretRef): string {
  return 'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;
}

export async function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value.trim() === '') throw new SecretError(`environment variable ${ref.env} is not set`);
    return value.trim();
  }
  const text = await readFile(ref.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SecretError(`cannot read secret file ${ref.file}: ${error.code ?? 'unreadable'}`);
  });
  if (text.trim() === '') throw new SecretError(`secret file ${ref.file} is empty`);
  return text.trim();
}

/** The secret values read in this process: every text a notifier reports passes through `scrub`. */
export class Secrets {
  private readonly values = new Set<string>();

  add(value: string): string {
    if (value.length >= 4) this.values.add(value);
    return value;
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join('***');
    return out;
  }
}
