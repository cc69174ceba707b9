// Resource hijacking: staging's load-tester key, used from an unknown address, launches
// GPU instances in three regions. Off hours is where the scenario is placed, not a
// property of the attack itself (placement is the generator's, and a night can be further
// away than an attack's share of a short range): a range that covers only a night, as the
// runbook test generates, puts it at night.
import { api } from '../action';
import { iamUserKey } from '../identities';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { runInstancesBody } from '../services/ec2';
import { MINUTE } from '../time';
import type { Region } from '../types';
import { Clock, caller, type Attack } from './common';

export const GPU_INSTANCE_TYPE = 'p3.8xlarge';

const RUN_GPU = api('ec2.amazonaws.com', 'RunInstances', { version: '1.10' }, (c) =>
  runInstancesBody(c, {
    instanceType: GPU_INSTANCE_TYPE,
    count: 4,
    blockDeviceMapping: { items: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 200, deleteOnTermination: true } }] },
    groupSet: { items: [] },
    privateIp: false,
  }),
);

export const ec2OffHoursLaunch: Attack = {
  name: 'ec2-off-hours-launch',
  description: `RunInstances of ${GPU_INSTANCE_TYPE} in three regions within minutes, by staging's load-tester key from an unknown address`,
  duration: 8 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'staging');
    const identity = iamUserKey(acct, user(acct, 'load-tester'));
    const ip = ATTACKER_IPS[3];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as Region[]) call(RUN_GPU, region, {}, [20, 90]);
    return {
      records,
      account: acct.account.id,
      principal: identity.arn!,
      sourceIPAddress: ip,
      details: { instanceType: GPU_INSTANCE_TYPE },
    };
  },
};
