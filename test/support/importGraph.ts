// The modules a bundle entry reaches and how (import statement or require call), from
// esbuild's metafile: what the lazy-loading tests read to prove a module is evaluated only
// on first use. Built as scripts/build.mjs builds the bundles, nothing written.
import { resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';

const ROOT = resolve(__dirname, '../..');

export async function importGraph(entry: string): Promise<Metafile> {
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode', '@duckdb/*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return metafile;
}
