// S3: object-level data events (GetObject, PutObject…: eventCategory Data,
// managementEvent false, the bulk of a busy trail) and bucket-level management calls.
import { api, pickBucket, type Body, type Ctx } from '../action';
import { base64ish, hex } from '../ids';
import type { Bucket } from '../org';
import { isoDay } from '../time';
import type { Resource } from '../types';

const S = 's3.amazonaws.com';

/** An object key shaped like what each kind of bucket holds. */
function objectKey(c: Ctx, b: Bucket): string {
  const d = isoDay(c.time);
  const day = `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}`;
  const r = c.rng;
  switch (b.purpose) {
    case 'assets':
      return `static/${r.pick(['img', 'css', 'js', 'fonts'])}/${r.pick(['product', 'banner', 'app', 'vendor'])}-${r.range(1, 400)}.${r.pick(['webp', 'css', 'js', 'woff2'])}`;
    case 'uploads':
      return `users/${r.range(10000, 99999)}/${day}/${hex(r, 12)}.${r.pick(['jpg', 'png', 'pdf'])}`;
    case 'data-lake':
      return `raw/orders/dt=${d}/part-${String(r.range(0, 63)).padStart(5, '0')}.snappy.parquet`;
    case 'backups':
      return `db/${day}/orders-${r.range(0, 23)}.sql.gz`;
    case 'artifacts':
      return `builds/${r.pick(['api', 'web', 'worker'])}/${hex(r, 12)}.zip`;
    case 'partner-exchange':
      return `inbound/${r.pick(['acme-logistics', 'globex'])}/${day}/manifest-${r.range(1, 40)}.csv`;
    case 'cloudtrail-logs':
      return `AWSLogs/${c.acct.account.id}/CloudTrail/${c.region}/${day}/digest.json.gz`;
  }
}

/** What S3 adds to every event it logs; the field order is S3's own. */
export function s3RequestData(c: Ctx, bytesIn: number, bytesOut: number): Record<string, unknown> {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': base64ish(c.rng, 76),
    bytesTransferredOut: bytesOut,
  };
}

function objectCall(c: Ctx, bytesIn: number, bytesOut: number, withKey = true): Body {
  const b = pickBucket(c)!;
  const host = `${b.name}.s3.${c.region}.amazonaws.com`;
  const key = objectKey(c, b);
  const resources: Resource[] = withKey
    ? [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${b.name}/${key}` },
        { accountId: c.acct.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b.name}` },
      ]
    : [{ accountId: c.acct.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b.name}` }];
  return {
    requestParameters: withKey ? { bucketName: b.name, Host: host, key } : { bucketName: b.name, Host: host, 'list-type': '2', prefix: '' },
    resources,
    additionalEventData: s3RequestData(c, bytesIn, bytesOut),
    host,
  };
}

function bucketCall(c: Ctx, extra: Record<string, unknown>): Body {
  return bucketBody(c, pickBucket(c)!, extra);
}

/** A bucket-level call on bucket `b` (attacks name theirs). */
export function bucketBody(c: Ctx, b: Bucket, extra: Record<string, unknown>): Body {
  const host = `${b.name}.s3.${c.region}.amazonaws.com`;
  return {
    requestParameters: { bucketName: b.name, Host: host, ...extra },
    resources: [{ accountId: c.acct.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b.name}` }],
    additionalEventData: s3RequestData(c, 0, 0),
    host,
  };
}

const noSuchKey = () => ['NoSuchKey', 'The specified key does not exist.'] as const;

export const S3 = [
  api(S, 'GetObject', { data: true, version: '1.10', notFoundRate: 0.02, notFound: noSuchKey }, (c) =>
    objectCall(c, 0, c.rng.range(300, 5_000_000)),
  ),
  api(S, 'HeadObject', { data: true, version: '1.10', notFoundRate: 0.05, notFound: noSuchKey }, (c) => objectCall(c, 0, 0)),
  api(S, 'PutObject', { data: true, version: '1.10' }, (c) => {
    const body = objectCall(c, c.rng.range(200, 8_000_000), 0);
    body.responseElements = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-bucket-key-enabled': 'true' };
    return body;
  }),
  api(S, 'DeleteObject', { data: true, version: '1.10' }, (c) => objectCall(c, 0, 0)),
  api(S, 'ListObjects', { data: true, version: '1.10' }, (c) => objectCall(c, 0, 0, false)),
  // ListBuckets goes to the global endpoint, so it is logged in us-east-1.
  api(S, 'ListBuckets', { global: true, version: '1.10' }, (c) => ({
    requestParameters: { Host: 's3.amazonaws.com' },
    additionalEventData: s3RequestData(c, 0, 0),
    host: 's3.amazonaws.com',
  })),
  api(S, 'GetBucketAcl', { version: '1.10' }, (c) => bucketCall(c, { acl: '' })),
  api(S, 'GetBucketPolicy', { version: '1.10' }, (c) => bucketCall(c, { policy: '' })),
  api(S, 'GetBucketLocation', { version: '1.10' }, (c) => bucketCall(c, { location: '' })),
  api(S, 'GetBucketVersioning', { version: '1.10' }, (c) => bucketCall(c, { versioning: '' })),
  api(S, 'GetBucketEncryption', { version: '1.10' }, (c) => bucketCall(c, { encryption: '' })),
  api(S, 'GetBucketPublicAccessBlock', { version: '1.10' }, (c) => bucketCall(c, { publicAccessBlock: '' })),
  api(S, 'GetBucketTagging', { version: '1.10' }, (c) => bucketCall(c, { tagging: '' })),
  api(S, 'PutBucketTagging', { version: '1.10' }, (c) =>
    bucketCall(c, {
      tagging: '',
      Tagging: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', TagSet: { Tag: [{ Key: 'Owner', Value: 'platform' }] } },
    }),
  ),
];
