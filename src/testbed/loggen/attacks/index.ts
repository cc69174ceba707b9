// The attack scenarios that can be injected, and where in the range they go: spread
// over the range in the order given, each inside its own share of it, so they never
// overlap and each starts at a seed-dependent moment.
import type { Org } from '../org';
import type { Rng } from '../prng';
import { MINUTE } from '../time';
import type { Timed } from '../types';
import { accessDeniedEnumeration } from './access-denied-enumeration';
import { assumeRoleBurst } from './assume-role-burst';
import type { Attack, AttackResult } from './common';
import { consoleLoginNoMfa } from './console-login-no-mfa';
import { createAccessKeyNoMfa } from './create-access-key-no-mfa';
import { computeExecution } from './compute-execution';
import { deleteTrail } from './delete-trail';
import { ec2OffHoursLaunch } from './ec2-off-hours-launch';
import { iamAdminPolicyAttach } from './iam-admin-policy-attach';
import { identityPersistence } from './identity-persistence';
import { instanceCredentialsExfil } from './instance-credentials-exfil';
import { ipv6ForeignAccess } from './ipv6-foreign-access';
import { rootActivity } from './root-activity';
import { s3ExfilUntrustedIp } from './s3-exfil-untrusted-ip';
import { securityGroupOpen22 } from './security-group-open-22';
import { securityToolingOff } from './security-tooling-off';
import { shareWithForeignAccount } from './share-with-foreign-account';
import { stopLogging } from './stop-logging';

export const ATTACKS: readonly Attack[] = [
  stopLogging,
  deleteTrail,
  createAccessKeyNoMfa,
  consoleLoginNoMfa,
  securityGroupOpen22,
  rootActivity,
  iamAdminPolicyAttach,
  assumeRoleBurst,
  accessDeniedEnumeration,
  // Appended: `--attacks all` keeps the earlier attacks in their order.
  ec2OffHoursLaunch,
  s3ExfilUntrustedIp,
  ipv6ForeignAccess,
  instanceCredentialsExfil,
  securityToolingOff,
  computeExecution,
  shareWithForeignAccount,
  identityPersistence,
];

export const ATTACK_NAMES: readonly string[] = ATTACKS.map((a) => a.name);

export interface PlacedAttack extends AttackResult {
  name: string;
  description: string;
}

/** Validates names (unknown or repeated names are errors, listing the valid ones). */
export function resolveAttacks(names: readonly string[]): Attack[] {
  const seen = new Set<string>();
  return names.map((name) => {
    const a = ATTACKS.find((x) => x.name === name);
    if (!a) throw new RangeError(`unknown attack "${name}"; known attacks: ${ATTACK_NAMES.join(', ')}`);
    if (seen.has(name)) throw new RangeError(`attack "${name}" is listed twice`);
    seen.add(name);
    return a;
  });
}

const MARGIN = MINUTE;

export function placeAttacks(
  rng: Rng,
  org: Org,
  attacks: readonly Attack[],
  start: number,
  end: number,
): { placed: PlacedAttack[]; records: Timed[] } {
  const placed: PlacedAttack[] = [];
  const records: Timed[] = [];
  const share = (end - start) / Math.max(1, attacks.length);
  attacks.forEach((attack, i) => {
    const from = start + i * share + MARGIN;
    const room = share - attack.duration - 2 * MARGIN;
    if (room < 0) {
      throw new RangeError(
        `the time range is too short for ${attacks.length} attack(s): "${attack.name}" needs ${Math.ceil(attack.duration / MINUTE) + 2} minutes of its own`,
      );
    }
    const t0 = from + Math.floor(rng.float() * room);
    const result = attack.run({ rng, org, t0 });
    placed.push({ name: attack.name, description: attack.description, ...result });
    records.push(...result.records);
  });
  records.sort((a, b) => a.t - b.t);
  return { placed, records };
}
