// Defense evasion: staging's legacy-reporting key, used from a VPS with an old CLI,
// lists the trails and deletes the audit trail outright.
import { api } from '../action';
import { iamUserKey } from '../identities';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const DELETE_TRAIL = api('cloudtrail.amazonaws.com', 'DeleteTrail', { version: '1.11', readOnly: false }, (c) => ({
  requestParameters: { name: c.acct.trails.find((t) => t.name === 'security-audit-trail')!.arn },
}));

export const deleteTrail: Attack = {
  name: 'delete-trail',
  description: 'DeleteTrail of security-audit-trail by the legacy-reporting access key from an unknown address (old aws-cli v1)',
  duration: 4 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'staging');
    const identity = iamUserKey(acct, user(acct, 'legacy-reporting'));
    const ip = ATTACKER_IPS[2];
    const trail = acct.trails.find((t) => t.name === 'security-audit-trail')!;
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.oldCli, clock: new Clock(t0, rng) });
    call(action('sts:GetCallerIdentity'), 'us-east-1');
    call(action('cloudtrail:ListTrails'), 'eu-west-1', {}, [3, 15]);
    call(action('cloudtrail:GetTrail'), 'eu-west-1', { body: { requestParameters: { name: trail.name } } });
    call(DELETE_TRAIL, 'eu-west-1', {}, [10, 60]);
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip, details: { trail: trail.arn } };
  },
};
