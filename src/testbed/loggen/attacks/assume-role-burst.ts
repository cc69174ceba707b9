// Lateral-movement probing: the metrics-exporter key, from an unknown address, calls
// AssumeRole 50 times in under a minute against roles across the three accounts.
// Roles that only trust GitHub's OIDC provider refuse it.
import { oneOffRoleSession } from '../actors';
import { iamUserKey } from '../identities';
import { AGENTS, ATTACKER_IPS } from '../network';
import { nth } from '../nth';
import { accountByName, user, type AccountResources } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const ASSUME_ROLE_BURST_CALLS = 50;

export const assumeRoleBurst: Attack = {
  name: 'assume-role-burst',
  description: `${ASSUME_ROLE_BURST_CALLS} AssumeRole calls within a minute by the metrics-exporter key from an unknown address, against roles in all three accounts (TerraformDeployRole refuses)`,
  duration: 2 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = iamUserKey(acct, user(acct, 'metrics-exporter'));
    const ip = ATTACKER_IPS[3];
    const targets: [AccountResources, string][] = [];
    for (const a of org.accounts) {
      for (const name of ['OrganizationAccountAccessRole', 'DeployRole', 'TerraformDeployRole', 'SecurityAuditRole']) {
        if (a.roles.some((r) => r.name === name)) targets.push([a, name]);
      }
    }
    const clock = new Clock(t0, rng);
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock });
    const assume = action('sts:AssumeRole');
    for (let i = 0; i < ASSUME_ROLE_BURST_CALLS; i++) {
      const [target, roleName] = nth(targets, i % targets.length, 'role to assume');
      const session = oneOffRoleSession(rng, target, roleName, `session-${i + 1}`, clock.t);
      call(assume, 'us-east-1', { session, error: roleName === 'TerraformDeployRole' ? 'denied' : undefined }, [0.3, 1.1]);
    }
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip };
  },
};
