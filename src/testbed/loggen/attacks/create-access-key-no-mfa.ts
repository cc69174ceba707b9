// Persistence: the CI pipeline's key (no MFA, no session) creates a second access key
// for a security engineer, then the new key is used at once from the same address to
// look around and read secrets. The new key id links the two halves.
import { api } from '../action';
import { iamUserKey } from '../identities';
import { awsId } from '../ids';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { javaDate, MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const createAccessKeyNoMfa: Attack = {
  name: 'create-access-key-no-mfa',
  description:
    'CreateAccessKey for tomas.lindqvist by the ci-deployer key (no MFA) from an unknown address, then the new key lists resources and reads secrets',
  duration: 20 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'security');
    const attacker = iamUserKey(acct, user(acct, 'ci-deployer'));
    const victim = user(acct, 'tomas.lindqvist');
    const ip = ATTACKER_IPS[1];
    const clock = new Clock(t0, rng);
    const first = caller({ rng, acct, identity: attacker, ip, ua: AGENTS.kali, clock });
    first.call(action('iam:ListUsers'), 'us-east-1');
    first.call(action('iam:ListAccessKeys'), 'us-east-1', { body: { requestParameters: { userName: victim.name } } }, [4, 12]);
    const newKey = awsId(rng, 'AKIA');
    const createKey = api('iam.amazonaws.com', 'CreateAccessKey', { global: true, version: '1.08' }, (c) => ({
      requestParameters: { userName: victim.name },
      responseElements: { accessKey: { accessKeyId: newKey, status: 'Active', userName: victim.name, createDate: javaDate(c.time) } },
    }));
    first.call(createKey, 'us-east-1', {}, [5, 20]);

    // Minutes later, the new key at work.
    clock.after(60, 240);
    const identity = { ...iamUserKey(acct, victim), accessKeyId: newKey };
    const second = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock });
    second.call(action('sts:GetCallerIdentity'), 'us-east-1');
    second.call(action('iam:GetUser'), 'us-east-1', { body: { requestParameters: null } });
    second.call(action('s3:ListBuckets'), 'us-east-1', {}, [5, 30]);
    second.call(action('ec2:DescribeInstances'), 'eu-west-1', {}, [5, 30]);
    second.call(action('ec2:DescribeInstances'), 'us-east-1');
    second.call(action('secretsmanager:ListSecrets'), 'eu-west-1', {}, [10, 60]);
    for (const s of acct.regions['eu-west-1'].secrets) {
      second.call(action('secretsmanager:GetSecretValue'), 'eu-west-1', { body: { requestParameters: { secretId: s.arn } } }, [3, 20]);
    }
    return {
      records: [...first.records, ...second.records],
      account: acct.account.id,
      principal: attacker.arn!,
      sourceIPAddress: ip,
      details: { targetUser: victim.name, newAccessKeyId: newKey },
    };
  },
};
