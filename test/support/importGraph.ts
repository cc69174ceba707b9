// The modules a bundle entry reaches and how (import statement or require call), from
// esbuild's metafile: what the lazy-loading tests read to prove a module is evaluated only
// on first use. Built as scripts/build.mjs builds the bundles, nothing written.
// esbuild evaluates a module reached only by `require-call` when the call runs; one reached by
// an import statement is evaluated with the module that imports it.
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

/** The inputs evaluated with `entry`: reached from it by import statements, not by require() calls. */
export function evaluatedAtLoad(metafile: Metafile, entry: string): Set<string> {
  const reached = new Set([entry]);
  const queue = [entry];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const edge of metafile.inputs[next]?.imports ?? []) {
      if (edge.kind === 'require-call' || edge.external || reached.has(edge.path)) continue;
      reached.add(edge.path);
      queue.push(edge.path);
    }
  }
  return reached;
}

/** The AWS SDK and the modules over it (credentials, sessions, the LookupEvents and Athena clients), and Trino's client. */
export const REMOTE_CLIENTS: readonly RegExp[] = [
  /^node_modules\/@aws-sdk\//,
  /^node_modules\/@smithy\//,
  /^src\/sources\/(lookup\/lookupSource|lookup\/lookupClient|athena\/athenaSource|athena\/client|trino\/trinoSource|trino\/client)\.ts$/,
  /^src\/sources\/aws\/(awsSession|credentials|profiles|callerIdentity)\.ts$/,
];
