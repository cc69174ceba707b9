// Root use: the prod account's root user signs in (with MFA) from an unknown address
// and looks at users, keys and the password policy. Any root activity is a finding.
import { newSessionKey, root } from '../identities';
import { ATTACKER_IPS, BROWSER_AGENTS } from '../network';
import { accountByName } from '../org';
import { action } from '../services/index';
import { consoleLogin } from '../services/signin';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const rootActivity: Attack = {
  name: 'root-activity',
  description: 'Root user console sign-in (with MFA) to prod from an unknown address, then IAM and EC2 reads as root',
  duration: 12 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const ip = ATTACKER_IPS[1];
    const ua = BROWSER_AGENTS[2];
    const clock = new Clock(t0, rng);
    const login = consoleLogin(
      { rng, acct, region: 'us-east-1', identity: root(acct), ip, ua, time: clock.t },
      { mfa: true, success: true, mfaDevice: `arn:aws:iam::${acct.account.id}:mfa/root-account-mfa-device` },
    );
    const key = newSessionKey(rng);
    const identity = root(acct, key, clock.t, true);
    const { call, records } = caller({ rng, acct, identity, ip, ua: 'AWS Internal', console: true, clock });
    call(action('iam:GetAccountSummary'), 'us-east-1', {}, [5, 20]);
    call(action('iam:ListUsers'), 'us-east-1', {}, [10, 40]);
    call(action('iam:ListAccessKeys'), 'us-east-1', { body: { requestParameters: null } }, [10, 40]);
    call(action('iam:GetAccountPasswordPolicy'), 'us-east-1', {}, [10, 40]);
    call(action('ec2:DescribeRegions'), 'eu-west-1', { ua }, [20, 90]);
    call(action('s3:ListBuckets'), 'us-east-1', {}, [10, 60]);
    return { records: [login, ...records], account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip };
  },
};
