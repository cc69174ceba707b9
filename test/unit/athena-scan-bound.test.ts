// The cost bound before an Athena query, through the real @aws-sdk/client-s3 over real HTTP
// with SigV4 against a local S3 (ListObjectsV2 over folders): the window's day folders (the
// late day included) for the accounts and regions named, their sizes added; paging past
// 1000 keys; a refused listing said as the permission to grant.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { partitionValues, scanBound, scanPrefixes } from '../../src/sources/athena/scanBound';
import { describeTable } from '../../src/sources/athena/tableInfo';
import { windowDays } from '../../src/sources/athena/partitions';
import { explainAthenaError } from '../../src/sources/athena/errors';
import { generateTrail } from '../../src/testbed/loggen';
import { startS3ListingEndpoint, type S3ListingEndpoint } from '../../src/testbed/s3Listing';
import { tempDir } from '../support/tempDir';

const trail = join(tempDir('trailbook-scan-'), 'trail');
const many = tempDir('trailbook-scan-many-');
let s3: S3ListingEndpoint;
let denied: S3ListingEndpoint;

before(async () => {
  await generateTrail({ outDir: trail, events: 800, seed: 5, days: 3 });
  const day = join(many, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2025', '03', '04');
  mkdirSync(day, { recursive: true });
  for (let i = 0; i < 1234; i += 1) writeFileSync(join(day, `f${String(i).padStart(5, '0')}.json.gz`), 'x'.repeat(i % 7));
  s3 = await startS3ListingEndpoint({ buckets: { 'org-trail': trail, 'many-files': many } });
  denied = await startS3ListingEndpoint({ buckets: { 'org-trail': trail }, denied: true });
});
after(async () => {
  await s3?.close();
  await denied?.close();
});

const client = (e: S3ListingEndpoint): S3Client => new S3Client({ endpoint: e.url, region: e.region, credentials: e.credentials, forcePathStyle: true, maxAttempts: 1 });

/** The bytes under each folder, read from the disk: what the listing must add up to. */
function bytesUnder(folder: string): number {
  let total = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else total += info.size;
    }
  };
  try {
    walk(folder);
  } catch {
    // A day with no folder holds nothing.
  }
  return total;
}

const layout = (accounts: string, regions: string) =>
  describeTable({
    Name: 'cloudtrail_logs',
    PartitionKeys: [{ Name: 'account' }, { Name: 'region' }, { Name: 'timestamp' }],
    Parameters: {
      'projection.account.type': 'enum',
      'projection.account.values': accounts,
      'projection.region.type': 'enum',
      'projection.region.values': regions,
      'storage.location.template': 's3://org-trail/AWSLogs/${account}/CloudTrail/${region}/${timestamp}',
    },
  });

test('the bound is the bytes of the window\'s day folders (one late day included), for the accounts and regions read', async () => {
  const account = readdirSync(join(trail, 'AWSLogs'))[0]!;
  const regions = readdirSync(join(trail, 'AWSLogs', account, 'CloudTrail'));
  assert.ok(regions.length > 1, 'the generated trail spans several regions');
  const info = layout(account, regions.join(','));
  // One day of the trail, so the late day (the next) counts too, and the day before does not.
  const window = { start: new Date('2025-03-04T00:00:00Z'), end: new Date('2025-03-05T00:00:00Z') };
  const days = windowDays(window);
  assert.deepEqual(days, ['2025/03/04', '2025/03/05']);
  const expected = (rs: readonly string[]) => rs.flatMap((r) => days.map((d) => bytesUnder(join(trail, 'AWSLogs', account, 'CloudTrail', r, ...d.split('/'))))).reduce((a, b) => a + b, 0);

  const all = await scanBound(client(s3), scanPrefixes(info.locationTemplate!, partitionValues(info, days, {})));
  assert.equal(all.bytes, expected(regions));
  assert.ok(all.bytes > 0 && all.bytes < bytesUnder(trail), 'a part of the trail, not all of it');
  assert.equal(all.prefixes, regions.length * days.length);

  const one = await scanBound(client(s3), scanPrefixes(info.locationTemplate!, partitionValues(info, days, { regions: [regions[0]!] })));
  assert.equal(one.bytes, expected([regions[0]!]));
  assert.ok(one.bytes < all.bytes);
});

test('a folder of more than 1000 objects is listed page by page', async () => {
  const info = describeTable({ Name: 't', PartitionKeys: [{ Name: 'timestamp' }], Parameters: { 'storage.location.template': 's3://many-files/AWSLogs/111122223333/CloudTrail/us-east-1/${timestamp}' } });
  const before = s3.calls.length;
  const bound = await scanBound(client(s3), scanPrefixes(info.locationTemplate!, partitionValues(info, ['2025/03/04'], {})));
  assert.equal(bound.objects, 1234);
  assert.equal(bound.bytes, Array.from({ length: 1234 }, (_, i) => i % 7).reduce((a, b) => a + b, 0));
  assert.deepEqual(s3.calls.slice(before).map((c) => c.continued), [false, true]);
});

test('a refused listing names the permission: s3:ListBucket on the log bucket', async () => {
  const info = layout('111122223333', 'us-east-1');
  const error = await scanBound(client(denied), scanPrefixes(info.locationTemplate!, partitionValues(info, ['2025/03/04'], {}))).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error, 'the listing was refused');
  assert.match(
    explainAthenaError(error, { step: 'ListObjectsV2', where: 'workgroup primary', tableSetting: '--athena-table', workgroupSetting: '--athena-workgroup' }),
    /^Athena ListObjectsV2 was denied \(workgroup primary\): grant s3:ListBucket on the log bucket \(the cost bound lists the day folders\) to the identity used/,
  );
});

test('a request with another key is refused, as S3 refuses it', async () => {
  const wrong = new S3Client({ endpoint: s3.url, region: s3.region, credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) }, forcePathStyle: true, maxAttempts: 1 });
  await assert.rejects(scanBound(wrong, ['s3://org-trail/AWSLogs/']), (e: Error) => e.name === 'SignatureDoesNotMatch');
});
