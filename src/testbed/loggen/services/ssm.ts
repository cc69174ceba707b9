// Systems Manager: the agent on every instance reports in (UpdateInstanceInformation,
// ListInstanceAssociations); applications read parameters; people open sessions.
import { api, type Ctx } from '../action';
import { hex } from '../ids';
import { azId } from '../org';

const S = 'ssm.amazonaws.com';

const instanceOf = (c: Ctx) => c.attrs.instance ?? c.rng.pick(c.res.instances);
const paramNotFound = () => ['ParameterNotFound', ''] as const;

export const SSM = [
  api(S, 'UpdateInstanceInformation', { readOnly: false }, (c) => {
    const i = instanceOf(c);
    return {
      requestParameters: {
        instanceId: i.id,
        agentVersion: '3.3.987.0',
        agentStatus: 'Active',
        platformType: 'Linux',
        platformName: 'Amazon Linux',
        platformVersion: '2023',
        iPAddress: i.privateIp,
        computerName: `ip-${i.privateIp.replace(/\./g, '-')}.${c.region}.compute.internal`,
        agentName: 'amazon-ssm-agent',
        availabilityZone: i.az,
        availabilityZoneId: azId(i.az),
      },
    };
  }),
  api(S, 'ListInstanceAssociations', {}, (c) => ({ requestParameters: { instanceId: instanceOf(c).id, maxResults: 50 } })),
  api(S, 'GetParameter', { notFoundRate: 0.01, notFound: paramNotFound }, (c) => ({
    requestParameters: { name: c.rng.pick(c.res.parameters), withDecryption: true },
  })),
  api(S, 'GetParameters', {}, (c) => ({
    requestParameters: { names: [c.rng.pick(c.res.parameters), c.rng.pick(c.res.parameters)], withDecryption: true },
  })),
  api(S, 'GetParametersByPath', {}, () => ({ requestParameters: { path: '/app/config', recursive: true, withDecryption: true } })),
  api(S, 'DescribeParameters', {}, () => ({ requestParameters: { maxResults: 50 } })),
  api(S, 'DescribeInstanceInformation', {}, () => ({ requestParameters: { maxResults: 50 } })),
  api(S, 'StartSession', { readOnly: false }, (c) => {
    const who = (c.identity.principalId ?? 'user').split(':').pop()!.replace(/@.*$/, '');
    const sessionId = `${who}-${hex(c.rng, 17)}`;
    return {
      requestParameters: { target: instanceOf(c).id },
      responseElements: {
        sessionId,
        tokenValue: 'Value hidden due to security reasons.',
        streamUrl: `wss://ssmmessages.${c.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=AAEAA${hex(c.rng, 24)}`,
      },
    };
  }),
];
