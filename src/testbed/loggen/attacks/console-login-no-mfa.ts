// Initial access: someone with ines.moreau's password, but not her MFA device, fails
// twice, then signs in without MFA (her MFA requirement had been lifted) from an
// unknown address and browses the console.
import { iamUserSession, newSessionKey } from '../identities';
import { ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { consoleLogin } from '../services/signin';
import { MINUTE } from '../time';
import type { UserIdentity } from '../types';
import { Clock, caller, type Attack } from './common';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

export const consoleLoginNoMfa: Attack = {
  name: 'console-login-no-mfa',
  description:
    'Two failed console logins then a successful one without MFA for IAM user ines.moreau from an unknown address, followed by console browsing',
  duration: 15 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'security');
    const u = user(acct, 'ines.moreau');
    const ip = ATTACKER_IPS[3];
    const clock = new Clock(t0, rng);
    const signer: UserIdentity = {
      type: 'IAMUser',
      principalId: u.id,
      arn: `arn:aws:iam::${acct.account.id}:user/${u.name}`,
      accountId: acct.account.id,
      userName: u.name,
    };
    const base = { rng, acct, region: 'us-east-1' as const, identity: signer, ip, ua: BROWSER };
    const records = [
      consoleLogin({ ...base, time: clock.after(0, 1) }, { mfa: false, success: false }),
      consoleLogin({ ...base, time: clock.after(8, 30) }, { mfa: false, success: false }),
      consoleLogin({ ...base, time: clock.after(20, 90) }, { mfa: false, success: true }),
    ];
    const key = newSessionKey(rng);
    const identity = iamUserSession(acct, u, key, clock.t, false);
    const { call, records: browsing } = caller({ rng, acct, identity, ip, ua: 'AWS Internal', console: true, clock });
    call(action('iam:GetAccountSummary'), 'us-east-1', {}, [5, 15]);
    call(action('iam:ListUsers'), 'us-east-1', {}, [10, 40]);
    call(action('iam:ListAccessKeys'), 'us-east-1', { body: { requestParameters: { userName: 'ci-deployer' } } });
    call(action('ec2:DescribeInstances'), 'eu-west-1', { ua: BROWSER }, [20, 60]);
    call(action('s3:ListBuckets'), 'us-east-1', {}, [10, 40]);
    call(action('cloudtrail:LookupEvents'), 'eu-west-1', { ua: BROWSER }, [20, 60]);
    return {
      records: [...records, ...browsing],
      account: acct.account.id,
      principal: signer.arn!,
      sourceIPAddress: ip,
      details: { sessionAccessKeyId: key },
    };
  },
};
