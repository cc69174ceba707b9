// Discovery with stolen credentials: the prod orders-processor Lambda role's keys,
// used from outside AWS, try to list everything in several regions; the role is
// scoped to its job, so nearly every call is denied, across many services.
import { api, type ActionDef } from '../action';
import { assumedRole, newSessionKey } from '../identities';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, role } from '../org';
import { action } from '../services/index';
import { MINUTE } from '../time';
import type { Region } from '../types';
import { Clock, caller, type Attack } from './common';

// Services outside the background catalogue, called only by this enumeration.
const EXTRA: ActionDef[] = [
  api('organizations.amazonaws.com', 'DescribeOrganization', { global: true }, () => ({ requestParameters: null })),
  api('guardduty.amazonaws.com', 'ListDetectors', {}, () => ({ requestParameters: null })),
  api('sns.amazonaws.com', 'ListTopics', {}, () => ({ requestParameters: null })),
  api('sqs.amazonaws.com', 'ListQueues', {}, () => ({ requestParameters: null })),
  api('ecs.amazonaws.com', 'ListClusters', {}, () => ({ requestParameters: null })),
  api('eks.amazonaws.com', 'ListClusters', {}, () => ({ requestParameters: null })),
  api('cloudformation.amazonaws.com', 'DescribeStacks', {}, () => ({ requestParameters: null })),
];

const PROBES = [
  'iam:ListUsers',
  'iam:ListRoles',
  'iam:ListPolicies',
  'iam:GetAccountSummary',
  'iam:ListGroups',
  's3:ListBuckets',
  'ec2:DescribeInstances',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVpcs',
  'ec2:DescribeSnapshots',
  'ec2:DescribeVolumes',
  'secretsmanager:ListSecrets',
  'kms:ListKeys',
  'kms:ListAliases',
  'lambda:ListFunctions20150331',
  'dynamodb:ListTables',
  'rds:DescribeDBInstances',
  'ssm:DescribeParameters',
  'logs:DescribeLogGroups',
  'cloudtrail:DescribeTrails',
  'monitoring:DescribeAlarms',
  'ecr:DescribeRepositories',
];

export const accessDeniedEnumeration: Attack = {
  name: 'access-denied-enumeration',
  description:
    'About 50 list/describe calls across 20+ services in two regions, nearly all denied, by the prod orders-processor Lambda role used from an unknown address',
  duration: 6 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = assumedRole(acct, role(acct, 'orders-processor-role'), 'orders-processor', newSessionKey(rng), t0 - 20 * MINUTE);
    const ip = ATTACKER_IPS[1];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    call(action('sts:GetCallerIdentity'), 'us-east-1');
    const regions: Region[] = ['eu-west-1', 'us-east-1'];
    for (const def of [...PROBES.map(action), ...EXTRA]) {
      for (const region of def.global ? (['us-east-1'] as Region[]) : regions) {
        call(def, region, { error: 'denied' }, [0.5, 3]);
      }
    }
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip };
  },
};
