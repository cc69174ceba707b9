// `trailbook --version` and a run on local logs must not evaluate what they never use: the
// AWS SDK (~80 ms of every start when it was), Trino's client, the test bed's endpoints, the
// other commands. src/cli/main.ts requires each command on first use and src/app/openSource.ts
// each remote source (esbuild evaluates a module reached only by `require-call` when the call
// runs); an import statement on the way would evaluate them at start, which this test refuses.
// What the start then costs is measured in docs/local-logs.md (CLI start).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatedAtLoad, importGraph, REMOTE_CLIENTS } from '../support/importGraph';

/** The AWS SDK, the remote sources and their clients, and the test bed (the local endpoints, the generator). */
const REMOTE = [...REMOTE_CLIENTS, /^src\/testbed\//];

test('trailbook --version and --help evaluate no command: each is required when it runs', async () => {
  const entry = 'src/cli/main.ts';
  const metafile = await importGraph(entry);
  const commands = Object.keys(metafile.inputs).filter((path) => /^src\/cli\/\w+Command\.ts$/.test(path));
  // The commands are in the bundle (an empty list would mean the check saw nothing).
  assert.ok(commands.length >= 10, `expected the commands among the inputs, found ${commands.join(', ')}`);
  const loaded = [...evaluatedAtLoad(metafile, entry)].filter((path) => path !== entry);
  assert.deepEqual(
    loaded.filter((path) => !/^src\/cli\/(usage|usageError|nodeVersion)\.ts$/.test(path)),
    [],
    'src/cli/main.ts would evaluate these at every start: require them where they are used instead',
  );
});

test('a run on local logs evaluates neither the AWS SDK, nor the remote sources, nor the test bed', async () => {
  const entry = 'src/cli/runCommand.ts';
  const metafile = await importGraph(entry);
  const inBundle = Object.keys(metafile.inputs);
  // The run command reaches them (lookup, Athena and Trino runs), so an empty list would mean the check saw nothing.
  assert.ok(
    REMOTE.slice(0, 3).every((remote) => inBundle.some((path) => remote.test(path))),
    'expected the AWS SDK and the remote sources among the inputs of the run command',
  );
  const atLoad = [...evaluatedAtLoad(metafile, entry)];
  assert.deepEqual(
    atLoad.filter((path) => REMOTE.some((remote) => remote.test(path))),
    [],
    'these are evaluated when `trailbook run` starts, whatever its source: require them where a remote target needs them (see src/app/openSource.ts)',
  );
  // The local source and DuckDB are what a local run needs, and are loaded with it.
  assert.ok(atLoad.includes('src/sources/local/localLogs.ts'));
});
