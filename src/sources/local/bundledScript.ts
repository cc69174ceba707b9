// A script the CLI and the editor's runtime start as a process or thread of its own (the
// ingest worker, the search threads): the bundle beside the running one (out/NAME.js, next to
// out/cli.js and out/runtime.js), or the TypeScript source when running from source (tests,
// bench), with tsx loaded by its own path: `--import tsx` would be looked up from the working
// folder, which for a CLI run is wherever the user is.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const fromSource = __filename.endsWith('.ts');

export function bundledScript(name: string): { path: string; execArgv: string[] } {
  if (fromSource)
    return { path: join(__dirname, `${name}.ts`), execArgv: ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href] };
  return { path: join(__dirname, `${name}.js`), execArgv: [] };
}

/** Starts the script as a worker thread. From source, tsx's require hook loads it: a thread does not take `--import` hooks. */
export function bundledThread(name: string, workerData: unknown): Worker {
  if (!fromSource) return new Worker(join(__dirname, `${name}.js`), { workerData });
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  const script = join(__dirname, `${name}.ts`);
  return new Worker(`require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(script)});`, { eval: true, workerData });
}
