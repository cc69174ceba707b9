// Defense evasion beyond CloudTrail: with a stolen long-term key, the attacker hides
// GuardDuty's view of their address (a trusted IP set, a filter that archives what is
// left), stops AWS Config recording, suppresses Security Hub's findings in bulk, deletes
// the SSM session log group and turns off S3 server access logging on the data lake.
import { api, type Ctx } from '../action';
import { iamUserKey } from '../identities';
import { hex, uuid } from '../ids';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { bucketBody } from '../services/s3';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

const GD = 'guardduty.amazonaws.com';
// A detector id is 32 hex digits, one per account and region.
const detectorId = (c: Ctx) => `${c.acct.account.id}4c7e1a92b0d3e5f6a7b8`;

const LIST_DETECTORS = api(GD, 'ListDetectors', {}, (c) => ({
  requestParameters: { maxResults: 50 },
  responseElements: { detectorIds: [detectorId(c)] },
}));
const CREATE_IP_SET = api(GD, 'CreateIPSet', { version: '1.08' }, (c) => ({
  requestParameters: {
    detectorId: detectorId(c),
    name: 'corp-egress',
    format: 'TXT',
    location: 'https://s3.amazonaws.com/kestrel-prod-uploads-euw1/tmp/allow.txt',
    activate: true,
    clientToken: uuid(c.rng),
  },
  responseElements: { ipSetId: hex(c.rng, 32) },
}));
const CREATE_FILTER = api(GD, 'CreateFilter', { version: '1.08' }, (c) => ({
  requestParameters: {
    detectorId: detectorId(c),
    name: 'suppress-noise',
    action: 'ARCHIVE',
    rank: 1,
    findingCriteria: { criterion: { severity: { gte: 0 } } },
    clientToken: uuid(c.rng),
  },
  responseElements: { name: 'suppress-noise' },
}));
const STOP_RECORDER = api('config.amazonaws.com', 'StopConfigurationRecorder', { version: '1.08' }, () => ({
  requestParameters: { configurationRecorderName: 'default' },
}));
const SUPPRESS_FINDINGS = api('securityhub.amazonaws.com', 'BatchUpdateFindings', { version: '1.08' }, (c) => {
  const ids = Array.from({ length: 25 }, () => ({
    Id: `arn:aws:securityhub:${c.region}:${c.acct.account.id}:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.19/finding/${uuid(c.rng)}`,
    ProductArn: `arn:aws:securityhub:${c.region}::product/aws/securityhub`,
  }));
  return {
    requestParameters: { FindingIdentifiers: ids, Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'accepted risk', UpdatedBy: 'ops' } },
    responseElements: { ProcessedFindings: ids, UnprocessedFindings: [] },
  };
});
const DELETE_LOG_GROUP = api('logs.amazonaws.com', 'DeleteLogGroup', {}, () => ({
  requestParameters: { logGroupName: '/aws/ssm/session-logs' },
}));
const LOGGING_OFF = api('s3.amazonaws.com', 'PutBucketLogging', { version: '1.10' }, (c) =>
  bucketBody(
    c,
    c.res.buckets.find((b) => b.purpose === 'data-lake')!,
    {
      logging: '',
      BucketLoggingStatus: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
    },
  ),
);

export const securityToolingOff: Attack = {
  name: 'security-tooling-off',
  description:
    "GuardDuty trusted IP set and archive filter, Config recorder stopped, 25 Security Hub findings suppressed, a log group deleted and the data lake's access logging turned off, with prod's metrics-exporter key from an unknown address",
  duration: 12 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = iamUserKey(acct, user(acct, 'metrics-exporter'));
    const ip = ATTACKER_IPS[2];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    call(action('sts:GetCallerIdentity'), 'us-east-1');
    call(LIST_DETECTORS, 'eu-west-1', {}, [5, 20]);
    call(CREATE_IP_SET, 'eu-west-1', {}, [10, 40]);
    call(CREATE_FILTER, 'eu-west-1', {}, [10, 40]);
    call(STOP_RECORDER, 'eu-west-1', {}, [10, 40]);
    call(SUPPRESS_FINDINGS, 'eu-west-1', {}, [10, 40]);
    call(DELETE_LOG_GROUP, 'eu-west-1', {}, [10, 40]);
    call(LOGGING_OFF, 'eu-west-1', {}, [10, 40]);
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip };
  },
};
