// What a mark's colour says: error, console login, write, read; root on top of any of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyOutcome,
  eventClass,
  isRootActivity,
  Outcome,
  OUTCOME_MASK,
  readOnlyValue,
  ROOT_FLAG,
} from '../../src/webview/timeline/outcome';

test('any error code is an error, whatever the call', () => {
  assert.equal(classifyOutcome({ eventName: 'ListBuckets', errorCode: 'AccessDenied' }), Outcome.Error);
  assert.equal(classifyOutcome({ eventName: 'RunInstances', errorCode: 'Client.UnauthorizedOperation' }), Outcome.Error);
  assert.equal(classifyOutcome({ eventName: 'ConsoleLogin', errorCode: 'Failed authentication' }), Outcome.Error);
});

test('the readOnly column decides read or write when the rows have it', () => {
  assert.equal(classifyOutcome({ eventName: 'GetObject', readOnly: false }), Outcome.Write, 'the column, not the name');
  assert.equal(classifyOutcome({ eventName: 'CreateUser', readOnly: true }), Outcome.Read);
});

test('without a readOnly column the verb decides: Describe, List, Get, Lookup read', () => {
  for (const name of ['DescribeInstances', 'ListBuckets', 'GetCallerIdentity', 'LookupEvents'])
    assert.equal(classifyOutcome({ eventName: name }), Outcome.Read, name);
  for (const name of ['CreateAccessKey', 'StopLogging', 'AssumeRole', 'PutBucketPolicy'])
    assert.equal(classifyOutcome({ eventName: name }), Outcome.Write, name);
});

test('console logins stand apart from other writes', () => {
  assert.equal(classifyOutcome({ eventName: 'ConsoleLogin', readOnly: false }), Outcome.Login);
});

test('root activity: identity type Root, or an ARN ending in :root; a flag on top of the outcome', () => {
  assert.ok(isRootActivity({ identityType: 'Root' }));
  assert.ok(isRootActivity({ principal: 'arn:aws:iam::111122223333:root' }));
  assert.ok(!isRootActivity({ identityType: 'IAMUser', principal: 'arn:aws:iam::111122223333:user/rooted' }));
  const cls = eventClass({ eventName: 'ConsoleLogin', identityType: 'Root' });
  assert.equal(cls & OUTCOME_MASK, Outcome.Login);
  assert.equal(cls & ROOT_FLAG, ROOT_FLAG);
});

test('outcome codes rank what must stand out: a pixel shared by a read and an error shows the error', () => {
  assert.ok(Outcome.Error > Outcome.Login && Outcome.Login > Outcome.Write && Outcome.Write > Outcome.Read);
});

test('readOnly cells: booleans and their text; anything else is unknown', () => {
  assert.equal(readOnlyValue(true), true);
  assert.equal(readOnlyValue('false'), false);
  assert.equal(readOnlyValue(null), undefined);
});
