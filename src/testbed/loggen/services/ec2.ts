// EC2: mostly Describe* (consoles, Terraform, AWS Config and agents poll constantly),
// a few lifecycle writes. EC2 never logs the body of a Describe response.
import { api, type Ctx } from '../action';
import { ec2Id, uuid } from '../ids';

const S = 'ec2.amazonaws.com';
const V = '1.10';
const empty = {};

const instanceOf = (c: Ctx) => c.attrs.instance ?? c.rng.pick(c.res.instances);

/** An ingress rule the organisation considers normal: from its own networks only. */
export function ingressRule(c: Ctx): { port: number; cidr: string; description: string } {
  return c.rng.pick([
    { port: 443, cidr: `${c.acct.cidr}.0.0/16`, description: 'vpc internal https' },
    { port: 5432, cidr: `${c.acct.cidr}.0.0/16`, description: 'app to rds' },
    { port: 443, cidr: '203.0.113.0/24', description: 'paris office' },
    { port: 22, cidr: '192.0.2.0/24', description: 'corporate vpn ssh' },
  ]);
}

export function ingressBody(c: Ctx, groupId: string, port: number, cidr: string, description?: string) {
  const range: Record<string, string> = { cidrIp: cidr };
  if (description) range.description = description;
  return {
    requestParameters: {
      groupId,
      ipPermissions: {
        items: [
          { ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: { items: [range] }, ipv6Ranges: {}, prefixListIds: {} },
        ],
      },
    },
    responseElements: {
      requestId: c.requestId,
      _return: true,
      securityGroupRuleSet: {
        items: [
          {
            groupOwnerId: c.acct.account.id,
            groupId,
            securityGroupRuleId: ec2Id(c.rng, 'sgr'),
            isEgress: false,
            ipProtocol: 'tcp',
            fromPort: port,
            toPort: port,
            cidrIpv4: cidr,
          },
        ],
      },
    },
  };
}

const stateChange = (c: Ctx, id: string, from: [number, string], to: [number, string]) => ({
  requestParameters: { instancesSet: { items: [{ instanceId: id }] }, force: false },
  responseElements: {
    requestId: c.requestId,
    instancesSet: {
      items: [{ instanceId: id, currentState: { code: to[0], name: to[1] }, previousState: { code: from[0], name: from[1] } }],
    },
  },
});

/** A RunInstances request and its answer: one reservation of `count` instances, the first listed. */
export function runInstancesBody(
  c: Ctx,
  o: { instanceType: string; count: number; blockDeviceMapping: object; groupSet: object; privateIp: boolean },
) {
  const imageId = c.rng.pick(c.res.images);
  const subnetId = c.rng.pick(c.res.subnets);
  return {
    requestParameters: {
      instancesSet: { items: [{ imageId, minCount: o.count, maxCount: o.count }] },
      instanceType: o.instanceType,
      blockDeviceMapping: o.blockDeviceMapping,
      monitoring: { enabled: false },
      disableApiTermination: false,
      subnetId,
      clientToken: uuid(c.rng),
    },
    responseElements: {
      requestId: c.requestId,
      reservationId: ec2Id(c.rng, 'r'),
      ownerId: c.acct.account.id,
      groupSet: o.groupSet,
      instancesSet: {
        items: [
          {
            instanceId: ec2Id(c.rng, 'i'),
            imageId,
            instanceState: { code: 0, name: 'pending' },
            instanceType: o.instanceType,
            launchTime: c.time,
            subnetId,
            vpcId: c.res.vpcId,
            ...(o.privateIp ? { privateIpAddress: `${c.acct.cidr}.${c.rng.range(0, 31)}.${c.rng.range(4, 250)}` } : {}),
          },
        ],
      },
    },
  };
}

export const EC2 = [
  api(S, 'DescribeInstances', { version: V }, (c) =>
    c.rng.chance(0.3)
      ? { requestParameters: { instancesSet: { items: [{ instanceId: instanceOf(c).id }] }, filterSet: empty } }
      : { requestParameters: { instancesSet: empty, filterSet: empty } },
  ),
  api(S, 'DescribeInstanceStatus', { version: V }, () => ({
    requestParameters: { instancesSet: empty, filterSet: empty, includeAllInstances: false },
  })),
  api(S, 'DescribeSecurityGroups', { version: V }, () => ({
    requestParameters: { securityGroupSet: empty, securityGroupIdSet: empty, filterSet: empty },
  })),
  api(S, 'DescribeSecurityGroupRules', { version: V }, (c) => ({
    requestParameters: {
      DescribeSecurityGroupRulesRequest: {
        Filter: { Name: 'group-id', Value: { content: c.rng.pick(c.res.securityGroups).id, tag: 1 }, tag: 1 },
      },
    },
  })),
  api(S, 'DescribeVolumes', { version: V }, () => ({ requestParameters: { volumeSet: empty, filterSet: empty } })),
  api(S, 'DescribeSubnets', { version: V }, () => ({ requestParameters: { subnetSet: empty, filterSet: empty } })),
  api(S, 'DescribeVpcs', { version: V }, () => ({ requestParameters: { vpcSet: empty, filterSet: empty } })),
  api(S, 'DescribeNetworkInterfaces', { version: V }, () => ({
    requestParameters: { networkInterfaceIdSet: empty, filterSet: empty },
  })),
  api(S, 'DescribeImages', { version: V }, () => ({
    requestParameters: { executableBySet: empty, imagesSet: empty, ownersSet: { items: [{ owner: 'self' }] }, filterSet: empty },
  })),
  api(S, 'DescribeSnapshots', { version: V }, (c) => ({
    requestParameters: {
      snapshotSet: empty,
      ownersSet: { items: [{ owner: c.acct.account.id }] },
      restorableBySet: empty,
      filterSet: empty,
    },
  })),
  api(S, 'DescribeTags', { version: V }, (c) => ({
    requestParameters: {
      filterSet: { items: [{ name: 'resource-id', valueSet: { items: [{ value: instanceOf(c).id }] } }] },
    },
  })),
  api(S, 'DescribeRegions', { version: V }, () => ({ requestParameters: { regionSet: empty, allRegions: false } })),
  api(S, 'DescribeAvailabilityZones', { version: V }, () => ({
    requestParameters: { availabilityZoneSet: empty, availabilityZoneIdSet: empty },
  })),
  api(S, 'DescribeAddresses', { version: V }, () => ({
    requestParameters: { publicIpsSet: empty, allocationIdsSet: empty, filterSet: empty },
  })),
  api(S, 'DescribeLaunchTemplates', { version: V }, () => ({ requestParameters: { DescribeLaunchTemplatesRequest: '' } })),
  api(S, 'StartInstances', { version: V }, (c) => stateChange(c, instanceOf(c).id, [80, 'stopped'], [0, 'pending'])),
  api(S, 'StopInstances', { version: V }, (c) => stateChange(c, instanceOf(c).id, [16, 'running'], [64, 'stopping'])),
  api(S, 'RebootInstances', { version: V }, (c) => ({
    requestParameters: { instancesSet: { items: [{ instanceId: instanceOf(c).id }] } },
    responseElements: { requestId: c.requestId, _return: true },
  })),
  api(S, 'CreateTags', { version: V }, (c) => ({
    requestParameters: {
      resourcesSet: { items: [{ resourceId: instanceOf(c).id }] },
      tagSet: {
        items: [
          {
            key: c.rng.pick(['Owner', 'CostCenter', 'Patch-Group', 'Environment']),
            value: c.rng.pick(['platform', 'cc-1042', 'weekly', c.acct.account.name]),
          },
        ],
      },
    },
    responseElements: { requestId: c.requestId, _return: true },
  })),
  api(S, 'CreateSnapshot', { version: V }, (c) => {
    const volumeId = c.rng.pick(c.res.volumes);
    return {
      requestParameters: { volumeId, description: `backup-agent ${volumeId}` },
      responseElements: {
        requestId: c.requestId,
        snapshotId: ec2Id(c.rng, 'snap'),
        volumeId,
        status: 'pending',
        startTime: c.time,
        progress: '',
        ownerId: c.acct.account.id,
        volumeSize: c.rng.pick([20, 50, 100]),
        encrypted: true,
      },
    };
  }),
  api(S, 'DeleteSnapshot', { version: V }, (c) => ({
    requestParameters: { snapshotId: c.rng.pick(c.res.snapshots) },
    responseElements: { requestId: c.requestId, _return: true },
  })),
  api(S, 'AuthorizeSecurityGroupIngress', { version: V }, (c) => {
    const rule = ingressRule(c);
    return ingressBody(c, c.rng.pick(c.res.securityGroups).id, rule.port, rule.cidr, rule.description);
  }),
  api(S, 'RunInstances', { version: V }, (c) => {
    const instanceType = c.rng.pick(['t3.medium', 'm6i.large']);
    return runInstancesBody(c, { instanceType, count: 1, blockDeviceMapping: empty, groupSet: empty, privateIp: true });
  }),
];
