// The sample trail behind `trailbook demo` and the editor's "Open the sample investigation":
// generated once, with attacks injected, so a new user sees findings without an AWS account.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateTrail } from './generate';
import { MANIFEST_FILE } from './manifest';

export const DEMO_EVENTS = 20_000;
const DEMO_START = '2026-11-01T00:00:00Z';
const DEMO_DAYS = 3;
/** The generated events fall in these days; the runbooks' own `7d` would miss them later on. */
export const DEMO_WINDOW = `${DEMO_START}/2026-11-05T00:00:00Z`;
const DEMO_ATTACKS = [
  'stop-logging',
  'delete-trail',
  'create-access-key-no-mfa',
  'console-login-no-mfa',
  'security-group-open-22',
  'root-activity',
  'iam-admin-policy-attach',
  'assume-role-burst',
  'access-denied-enumeration',
  's3-exfil-untrusted-ip',
  'ipv6-foreign-access',
  'instance-credentials-exfil',
  'security-tooling-off',
  'compute-execution',
  'share-with-foreign-account',
  'identity-persistence',
];

/** The folder of the sample trail under `cacheDir`, generated on first use. */
export async function ensureDemoTrail(cacheDir: string, onGenerate?: (dir: string) => void): Promise<string> {
  // The name changes with the attack list, so an older sample is never taken for this one.
  const dir = join(cacheDir, 'demo-trail-v4');
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    onGenerate?.(dir);
    await generateTrail({
      outDir: dir,
      events: DEMO_EVENTS,
      seed: 42,
      start: new Date(DEMO_START),
      days: DEMO_DAYS,
      attacks: DEMO_ATTACKS,
    });
  }
  return dir;
}
