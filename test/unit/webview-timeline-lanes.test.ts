// Lanes: which dimensions a result offers, and the busiest values with one "other" lane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFields } from '../../src/webview/timeline/eventFields';
import { availableDimensions, LaneKeys, NONE_LABEL, shortLaneLabel, topLanes } from '../../src/webview/timeline/laneGrouping';

test('a dimension the rows do not have is not offered', () => {
  assert.deepEqual(availableDimensions(resolveFields(['eventTime', 'userIdentity', 'eventName'])), ['principal', 'accessKey', 'eventName']);
  assert.deepEqual(availableDimensions(resolveFields(['eventTime', 'sourceIPAddress', 'awsRegion', 'errorCode', 'eventSource'])), [
    'sourceIp',
    'eventSource',
    'region',
    'errorCode',
  ]);
  assert.deepEqual(availableDimensions(resolveFields(['n'])), []);
});

test('keys are counted as events arrive; a missing value is its own key', () => {
  const keys = new LaneKeys();
  for (const value of ['alice', 'bob', 'alice', undefined, 'alice']) keys.add(value);
  assert.deepEqual(keys.names, ['alice', 'bob', NONE_LABEL]);
  assert.deepEqual(keys.counts, [3, 1, 1]);
  assert.deepEqual([...keys.ids.subarray(0, keys.length)], [0, 1, 0, 2, 0]);
});

test('the busiest keys get a lane each, the rest one "other (k lanes)" lane at the end', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const counts = [5, 50, 1, 20, 2];
  const layout = topLanes(names, counts, 2);
  assert.deepEqual(
    layout.lanes.map((lane) => [lane.label, lane.count]),
    [
      ['b', 50],
      ['d', 20],
      ['other (3 lanes)', 8],
    ],
  );
  assert.deepEqual([...layout.laneOfKey], [2, 0, 2, 1, 2]);
});

test('an "other" lane of one value is not made: the value gets its lane', () => {
  const layout = topLanes(['a', 'b', 'c'], [3, 2, 1], 2);
  assert.deepEqual(
    layout.lanes.map((lane) => lane.label),
    ['a', 'b', 'c'],
  );
  assert.ok(layout.lanes.every((lane) => !lane.isOther));
});

test('ties are ordered by name, so lanes do not swap places from one batch to the next', () => {
  assert.deepEqual(
    topLanes(['z', 'y', 'x'], [1, 1, 1], 5).lanes.map((lane) => lane.label),
    ['x', 'y', 'z'],
  );
});

test('lane labels: an ARN keeps its resource part; a long one keeps its end, never its middle', () => {
  assert.equal(shortLaneLabel('arn:aws:sts::111122223333:assumed-role/ci-deploy/build-42', 40), 'ci-deploy/build-42');
  assert.equal(shortLaneLabel('arn:aws:iam::111122223333:user/alice', 20), 'user/alice');
  const sso = (user: string) =>
    `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_${user === 'a' ? 'AdministratorAccess' : 'ReadOnlyAccess'}_0123456789abcdef/alice@example.com`;
  assert.equal(shortLaneLabel(sso('r'), 24), 'ReadOnlyAccess/alice@…', 'the permission set and the person, when they fit');
  assert.equal(shortLaneLabel(sso('a'), 24), '…/alice@example.com', 'else the person');
  assert.equal(shortLaneLabel('203.0.113.7', 20), '203.0.113.7');
  assert.equal(shortLaneLabel('ec2.amazonaws.com', 8), 'ec2');
  assert.equal(shortLaneLabel('logs.example.org', 8), '…ple.org');
});
