// `trailbook athena ddl`'s text: Athena's CloudTrail columns from the engine's schema,
// partition projection over the organisation's (or account's) folders, and every value
// the person gives checked before it is quoted into the DDL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloudTrailDdl, DdlInputError, parseBucket } from '../../src/sources/athena/ddl';
import { describeTable } from '../../src/sources/athena/tableInfo';

test('an organisation trail: account, region and day partitions projected under AWSLogs/o-ORG/', () => {
  const ddl = cloudTrailDdl({
    bucket: 's3://org-trail/central/',
    org: 'o-a1b2c3d4e5',
    accounts: ['111122223333', '444455556666'],
    regions: ['us-east-1', 'eu-west-1'],
  });
  assert.equal(ddl.table, 'default.cloudtrail_logs');
  assert.equal(ddl.location, 's3://org-trail/central/AWSLogs/o-a1b2c3d4e5/');
  const sql = ddl.sql;
  assert.match(
    sql,
    /^CREATE EXTERNAL TABLE IF NOT EXISTS `default`\.`cloudtrail_logs` \(\n  `eventversion` string,\n  `useridentity` struct<type:string,principalid:string,/,
  );
  assert.match(sql, /`resources` array<struct<arn:string,accountid:string,type:string>>,/);
  assert.match(sql, /`tlsdetails` struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>\n\)/);
  assert.match(sql, /PARTITIONED BY \(`account` string, `region` string, `timestamp` string\)/);
  assert.match(sql, /LOCATION 's3:\/\/org-trail\/central\/AWSLogs\/o-a1b2c3d4e5\/'/);
  assert.match(sql, /'projection.timestamp.format' = 'yyyy\/MM\/dd'/);
  assert.match(sql, /'projection.account.values' = '111122223333,444455556666'/);
  assert.match(sql, /'projection.region.values' = 'us-east-1,eu-west-1'/);
  assert.match(
    sql,
    /'storage.location.template' = 's3:\/\/org-trail\/central\/AWSLogs\/o-a1b2c3d4e5\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/,
  );
});

test('an account trail with the default regions; table and database chosen', () => {
  const { sql, table, location } = cloudTrailDdl({
    bucket: 's3://my-trail',
    accounts: ['111122223333'],
    table: 'trail',
    database: 'security',
  });
  assert.equal(table, 'security.trail');
  assert.equal(location, 's3://my-trail/AWSLogs/');
  assert.match(sql, /`security`\.`trail`/);
  assert.match(sql, /'projection.region.values' = 'us-east-1,us-east-2,.*,sa-east-1'/);
});

test('the DDL and the schema check agree: a table created from it has no differences', () => {
  const { sql } = cloudTrailDdl({ bucket: 's3://trail-bucket', accounts: ['111122223333'] });
  const body = sql.slice(sql.indexOf('(\n') + 2, sql.indexOf('\n)'));
  const columns = body.split(',\n').map((line) => {
    const m = /^\s*`([a-z0-9_]+)` (.+)$/.exec(line)!;
    return { Name: m[1], Type: m[2] };
  });
  assert.deepEqual(describeTable({ Name: 'cloudtrail_logs', Columns: columns }).schemaDifferences, []);
});

test('values that could carry SQL or point elsewhere are refused, naming the flag', () => {
  const base = { bucket: 's3://b-1', accounts: ['111122223333'] };
  const refused: [object, RegExp][] = [
    [{ ...base, bucket: 'https://b/x' }, /--bucket .*write it as s3:\/\/BUCKET/],
    [{ ...base, bucket: "s3://b'; DROP" }, /--bucket: .* is not an S3 bucket name/],
    [{ ...base, bucket: "s3://bucket/it's" }, /--bucket: the prefix part "it's" holds characters/],
    [{ ...base, org: "o-x' OR 1=1" }, /--org .*o-a1b2c3d4e5/],
    [{ ...base, accounts: ['12345'] }, /--accounts "12345"/],
    [{ ...base, accounts: [] }, /--accounts is needed/],
    [{ ...base, regions: ['us-east-1; x'] }, /--regions "us-east-1; x"/],
    [{ ...base, table: 'a.b' }, /--table "a\.b"/],
    [{ ...base, database: 'x`y' }, /--database "x`y"/],
  ];
  for (const [input, message] of refused)
    assert.throws(
      () => cloudTrailDdl(input as never),
      (e: Error) => e instanceof DdlInputError && message.test(e.message),
    );
  assert.deepEqual(parseBucket('s3://b-1/logs/AWSLogs/'), { bucket: 'b-1', prefix: 'logs/' });
});
