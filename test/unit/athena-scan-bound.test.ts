// The cost bound before an Athena query, through the real @aws-sdk/client-s3 over real HTTP
// with SigV4 against the local Athena endpoint's S3 (ListObjectsV2 over its log folder, the
// bucket trailbook-local-logs): the window's day folders (the late day included) for the
// accounts and regions named, their sizes added; paging past 1000 keys; a request signed
// with another key refused.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { partitionValues, scanBound, scanPrefixes } from '../../src/sources/athena/scanBound';
import { describeTable } from '../../src/sources/athena/tableInfo';
import { windowDays } from '../../src/sources/athena/partitions';
import { generateTrail } from '../../src/testbed/loggen';
import { duckdbBackend, startAthenaEndpoint, type AthenaEndpoint, type DuckDBBackend } from '../../src/testbed/athenaEndpoint';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const trail = join(tempDir('trailbook-scan-'), 'trail');
const many = tempDir('trailbook-scan-many-');
interface Bed {
  backend: DuckDBBackend;
  endpoint: AthenaEndpoint;
}
let s3: Bed;
let paged: Bed;

async function bed(logsDir: string): Promise<Bed> {
  const backend = await duckdbBackend({ logsPath: logsDir });
  return { backend, endpoint: await startAthenaEndpoint({ backend, logsDir }) };
}

before(async () => {
  await generateTrail({ outDir: trail, events: 800, seed: 5, days: 3 });
  const day = join(many, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2025', '03', '04');
  mkdirSync(day, { recursive: true });
  for (let i = 0; i < 1234; i += 1) writeFileSync(join(day, `f${String(i).padStart(5, '0')}.json`), `{"Records":[]}${' '.repeat(i % 7)}`);
  [s3, paged] = await Promise.all([bed(trail), bed(many)]);
});
after(async () => {
  for (const b of [s3, paged]) {
    await b?.endpoint.close();
    await b?.backend.close();
  }
});

const client = (b: Bed): S3Client =>
  new S3Client({
    endpoint: b.endpoint.url,
    region: b.endpoint.region,
    credentials: b.endpoint.credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });

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
      'storage.location.template': 's3://trailbook-local-logs/AWSLogs/${account}/CloudTrail/${region}/${timestamp}',
    },
  });

test("the bound is the bytes of the window's day folders (one late day included), for the accounts and regions read", async () => {
  const account = itemAt(readdirSync(join(trail, 'AWSLogs')), 0);
  const regions = readdirSync(join(trail, 'AWSLogs', account, 'CloudTrail'));
  assert.ok(regions.length > 1, 'the generated trail spans several regions');
  const info = layout(account, regions.join(','));
  // One day of the trail, so the late day (the next) counts too, and the day before does not.
  const window = { start: new Date('2025-03-04T00:00:00Z'), end: new Date('2025-03-05T00:00:00Z') };
  const days = windowDays(window);
  assert.deepEqual(days, ['2025/03/04', '2025/03/05']);
  const expected = (rs: readonly string[]) =>
    rs
      .flatMap((r) => days.map((d) => bytesUnder(join(trail, 'AWSLogs', account, 'CloudTrail', r, ...d.split('/')))))
      .reduce((a, b) => a + b, 0);

  const all = await scanBound(client(s3), scanPrefixes(info.locationTemplate!, partitionValues(info, days, {})));
  assert.equal(all.bytes, expected(regions));
  assert.ok(all.bytes > 0 && all.bytes < bytesUnder(trail), 'a part of the trail, not all of it');
  assert.equal(all.prefixes, regions.length * days.length);

  const one = await scanBound(
    client(s3),
    scanPrefixes(info.locationTemplate!, partitionValues(info, days, { regions: [itemAt(regions, 0)] })),
  );
  assert.equal(one.bytes, expected([itemAt(regions, 0)]));
  assert.ok(one.bytes < all.bytes);
});

test('a folder of more than 1000 objects is listed page by page', async () => {
  const info = describeTable({
    Name: 't',
    PartitionKeys: [{ Name: 'timestamp' }],
    Parameters: { 'storage.location.template': 's3://trailbook-local-logs/AWSLogs/111122223333/CloudTrail/us-east-1/${timestamp}' },
  });
  const listings = () => paged.endpoint.calls.filter((c) => c.action === 'ListObjectsV2').length;
  const before = listings();
  const bound = await scanBound(client(paged), scanPrefixes(info.locationTemplate!, partitionValues(info, ['2025/03/04'], {})));
  assert.equal(bound.objects, 1234);
  assert.equal(
    bound.bytes,
    Array.from({ length: 1234 }, (_, i) => 14 + (i % 7)).reduce((a, b) => a + b, 0),
  );
  assert.equal(listings() - before, 2);
});

test('a request with another key is refused, as S3 refuses it', async () => {
  const { endpoint } = s3;
  const wrong = new S3Client({
    endpoint: endpoint.url,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await assert.rejects(scanBound(wrong, ['s3://trailbook-local-logs/AWSLogs/']), (e: Error) => /Signature/.test(e.name));
});
