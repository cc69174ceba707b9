// The VSIX under test: the one scripts/test-e2e.mjs packaged for every e2e file
// (TRAILBOOK_E2E_VSIX), or, when a file is run on its own, one packaged here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function packageVsix(repo: string): string {
  if (process.env.TRAILBOOK_E2E_VSIX) return resolve(process.env.TRAILBOOK_E2E_VSIX);
  const result = spawnSync(process.execPath, [join(repo, 'scripts/package.mjs')], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300_000,
  });
  if (result.status !== 0)
    throw new Error(`scripts/package.mjs failed (${result.error?.message ?? `exit ${result.status}`}): see its output above`);
  const vsix = result.stdout.trim().split('\n').pop()!;
  if (!existsSync(vsix)) throw new Error(`scripts/package.mjs named ${vsix}, which does not exist`);
  return vsix;
}
