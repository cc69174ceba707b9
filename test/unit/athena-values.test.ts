// How GetQueryResults' strings become the engine's values: scalars by ColumnInfo.Type, and
// ROW/ARRAY/MAP read back from Trino's unquoted text with the CloudTrail schema's help,
// including field values that hold `, ` and `=` (user agents, policies, ARNs with paths).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { athenaCellValue, knownType } from '../../src/sources/athena/values';
import { parseTrinoText } from '../../src/sources/athena/trinoText';
import { CLOUDTRAIL_RECORD } from '../../src/engine/schema';

const col = (name: string, type: string) => ({ name, type });

test('scalars convert by ColumnInfo.Type as the local engine gives them', () => {
  assert.equal(athenaCellValue('42', col('n', 'bigint')), 42);
  assert.equal(athenaCellValue('9007199254740993', col('n', 'bigint')), '9007199254740993');
  assert.equal(athenaCellValue('1.5E7', col('d', 'double')), 15_000_000);
  assert.equal(athenaCellValue('0.25', col('d', 'decimal')), 0.25);
  assert.equal(athenaCellValue('true', col('b', 'boolean')), true);
  assert.equal(athenaCellValue('false', col('b', 'boolean')), false);
  assert.equal(athenaCellValue('2024-07-31', col('d', 'date')), '2024-07-31T00:00:00.000Z');
  assert.equal(athenaCellValue('2024-07-31 13:06:24.123', col('t', 'timestamp')), '2024-07-31T13:06:24.123Z');
  assert.equal(athenaCellValue('2024-07-31 13:06:24.123 UTC', col('t', 'timestamp with time zone')), '2024-07-31T13:06:24.123Z');
  assert.equal(athenaCellValue('a, b=c', col('s', 'varchar')), 'a, b=c');
  assert.equal(athenaCellValue(undefined, col('s', 'varchar')), null);
  assert.equal(athenaCellValue('', col('s', 'varchar')), '');
});

test('userIdentity reads back field by field, with `, ` and `=` inside values', () => {
  const text =
    '{type=AssumedRole, principalid=AROA1:alice, arn=arn:aws:sts::1:assumed-role/a, b=c/alice, accountid=111122223333, invokedby=null, ' +
    'accesskeyid=ASIA1, username=null, onbehalfof=null, sessioncontext={attributes={mfaauthenticated=false, creationdate=2024-01-01T00:00:00Z}, ' +
    'sessionissuer={type=Role, principalid=AROA1, arn=arn:aws:iam::1:role/a, b=c, accountid=1, username=a, b=c}, ec2roledelivery=null, webidfederationdata=null}}';
  const value = athenaCellValue(text, col('useridentity', 'row')) as Record<string, unknown>;
  assert.equal(value.arn, 'arn:aws:sts::1:assumed-role/a, b=c/alice');
  assert.equal(value.invokedby, null);
  assert.equal(value.accountid, '111122223333');
  const context = value.sessioncontext as Record<string, Record<string, unknown>>;
  assert.deepEqual(context.attributes, { mfaauthenticated: 'false', creationdate: '2024-01-01T00:00:00Z' });
  assert.equal(context.sessionissuer!.arn, 'arn:aws:iam::1:role/a, b=c');
  assert.equal(context.sessionissuer!.username, 'a, b=c');
  assert.equal(context.webidfederationdata, null);
});

test('field names match whatever their case (DuckDB keeps camelCase, Athena lower-cases)', () => {
  const value = parseTrinoText(
    '{tlsVersion=TLSv1.3, cipherSuite=TLS_AES_128_GCM_SHA256, clientProvidedHostHeader=iam.amazonaws.com}',
    knownType(col('tlsdetails', 'row')),
  );
  assert.deepEqual(value, { tlsversion: 'TLSv1.3', ciphersuite: 'TLS_AES_128_GCM_SHA256', clientprovidedhostheader: 'iam.amazonaws.com' });
});

test('resources: an array of rows, empty arrays, nulls inside', () => {
  const type = knownType(col('resources', 'array'));
  assert.deepEqual(
    athenaCellValue(
      '[{arn=arn:aws:s3:::b, accountid=1, type=AWS::S3::Bucket}, {arn=null, accountid=2, type=null}]',
      col('resources', 'array'),
      type,
    ),
    [
      { arn: 'arn:aws:s3:::b', accountid: '1', type: 'AWS::S3::Bucket' },
      { arn: null, accountid: '2', type: null },
    ],
  );
  assert.deepEqual(athenaCellValue('[]', col('resources', 'array'), type), []);
});

test('without a schema type: keys up to `=`, nested rows and arrays, the rest as text', () => {
  assert.deepEqual(parseTrinoText('{a=1, b={c=2, d=[x, y]}}'), { a: '1', b: { c: '2', d: ['x', 'y'] } });
  assert.deepEqual(parseTrinoText('[a, b]'), ['a', 'b']);
  // The documented ambiguity: an array element holding `, ` is split there.
  assert.deepEqual(parseTrinoText('[Mozilla/5.0 (X11, Linux), b]'), ['Mozilla/5.0 (X11', 'Linux)', 'b']);
  assert.equal(parseTrinoText('not {structured'), 'not {structured');
});

test('maps: values holding `, ` stay whole unless what follows looks like `key=`', () => {
  const map = { kind: 'map' } as const;
  assert.deepEqual(parseTrinoText('{sub=alice, aud=a, b, c}', map), { sub: 'alice', aud: 'a, b, c' });
  assert.deepEqual(parseTrinoText('{}', map), {});
});

test('a row that does not fit the schema is read without it', () => {
  const type = CLOUDTRAIL_RECORD.fields.tlsDetails;
  assert.deepEqual(parseTrinoText('{version=1.2}', type), { version: '1.2' });
});
