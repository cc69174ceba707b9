// Collection from a sensitive bucket: prod's backup-agent key, used from an unknown
// address, downloads database dumps from the backups bucket and files from the data
// lake. Only object reads (data events), so a detection on the buckets and the address
// finds every event of the scenario.
import { iamUserKey } from '../identities';
import { ATTACKER_IPS, AGENTS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const S3_EXFIL_OBJECTS = { backups: 20, 'data-lake': 5 } as const;

export const s3ExfilUntrustedIp: Attack = {
  name: 's3-exfil-untrusted-ip',
  description: `GetObject of ${S3_EXFIL_OBJECTS.backups} backups and ${S3_EXFIL_OBJECTS['data-lake']} data-lake files in prod eu-west-1 with the backup-agent key from an unknown address`,
  duration: 6 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = iamUserKey(acct, user(acct, 'backup-agent'));
    const ip = ATTACKER_IPS[0];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    const get = action('s3:GetObject');
    for (const [purpose, n] of Object.entries(S3_EXFIL_OBJECTS)) {
      // The bucket is chosen by purpose, as for the background's workloads.
      for (let i = 0; i < n; i++) call(get, 'eu-west-1', { attrs: { bucketPurposes: [purpose as 'backups' | 'data-lake'] } }, [0.5, 4]);
    }
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip };
  },
};
