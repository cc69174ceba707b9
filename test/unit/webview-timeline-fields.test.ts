// Where the timeline finds an event's parts in a result, whatever the query named its columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventTime, parseUtcTime, readText, resolveFields } from '../../src/webview/timeline/eventFields';
import { pivotValue, resourceArns } from '../../src/protocol/pivotValues';
import { rowAsObject } from '../../src/webview/formatValue';

const identity = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111122223333:assumed-role/ci-deploy/build-42',
  accessKeyId: 'ASIAEXAMPLE',
  sessionContext: { attributes: { mfaAuthenticated: 'false' } },
};

test('parts of a SELECT eventTime, userIdentity, sourceIPAddress … row are found, the principal inside the struct', () => {
  const columns = ['eventTime', 'eventName', 'eventSource', 'userIdentity', 'sourceIPAddress', 'awsRegion', 'errorCode', 'readOnly'];
  const fields = resolveFields(columns);
  const row = ['2025-03-05T14:05:30Z', 'AssumeRole', 'sts.amazonaws.com', identity, '203.0.113.7', 'us-east-1', null, false];
  assert.equal(readText(row, fields.principal), identity.arn);
  assert.equal(readText(row, fields.accessKey), 'ASIAEXAMPLE');
  assert.equal(readText(row, fields.identityType), 'AssumedRole');
  assert.equal(readText(row, fields.sourceIp), '203.0.113.7');
  assert.equal(readText(row, fields.region), 'us-east-1');
  assert.equal(readText(row, fields.errorCode), undefined, 'null reads as absent');
  assert.equal(fields.time?.column, 0);
});

test('aliases and case: actor, ip, region, newKey; a column named for the part wins over the struct', () => {
  const fields = resolveFields(['EVENTTIME', 'actor', 'ip', 'Region', 'newKey', 'userIdentity']);
  const row = ['2025-03-05T14:05:30Z', 'arn:aws:iam::111122223333:user/alice', '198.51.100.1', 'eu-west-1', 'AKIAALICE', identity];
  assert.equal(readText(row, fields.principal), 'arn:aws:iam::111122223333:user/alice');
  assert.equal(readText(row, fields.sourceIp), '198.51.100.1');
  assert.equal(readText(row, fields.region), 'eu-west-1');
  assert.equal(readText(row, fields.accessKey), 'AKIAALICE');
  assert.equal(fields.eventName, undefined, 'a part the rows lack is absent');
  // `key` is as often an S3 object key as an access key: it is not taken for one.
  assert.equal(readText(['photos/cat.jpg'], resolveFields(['key']).accessKey), undefined);
});

test('a struct field is found without regard to case, and a struct given as JSON text is read', () => {
  const fields = resolveFields(['useridentity']);
  assert.equal(readText([{ ARN: 'arn:aws:iam::1:root', Type: 'Root' }], fields.principal), 'arn:aws:iam::1:root');
  assert.equal(readText([JSON.stringify(identity)], fields.accessKey), 'ASIAEXAMPLE');
});

test('event times: CloudTrail ISO-8601 read exactly as Date.parse does, other shapes fall back, junk is NaN', () => {
  for (const text of [
    '2025-03-05T14:05:30Z',
    '2000-02-29T23:59:59Z',
    '1999-12-31T23:59:59.999Z',
    '2100-03-01T00:00:00Z',
    '2026-11-01T21:53:56.5Z',
  ]) {
    assert.equal(parseUtcTime(text), Date.parse(text), text);
  }
  assert.equal(parseEventTime('2025-03-05 14:05:30'), Date.parse('2025-03-05T14:05:30Z'), "DuckDB's UTC timestamp text");
  assert.equal(parseEventTime('2025-03-05T14:05:30+02:00'), Date.parse('2025-03-05T12:05:30Z'), 'an offset goes through Date.parse');
  assert.equal(parseEventTime(1_741_183_530_000), 1_741_183_530_000);
  assert.ok(Number.isNaN(parseEventTime('yesterday')));
  assert.ok(Number.isNaN(parseEventTime(null)));
  assert.ok(Number.isNaN(parseEventTime('')));
});

test('resources: structs, JSON text, a bare ARN', () => {
  assert.deepEqual(resourceArns([{ ARN: 'arn:aws:s3:::bucket', type: 'AWS::S3::Bucket' }]), ['arn:aws:s3:::bucket']);
  assert.deepEqual(resourceArns('[{"arn":"arn:aws:iam::1:role/x"}]'), ['arn:aws:iam::1:role/x']);
  assert.deepEqual(resourceArns('arn:aws:kms:us-east-1:1:key/abc'), ['arn:aws:kms:us-east-1:1:key/abc']);
  assert.deepEqual(resourceArns(null), []);
});

test('a pivot is offered only when the row has its value', () => {
  const columns = ['eventTime', 'userIdentity', 'sourceIPAddress', 'resources'];
  const row = rowAsObject(columns, ['2025-03-05T14:05:30Z', identity, '203.0.113.7', null]);
  assert.equal(pivotValue(row, 'principal'), identity.arn);
  assert.equal(pivotValue(row, 'accessKey'), 'ASIAEXAMPLE');
  assert.equal(pivotValue(row, 'sourceIp'), '203.0.113.7');
  assert.equal(pivotValue(row, 'around'), '2025-03-05T14:05:30Z');
  assert.equal(pivotValue(row, 'resource'), undefined);
  assert.equal(pivotValue(rowAsObject(columns, ['not a time', identity, null, null]), 'around'), undefined);
  assert.equal(pivotValue({ eventName: 'ListBuckets' }, 'principal'), undefined);
});
