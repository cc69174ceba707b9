// Exposure: a PowerUser Identity Center session, from an address the company does not
// use, opens SSH (tcp/22) on the web-app security group to the whole internet.
import { api } from '../action';
import { assumedRole, newSessionKey } from '../identities';
import { ATTACKER_IPS, cliAgent, cliCommand } from '../network';
import { accountByName, role } from '../org';
import { action } from '../services/index';
import { ingressBody } from '../services/ec2';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

const OPEN_SSH = api('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { version: '1.10' }, (c) =>
  ingressBody(c, c.res.securityGroups.find((g) => g.name === 'web-app')!.id, 22, '0.0.0.0/0'),
);

export const securityGroupOpen22: Attack = {
  name: 'security-group-open-22',
  description:
    "AuthorizeSecurityGroupIngress opening tcp/22 to 0.0.0.0/0 on the prod web-app security group, by ben.carter's PowerUser session from an unknown address",
  duration: 6 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const r = acct.roles.find((x) => x.name.startsWith('AWSReservedSSO_PowerUserAccess_'))!;
    const key = newSessionKey(rng);
    const identity = assumedRole(acct, role(acct, r.name), 'ben.carter@kestrel.example', key, t0 - 7 * MINUTE);
    const ip = ATTACKER_IPS[2];
    const os = 'linux#6.6.15-amd64 md/arch#x86_64';
    const ua = (name: string) => cliAgent('2.13.25', os, cliCommand('ec2.amazonaws.com', name));
    const { call, records } = caller({ rng, acct, identity, ip, ua: '', clock: new Clock(t0, rng) });
    call(action('ec2:DescribeInstances'), 'eu-west-1', { ua: ua('DescribeInstances') });
    call(action('ec2:DescribeSecurityGroups'), 'eu-west-1', { ua: ua('DescribeSecurityGroups') }, [10, 40]);
    call(OPEN_SSH, 'eu-west-1', { ua: ua('AuthorizeSecurityGroupIngress') }, [15, 60]);
    call(action('ec2:DescribeSecurityGroups'), 'eu-west-1', { ua: ua('DescribeSecurityGroups') });
    return {
      records,
      account: acct.account.id,
      principal: identity.arn!,
      sourceIPAddress: ip,
      details: { securityGroup: acct.regions['eu-west-1'].securityGroups.find((g) => g.name === 'web-app')!.id },
    };
  },
};
