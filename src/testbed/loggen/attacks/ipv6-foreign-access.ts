// Session use from elsewhere: an engineer's ReadOnly Identity Center session in prod is
// used over IPv6 from an address outside every company range. The background never uses
// IPv6, so any IPv6 address in a trail is this scenario's.
import { assumedRole, newSessionKey } from '../identities';
import { cliAgent, cliCommand } from '../network';
import { accountByName } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

/** A residential-ISP style address (not a documentation prefix, so no one lists it). */
export const FOREIGN_IPV6 = '2a02:c207:2a1b:9f0::17';

const CALLS = ['sts:GetCallerIdentity', 's3:ListBuckets', 'ec2:DescribeInstances', 'iam:ListRoles', 'secretsmanager:ListSecrets'];

export const ipv6ForeignAccess: Attack = {
  name: 'ipv6-foreign-access',
  description: `Five read calls by chloe.dubois's ReadOnly session in prod from ${FOREIGN_IPV6}, outside every company range`,
  duration: 5 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const r = acct.roles.find((x) => x.name.startsWith('AWSReservedSSO_ReadOnlyAccess_'))!;
    const identity = assumedRole(acct, r, 'chloe.dubois@kestrel.example', newSessionKey(rng), t0 - 3 * MINUTE);
    const os = 'macos#24.1.0 md/arch#arm64';
    const { call, records } = caller({ rng, acct, identity, ip: FOREIGN_IPV6, ua: '', clock: new Clock(t0, rng) });
    for (const key of CALLS) {
      const def = action(key);
      call(def, 'eu-west-1', { ua: cliAgent('2.22.8', os, cliCommand(def.source, def.name)) }, [3, 30]);
    }
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: FOREIGN_IPV6 };
  },
};
