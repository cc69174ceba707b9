// The bundled runbooks against real attacks: each detection finds the events of the
// Stratus Red Team technique it is about, and nothing of the others' noise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runRunbook } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { generateTrail } from '../../src/testbed/loggen';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { openStore } from '../support/store';
import { itemAt } from '../support/itemAt';

const RUNBOOKS = resolve(__dirname, '../../runbooks');
const STRATUS_WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';

type Event = { eventID: string; eventName: string; userAgent?: string };
const attackEvents = (technique: string, names: string[]): string[] =>
  (JSON.parse(readFileSync(join(stratusDir(), `${technique}.json`), 'utf8')) as Event[])
    .filter((e) => names.includes(e.eventName) && e.userAgent?.startsWith('stratus-red-team_'))
    .map((e) => e.eventID)
    .sort();

/** runbook → detection cell → the techniques whose events it must find (by eventID). */
const EXPECTED: Array<[string, string, Array<[string, string[]]>]> = [
  [
    'cloudtrail-tampering.md',
    'trail-changes',
    [
      ['aws.defense-evasion.cloudtrail-stop', ['StopLogging']],
      ['aws.defense-evasion.cloudtrail-delete', ['DeleteTrail']],
      ['aws.defense-evasion.cloudtrail-event-selectors', ['PutEventSelectors']],
    ],
  ],
  [
    'cloudtrail-tampering.md',
    'other-logs',
    [
      ['aws.defense-evasion.vpc-remove-flow-logs', ['DeleteFlowLogs']],
      ['aws.defense-evasion.dns-delete-logs', ['DeleteResolverQueryLogConfig']],
    ],
  ],
  [
    'security-group-open-to-internet.md',
    'opened',
    [['aws.exfiltration.ec2-security-group-open-port-22-ingress', ['AuthorizeSecurityGroupIngress']]],
  ],
  ['console-login-without-mfa.md', 'no-mfa', [['aws.initial-access.console-login-without-mfa', ['ConsoleLogin']]]],
  [
    'access-keys-without-mfa.md',
    'new-keys',
    [
      ['aws.persistence.iam-backdoor-user', ['CreateAccessKey']],
      ['aws.persistence.iam-create-admin-user', ['CreateAccessKey']],
    ],
  ],
];

for (const [file, cellId, techniques] of EXPECTED) {
  test(`${file} ${cellId} finds exactly ${techniques.map(([t]) => t).join(', ')}`, async () => {
    const store = await openStore();
    const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
    const runs = await runRunbook(runbook, {
      store,
      source: new LocalLogsSource(store, stratusDir()),
      cellIds: [cellId],
      window: STRATUS_WINDOW,
    });
    const run = runs.find((r) => r.cell.id === cellId)!;
    assert.equal(run.status, 'finding');
    // The detection's own SQL, with the eventID added, tells which events it matched.
    const prefix = 'SELECT eventID AS "matchedEventId", ';
    assert.ok(run.cell.sql.startsWith('SELECT '));
    const shift = prefix.length - 'SELECT '.length;
    const cell = {
      ...run.cell,
      sql: prefix + run.cell.sql.slice('SELECT '.length),
      references: run.cell.references.map((ref) => ({ ...ref, start: ref.start + shift, end: ref.end + shift })),
    };
    const withIds = await runRunbook(
      { ...runbook, cells: [cell] },
      { store, source: new LocalLogsSource(store, stratusDir()), window: STRATUS_WINDOW },
    );
    assert.equal(itemAt(withIds, 0).error, undefined);
    const matched = itemAt(withIds, 0)
      .rows.map((row) => row[0])
      .sort();
    const expected = techniques.flatMap(([technique, names]) => attackEvents(technique, names)).sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(matched, expected);
  });
}

test('on a generated trail the detections stay quiet without attacks and fire with them', async () => {
  const root = tempDir();
  const clean = join(root, 'clean');
  const attacked = join(root, 'attacked');
  await generateTrail({ outDir: clean, events: 8_000, seed: 11 });
  await generateTrail({
    outDir: attacked,
    events: 8_000,
    seed: 11,
    attacks: ['stop-logging', 'delete-trail', 'create-access-key-no-mfa', 'console-login-no-mfa', 'security-group-open-22'],
  });
  const detections = async (logs: string): Promise<Record<string, number>> => {
    const store = await openStore();
    const source = new LocalLogsSource(store, logs);
    const counts: Record<string, number> = {};
    for (const file of [
      'cloudtrail-tampering.md',
      'security-group-open-to-internet.md',
      'console-login-without-mfa.md',
      'access-keys-without-mfa.md',
    ]) {
      const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
      // The generator's trail starts 2025-03-03 and lasts 7 days; the runbooks look at the last 7.
      for (const run of await runRunbook(runbook, { store, source, window: '2025-03-01T00:00:00Z/2025-03-12T00:00:00Z' })) {
        assert.equal(run.error, undefined, `${file} ${run.cell.id}`);
        // Detections only: verify-* cells check a response, which these trails never contain.
        if (run.cell.expect === 'empty' && !run.cell.id.startsWith('verify-')) counts[run.cell.id] = run.rows.length;
      }
    }
    return counts;
  };
  // The clean trail's failed sign-ins are people mistyping before signing in with MFA, which
  // `failed` leaves out; the attack's two failures from one address are one finding.
  assert.deepEqual(await detections(clean), { 'trail-changes': 0, 'other-logs': 0, opened: 0, 'no-mfa': 0, failed: 0, 'new-keys': 0 });
  assert.deepEqual(await detections(attacked), { 'trail-changes': 2, 'other-logs': 0, opened: 1, 'no-mfa': 1, failed: 1, 'new-keys': 1 });
});
