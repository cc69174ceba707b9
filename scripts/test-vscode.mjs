// Runs test/vscode/ inside a real VS Code desktop with @vscode/test-electron, the way
// extension authors expect. It downloads VS Code from Microsoft's update server, so it
// needs internet access: where that fails (as on machines that reach only the npm
// registry) this script FAILS and says why; it never passes without having run. The
// end-to-end test (npm run test:e2e) covers the same ground there with code-server.
//
//   TRAILBOOK_VSCODE_VERSION   the VS Code to test in (default: stable; e.g. 1.95.0 for the oldest accepted)
//   On Linux without a display, run it under a virtual one: xvfb-run -a npm run test:vscode
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const logs = resolve(root, 'test/fixtures/stratus-red-team/detonation-logs');
const fixture = join(root, 'test/fixtures/vscode/runbook.md');
const cells = ['trail-calls', 'stopped'];

function fail(message) {
  console.error(`test-vscode: FAILED: ${message}`);
  process.exit(1);
}

if (!existsSync(logs)) fail(`the Stratus Red Team dataset is missing at ${logs} (it is part of the repository: is the clone complete?)`);

// 1. The extension as VS Code loads it (out/extension.js, out/runtime.js, the webview),
//    and the suite, bundled; vscode comes from the host, DuckDB stays a native module.
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) fail('node scripts/build.mjs failed');
await build({
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', '@duckdb/*'],
  entryPoints: [join(root, 'test/vscode/index.ts')],
  outfile: join(root, 'out/test-vscode/index.js'),
  logLevel: 'warning',
});

// 2. What the editor must report, from the CLI on the same logs.
const expected = {};
for (const cellId of cells) {
  const result = spawnSync(
    process.execPath,
    [join(root, 'out/cli.js'), 'run', fixture, '--logs', logs, '--cell', cellId, '--format', 'json', '--no-cache', '--quiet'],
    { cwd: root, encoding: 'utf8' },
  );
  // 0: as expected; 1: a detection found rows. Both print the results.
  if (result.status !== 0 && result.status !== 1) fail(`trailbook run --cell ${cellId} exited with ${result.status}: ${result.stderr}`);
  const cell = JSON.parse(result.stdout).cells.find((c) => c.id === cellId);
  if (!cell) fail(`trailbook run --cell ${cellId} reported no such cell`);
  expected[cellId] = { status: cell.status, rowCount: cell.rowCount };
}

// 3. VS Code itself. A download that fails is a failure of this suite, said plainly.
const version = process.env.TRAILBOOK_VSCODE_VERSION || 'stable';
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version, timeout: 60_000 });
} catch (error) {
  fail(
    `could not download VS Code ${version} (${error instanceof Error ? error.message : error}). ` +
      'This suite needs access to update.code.visualstudio.com; without it, npm run test:e2e tests the extension in code-server instead.',
  );
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fail('no display for VS Code (DISPLAY is not set): run it under a virtual one, e.g. xvfb-run -a npm run test:vscode');
}

// 4. A throwaway workspace, profile and extensions folder, so nothing of the person's
//    own VS Code takes part.
const scratch = mkdtempSync(join(tmpdir(), 'trailbook-vscode-'));
const workspace = join(scratch, 'workspace');
mkdirSync(workspace, { recursive: true });
cpSync(fixture, join(workspace, 'runbook.md'));
// In the user's settings: a workspace's settings cannot choose the log folder or the source.
mkdirSync(join(scratch, 'user-data/User'), { recursive: true });
writeFileSync(
  join(scratch, 'user-data/User/settings.json'),
  `${JSON.stringify({ 'trailbook.logsPath': logs, 'trailbook.source': 'local' }, null, 2)}\n`,
);

let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test-vscode/index.js'),
    extensionTestsEnv: { TRAILBOOK_EXPECTED: JSON.stringify(expected) },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      join(scratch, 'user-data'),
      '--extensions-dir',
      join(scratch, 'extensions'),
    ],
  });
} catch (error) {
  fail(`VS Code ${version} ran the suite and it failed: ${error instanceof Error ? error.message : error}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (code !== 0) fail(`VS Code ${version} exited with ${code}`);
console.error(`test-vscode: passed in VS Code ${version}`);
