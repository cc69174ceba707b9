// Credential access: the web app's instance-profile credentials, taken through an SSRF to
// the instance metadata service, used from a laptop outside AWS: who am I, what can I
// reach, then the secrets the role can read. The session is the instance's own
// (assumed-role/web-app-instance-role/i-…, IMDSv2 delivery), the address and agent are not.
import { assumedRole, newSessionKey } from '../identities';
import { ATTACKER_IPS, cliAgent } from '../network';
import { accountByName, role } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';
import { nth } from '../nth';

const MAC_CLI = (command: string) => cliAgent('2.22.8', 'macos#24.1.0 md/arch#arm64', command);

export const instanceCredentialsExfil: Attack = {
  name: 'instance-credentials-exfil',
  description:
    "prod's web-app-instance-role session of an eu-west-1 instance (i-…) used from an unknown address with a macOS AWS CLI: identity, buckets, instances, then secrets",
  duration: 15 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const instance = nth(acct.regions['eu-west-1'].instances, 0, 'eu-west-1 instance');
    // The credentials were minted for the instance shortly before they were stolen.
    const identity = assumedRole(acct, role(acct, 'web-app-instance-role'), instance.id, newSessionKey(rng), t0 - 20 * MINUTE, {
      ec2: true,
    });
    const ip = ATTACKER_IPS[3];
    const clock = new Clock(t0, rng);
    const { call, records } = caller({ rng, acct, identity, ip, ua: MAC_CLI('sts.get-caller-identity'), clock });
    call(action('sts:GetCallerIdentity'), 'eu-west-1');
    call(action('s3:ListBuckets'), 'us-east-1', { ua: MAC_CLI('s3.ls') }, [10, 40]);
    call(action('ec2:DescribeInstances'), 'eu-west-1', { ua: MAC_CLI('ec2.describe-instances') }, [10, 40]);
    call(action('secretsmanager:ListSecrets'), 'eu-west-1', { ua: MAC_CLI('secretsmanager.list-secrets') }, [10, 60]);
    for (const s of acct.regions['eu-west-1'].secrets) {
      call(
        action('secretsmanager:GetSecretValue'),
        'eu-west-1',
        { ua: MAC_CLI('secretsmanager.get-secret-value'), body: { requestParameters: { secretId: s.name } } },
        [5, 30],
      );
    }
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip, details: { instanceId: instance.id } };
  },
};
