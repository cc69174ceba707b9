// Which accounts a runbook or a cell reads on LookupEvents: profile names only, checked
// where they are written, and the run's choice over the cell's over the runbook's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountsNotAllowedError, runbookAccounts, withAccounts } from '../../src/app/accountTarget';
import { parseRunbook } from '../../src/runbook';
import { outcomeWords } from '../../src/protocol/runWording';
import { runSummary } from '../../src/extension/runSummary';
import { itemAt } from '../support/itemAt';

const doc = (front: string, info = '') => parseRunbook(`---\n${front}\n---\n\n\`\`\`cloudtrail id=c${info}\nSELECT 1\n\`\`\`\n`, 'r.md');

test('front matter names profiles as a list or text, or one sso-session', () => {
  assert.deepEqual(doc('profiles: [prod, staging]').accounts, { profiles: ['prod', 'staging'] });
  assert.deepEqual(doc('profiles: prod, staging, prod').accounts, { profiles: ['prod', 'staging'] });
  assert.deepEqual(doc('sso-session: corp').accounts, { ssoSession: 'corp' });
  assert.deepEqual(doc('profiles: [prod]').problems, []);
});

test('a bad name, an empty list or both keys are errors at their line', () => {
  const bad = doc('title: t\nprofiles: ["prod admin"]');
  assert.deepEqual(
    bad.problems.map((p) => [p.line, p.code, p.severity]),
    [[2, 'invalid-profiles', 'error']],
  );
  assert.match(itemAt(bad.problems, 0).message, /"prod admin" is not a profile name/);
  assert.equal(bad.accounts, undefined);
  assert.match(itemAt(doc('profiles: []').problems, 0).message, /profiles is empty/);
  assert.match(itemAt(doc('profiles: [a]\nsso-session: corp').problems, 0).message, /profiles or sso-session, not both/);
  assert.match(itemAt(doc('sso-session: [a]').problems, 0).message, /is not an sso-session name/);
});

test("a cell names its own accounts, the cell over the runbook, chosen among the reader's own: never one the reader did not name", () => {
  const runbook = doc('profiles: [prod, staging]', ' profiles=security');
  const cell = itemAt(runbook.cells, 0);
  assert.deepEqual(cell.accounts, { profiles: ['security'] });
  assert.match(itemAt(doc('', ' profiles=a sso-session=b').problems, 0).message, /profiles= or sso-session=, not both/);
  const hint = () => 'name them to allow it';
  // The reader's own choice: the run's flags over the settings.
  const settings = { kind: 'lookup' as const, regions: ['us-east-1'], profile: 'me', profiles: ['x', 'y'] };
  assert.deepEqual(withAccounts(settings, { ssoSession: 'corp' }), {
    kind: 'lookup',
    regions: ['us-east-1'],
    profile: 'me',
    ssoSession: 'corp',
  });
  assert.deepEqual(withAccounts(settings, undefined), settings);
  // A runbook narrows the reader's profiles (the single profile counts among them)…
  const reader = { kind: 'lookup' as const, regions: ['us-east-1'], profile: 'me', profiles: ['prod', 'staging', 'security'] };
  assert.deepEqual(runbookAccounts(reader, cell.accounts ?? runbook.accounts, hint), {
    kind: 'lookup',
    regions: ['us-east-1'],
    profile: 'security',
  });
  assert.deepEqual(runbookAccounts(reader, runbook.accounts, hint).profiles, ['prod', 'staging']);
  assert.deepEqual(runbookAccounts(reader, { profiles: ['me'] }, hint).profile, 'me');
  assert.deepEqual(runbookAccounts(reader, undefined, hint), reader);
  // …and cannot reach another profile, or an sso-session the reader did not choose.
  assert.throws(
    () => runbookAccounts(settings, runbook.accounts, hint),
    (error: Error) => {
      assert.ok(error instanceof AccountsNotAllowedError);
      assert.equal(
        error.message,
        'the runbook asks to read as profiles prod, staging, which you have not named (a runbook may only choose among your own); name them to allow it',
      );
      return true;
    },
  );
  assert.throws(() => runbookAccounts(settings, { ssoSession: 'corp' }, hint), /sso-session corp, which you have not chosen/);
  assert.deepEqual(runbookAccounts({ ...settings, ssoSession: 'corp' }, { ssoSession: 'corp' }, hint).ssoSession, 'corp');
});

test("a partial run says so beside its count, in the CLI's and the editor's words alike", () => {
  const partial = 'partial: 2 of 3 accounts read; not read: profile audit (account unknown)';
  assert.equal(outcomeWords({ status: 'ok', rowCount: 41, truncated: false, partial }).text, '41 rows (partial: 2 of 3 accounts read)');
  assert.equal(
    outcomeWords({ status: 'finding', rowCount: 2, truncated: false, expect: 'empty', partial }).text,
    '2 findings (partial: 2 of 3 accounts read)',
  );
  assert.match(
    runSummary({ status: 'ok', rowCount: 0, truncated: false, elapsedMs: 5, finishedAt: new Date(0), partial }),
    /^✓ 0 rows \(partial: 2 of 3 accounts read\) · /,
  );
});
