// Errors a person fixes with one known step say which step by their kind, set where they are
// raised, and the kind reaches the editor through the runner. The editor's buttons follow
// the kind: rewording a message must not lose its button, so none is chosen from the text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRunbook } from '../../src/app/runbookRunner';
import { trinoTarget } from '../../src/app/trinoTarget';
import type { RemoteSource } from '../../src/engine/eventSource';
import { errorKindOf } from '../../src/engine/errorKind';
import type { EventStore } from '../../src/engine/eventStore';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { TargetError, targetFor, TRINO_SETTINGS } from '../../src/extension/runTarget';
import { parseRunbook } from '../../src/runbook/parse';
import { explainCredentialsError } from '../../src/sources/aws/credentialsError';
import { checkSsoToken } from '../../src/sources/aws/ssoToken';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { lookupErrorKind } from '../../src/sources/lookup/lookupErrors';
import { tempDir } from '../support/tempDir';

const files = { config: '/home/x/.aws/config', credentials: '/home/x/.aws/credentials' };
const awsError = (name: string, message = name): Error => Object.assign(new Error(message), { name });

test('expired credentials and a missing SSO login are credentialsExpired, with the profile to log in', async () => {
  assert.deepEqual(errorKindOf(explainCredentialsError(awsError('ExpiredTokenException'), { profile: 'audit', files })), {
    kind: 'credentialsExpired',
    profile: 'audit',
  });
  assert.deepEqual(
    errorKindOf(explainCredentialsError(awsError('UnauthorizedException', 'token is expired'), { profile: 'corp', kind: 'sso', files })),
    { kind: 'credentialsExpired', profile: 'corp' },
  );
  assert.equal(
    errorKindOf(explainCredentialsError(awsError('ExpiredTokenException'), { files })),
    undefined,
    'environment credentials: no profile to log in',
  );
  assert.equal(errorKindOf(explainCredentialsError(awsError('SignatureDoesNotMatch'), { profile: 'audit', files })), undefined);
  const home = tempDir('trailbook-sso-');
  await assert.rejects(checkSsoToken('corp', { sso_start_url: 'https://corp.awsapps.com/start' }, { HOME: home }), (error) => {
    assert.deepEqual(errorKindOf(error), { kind: 'credentialsExpired', profile: 'corp' });
    return true;
  });
  assert.deepEqual(lookupErrorKind(awsError('ExpiredTokenException'), { profile: 'audit' }), {
    kind: 'credentialsExpired',
    profile: 'audit',
  });
  assert.equal(lookupErrorKind(awsError('AccessDeniedException'), { profile: 'audit' }), undefined);
});

test('no log folder, or no log files in it, is noLogs', async () => {
  const targets = { preferred: 'local', lookup: { kind: 'lookup', regions: ['us-east-1'] } } as unknown as Parameters<typeof targetFor>[0];
  const runbook = parseRunbook('# r\n\n```cloudtrail id=a\nSELECT 1\n```\n', 'r.md');
  assert.throws(
    () => targetFor(targets, runbook, runbook.cells[0]),
    (error) => error instanceof TargetError && errorKindOf(error)?.kind === 'noLogs',
  );
  await assert.rejects(
    scanLocalLogs(undefined as unknown as EventStore, tempDir('trailbook-empty-'), ALL_TIME),
    (error) => errorKindOf(error)?.kind === 'noLogs',
  );
});

test('a Trino server, table or secret missing or wrong is trinoTarget', () => {
  assert.throws(
    () => trinoTarget({ table: 'c.s.t' }, TRINO_SETTINGS, {}),
    (error) => errorKindOf(error)?.kind === 'trinoTarget',
  );
  assert.throws(
    () => trinoTarget({ server: 'not a url', table: 'c.s.t' }, TRINO_SETTINGS, {}),
    (error) => errorKindOf(error)?.kind === 'trinoTarget',
  );
});

test('a kind survives wrapping (it is read through causes) and the runner hands it to the face', async () => {
  const inner = Object.assign(new Error('expired'), { errorKind: { kind: 'credentialsExpired', profile: 'p' } });
  assert.deepEqual(errorKindOf(new Error('outer', { cause: inner })), { kind: 'credentialsExpired', profile: 'p' });
  assert.equal(errorKindOf(Object.assign(new Error('x'), { errorKind: { kind: 'made up' } })), undefined);
  const source: RemoteSource = {
    label: 'failing',
    defaultWindow: undefined,
    execute: () => Promise.reject(trinoTargetError()),
  };
  const runbook = parseRunbook('# r\n\n```cloudtrail id=a\nSELECT 1\n```\n', 'r.md');
  const [run] = await runRunbook(runbook, { source, store: undefined as unknown as EventStore });
  assert.equal(run?.status, 'error');
  assert.deepEqual(run?.error?.kind, { kind: 'trinoTarget' });
});

test('the editor chooses buttons by kind, never by matching the message', () => {
  const text = readFileSync(join(__dirname, '../../src/extension/runErrors.ts'), 'utf8');
  assert.doesNotMatch(text, /\.(test|exec|match)\(message|message\.(includes|startsWith|match)/);
  for (const kind of ['credentialsExpired', 'noLogs', 'trinoTarget']) assert.match(text, new RegExp(`case '${kind}'`));
});

function trinoTargetError(): Error {
  try {
    trinoTarget({ server: 'https://t.example' }, TRINO_SETTINGS, {});
  } catch (error) {
    return error as Error;
  }
  throw new Error('trinoTarget accepted a target without a table');
}
