// Resource hijacking: staging's load-tester key, used from an unknown address, launches
// GPU instances in three regions. Off hours is where the scenario is placed, not a
// property of the attack itself (placement is the generator's, and a night can be further
// away than an attack's share of a short range): a range that covers only a night, as the
// runbook test generates, puts it at night.
import { api } from '../action';
import { iamUserKey } from '../identities';
import { ec2Id, uuid } from '../ids';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { MINUTE } from '../time';
import type { Region } from '../types';
import { Clock, caller, type Attack } from './common';

export const GPU_INSTANCE_TYPE = 'p3.8xlarge';

const RUN_GPU = api('ec2.amazonaws.com', 'RunInstances', { version: '1.10' }, (c) => {
  const imageId = c.rng.pick(c.res.images);
  const subnetId = c.rng.pick(c.res.subnets);
  return {
    requestParameters: {
      instancesSet: { items: [{ imageId, minCount: 4, maxCount: 4 }] },
      instanceType: GPU_INSTANCE_TYPE,
      blockDeviceMapping: { items: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 200, deleteOnTermination: true } }] },
      monitoring: { enabled: false },
      disableApiTermination: false,
      subnetId,
      clientToken: uuid(c.rng),
    },
    responseElements: {
      requestId: c.requestId,
      reservationId: ec2Id(c.rng, 'r'),
      ownerId: c.acct.account.id,
      groupSet: { items: [] },
      instancesSet: {
        items: [{ instanceId: ec2Id(c.rng, 'i'), imageId, instanceState: { code: 0, name: 'pending' }, instanceType: GPU_INSTANCE_TYPE, launchTime: c.time, subnetId, vpcId: c.res.vpcId }],
      },
    },
  };
});

export const ec2OffHoursLaunch: Attack = {
  name: 'ec2-off-hours-launch',
  description: `RunInstances of ${GPU_INSTANCE_TYPE} in three regions within minutes, by staging's load-tester key from an unknown address`,
  duration: 8 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'staging');
    const identity = iamUserKey(acct, user(acct, 'load-tester'));
    const ip = ATTACKER_IPS[3]!;
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as Region[]) call(RUN_GPU, region, {}, [20, 90]);
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip, details: { instanceType: GPU_INSTANCE_TYPE } };
  },
};
