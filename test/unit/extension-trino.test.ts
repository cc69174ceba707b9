// `source: trino` in the editor, as for local logs and LookupEvents: where a cell runs (cell
// over front matter over the user's choice), what the lens says, what a cell says when Trino
// is not configured, and where the secret goes (to the runtime only, one per server).
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { describe, test } from 'node:test';
import { parseRunbook } from '../../src/runbook';
import { TrinoSource } from '../../src/sources/trino/trinoSource';
import {
  runTargets,
  sourceKindFor,
  TargetError,
  targetFor,
  targetLabel,
  TRINO_NOT_CONFIGURED,
  windowLabelFor,
  withTrinoCredential,
  type TrailbookSettings,
} from '../../src/extension/runTarget';
import { decodeTrinoSecret, encodeTrinoSecret, trinoSecretKey } from '../../src/extension/trinoSecret';

const RUNBOOK = `---
title: Keys
---

\`\`\`cloudtrail id=mine
SELECT eventName FROM cloudtrail_logs
\`\`\`

\`\`\`cloudtrail id=on-trino source=trino
SELECT eventName FROM cloudtrail_logs
\`\`\`

\`\`\`cloudtrail id=on-lookup source=lookup window=7d
SELECT eventName FROM cloudtrail_logs
\`\`\`
`;
const runbook = parseRunbook(RUNBOOK, 'keys.md');
const withFrontMatter = (source: string) => parseRunbook(RUNBOOK.replace('title: Keys', `title: Keys\nsource: ${source}`), 'keys.md');
const [mine, onTrino, onLookup] = runbook.cells;

const settings = (over: Partial<TrailbookSettings> = {}): TrailbookSettings => ({
  source: 'local',
  logsPath: '/data/incident-42',
  profile: '',
  regions: [],
  window: '',
  endpoint: '',
  rowLimit: 10_000,
  trinoServer: 'https://trino.example.com:8443',
  trinoTable: 'hive.audit.cloudtrail_logs',
  trinoUser: 'ir',
  ...over,
});

describe('where a cell runs', () => {
  test("the cell's source= over the runbook's front matter over the user's choice", () => {
    const local = runTargets(settings(), {}, '/w');
    const trino = runTargets(settings({ source: 'trino' }), {}, '/w');
    assert.equal(sourceKindFor(local, runbook, mine), 'local');
    assert.equal(sourceKindFor(trino, runbook, mine), 'trino', "the user's choice");
    assert.equal(sourceKindFor(local, runbook, onTrino), 'trino', 'the cell over the user');
    assert.equal(sourceKindFor(local, withFrontMatter('trino'), withFrontMatter('trino').cells[0]), 'trino', 'the runbook over the user');
    assert.equal(sourceKindFor(trino, withFrontMatter('local'), withFrontMatter('local').cells[0]), 'local', 'the runbook over the user');
    assert.equal(sourceKindFor(trino, runbook, onLookup), 'lookup', 'the cell over the user');
    assert.equal(sourceKindFor(local, withFrontMatter('lookup'), withFrontMatter('lookup').cells[1]), 'trino', 'the cell over the runbook');
    assert.equal(sourceKindFor(trino, runbook, undefined), 'trino', '"Run all" lens: the user\'s, when the runbook names none');
    assert.equal(sourceKindFor(local, withFrontMatter('trino'), undefined), 'trino', '"Run all" lens: the runbook\'s');
  });

  test('a Trino cell runs on the configured server, table and user, without a secret', () => {
    const targets = runTargets(settings(), {}, '/w');
    assert.deepEqual(targetFor(targets, runbook, onTrino), {
      kind: 'trino',
      server: 'https://trino.example.com:8443',
      user: 'ir',
      table: 'hive.audit.cloudtrail_logs',
    });
    assert.equal(targetFor(targets, runbook, mine).kind, 'local');
    assert.equal(runTargets(settings({ trinoUser: '  ' }), {}, '/w').trino?.user, userInfo().username);
  });

  test("the lens says Trino, the table and the window: the source's default unless a window is chosen", () => {
    const targets = runTargets(settings(), {}, '/w');
    const window = windowLabelFor(targets, runbook, onTrino, 'trino');
    assert.equal(
      window,
      new TrinoSource({ connection: { server: 'https://t.example', user: 'u' }, target: { table: 't' }, parser: () => assert.fail() })
        .defaultWindow,
    );
    assert.equal(targetLabel(targetFor(targets, runbook, onTrino), window), 'Trino · hive.audit.cloudtrail_logs · 24h');
    assert.equal(windowLabelFor(runTargets(settings({ window: '30d' }), {}, '/w'), runbook, onTrino, 'trino'), '30d');
    assert.equal(
      windowLabelFor(targets, parseRunbook(RUNBOOK.replace('title: Keys', 'title: Keys\nwindow: 3d'), 'k.md'), onTrino, 'trino'),
      '3d',
    );
  });
});

describe('a cell that needs Trino when it is not configured', () => {
  test('neither setting: the cell says to set both, and the lens opens the Trino settings', () => {
    const targets = runTargets(settings({ trinoServer: '', trinoTable: ' ' }), {}, '/w');
    assert.equal(targets.trino, undefined);
    assert.equal(targets.trinoProblem, undefined);
    assert.throws(
      () => targetFor(targets, runbook, onTrino),
      (error: unknown) =>
        error instanceof TargetError &&
        error.message ===
          'set trailbook.trino.server and trailbook.trino.table: cell on-trino runs on Trino (or choose Trino in the status bar to be asked for them)' &&
        error.summary === TRINO_NOT_CONFIGURED &&
        error.setting === 'trailbook.trino',
    );
    // Cells on other sources are not held back by it.
    assert.equal(targetFor(targets, runbook, mine).kind, 'local');
  });

  test('one setting missing or wrong: the error names that setting and what to write', () => {
    const noTable = runTargets(settings({ trinoTable: '' }), {}, '/w');
    assert.throws(
      () => targetFor(noTable, runbook, onTrino),
      (error: unknown) =>
        error instanceof TargetError &&
        error.message === 'source trino needs the table: set trailbook.trino.table to catalog.schema.cloudtrail_logs' &&
        error.summary === 'fix trailbook.trino.table' &&
        error.setting === 'trailbook.trino.table',
    );
    const plainHttp = runTargets(settings({ trinoServer: 'http://trino.internal:8080' }), {}, '/w');
    assert.equal(plainHttp.trino, undefined);
    assert.throws(
      () => targetFor(plainHttp, runbook, onTrino),
      /^Error: trailbook\.trino\.server http:\/\/trino\.internal:8080: use https \(plain http only to this machine/,
    );
  });
});

describe('the password or token', () => {
  test('is laid on the Trino target for the runtime only', () => {
    const targets = runTargets(settings(), {}, '/w');
    assert.deepEqual(withTrinoCredential(targets, { password: 'p' }).trino, { ...targets.trino, password: 'p' });
    assert.deepEqual(withTrinoCredential(targets, { accessToken: 'jwt' }).trino, { ...targets.trino, accessToken: 'jwt' });
    assert.equal(withTrinoCredential(targets, undefined), targets);
    const unconfigured = runTargets(settings({ trinoServer: '', trinoTable: '' }), {}, '/w');
    assert.equal(withTrinoCredential(unconfigured, { password: 'p' }).trino, undefined);
    // What the status bar, the lenses and the recorded run see never holds it.
    assert.equal(JSON.stringify(targets).includes('password'), false);
  });

  test('is kept per server origin: a secret set for one server is never sent to another', () => {
    assert.equal(trinoSecretKey('https://trino.example.com:8443/'), trinoSecretKey('https://trino.example.com:8443/ui'));
    assert.notEqual(trinoSecretKey('https://trino.example.com:8443'), trinoSecretKey('https://trino.example.com'));
    assert.notEqual(trinoSecretKey('https://trino.example.com'), trinoSecretKey('https://trino.example.org'));
  });

  test('is stored with its kind; anything else stored reads as none', () => {
    assert.deepEqual(decodeTrinoSecret(encodeTrinoSecret('password', 'p w')), { password: 'p w' });
    assert.deepEqual(decodeTrinoSecret(encodeTrinoSecret('accessToken', 'eyJ')), { accessToken: 'eyJ' });
    for (const stored of [
      undefined,
      '',
      'hunter2',
      '{"kind":"password"}',
      '{"kind":"cookie","value":"x"}',
      encodeTrinoSecret('password', ''),
    ]) {
      assert.equal(decodeTrinoSecret(stored), undefined, String(stored));
    }
  });
});
