// Defense evasion: a stolen long-term key (prod's backup-agent) used from a Tor exit
// with a Kali boto3 agent checks who it is, finds the trails and stops one.
import { api } from '../action';
import { iamUserKey } from '../identities';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const STOP_LOGGING = api('cloudtrail.amazonaws.com', 'StopLogging', { version: '1.11', readOnly: false }, (c) => ({
  requestParameters: { name: c.acct.trails.find((t) => t.name === 'security-audit-trail')!.arn },
}));

export const stopLogging: Attack = {
  name: 'stop-logging',
  description:
    'StopLogging on security-audit-trail by the backup-agent access key from an unknown address (Kali user agent), after reconnaissance',
  duration: 5 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = iamUserKey(acct, user(acct, 'backup-agent'));
    const ip = ATTACKER_IPS[0];
    const trail = acct.trails.find((t) => t.name === 'security-audit-trail')!;
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    call(action('sts:GetCallerIdentity'), 'us-east-1');
    call(action('cloudtrail:DescribeTrails'), 'eu-west-1', {}, [5, 20]);
    call(action('cloudtrail:GetTrailStatus'), 'eu-west-1', { body: { requestParameters: { name: trail.arn } } });
    call(STOP_LOGGING, 'eu-west-1', {}, [10, 40]);
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip, details: { trail: trail.arn } };
  },
};
