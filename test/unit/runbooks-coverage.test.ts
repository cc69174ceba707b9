// The runbooks for issue 12's five attack families (instance credentials used away from
// their instance, security tooling switched off, code run on compute, data shared out,
// persistence in identity) against the attacks behind them: the generator's injections,
// found by eventID; the same detections quiet on a clean generated trail; the Stratus Red
// Team detonations of these techniques, found exactly; and the detections whose
// parameters describe the customer's environment "not configured" until they are set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { generateTrail, readManifest, type Manifest } from '../../src/testbed/loggen';
import type { EventStore } from '../../src/engine/eventStore';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { openStore } from '../support/store';

const RUNBOOKS = resolve(__dirname, '../../runbooks');
const GENERATED_WINDOW = '2025-03-01T00:00:00Z/2025-03-12T00:00:00Z';
const STRATUS_WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';

/** The generated organisation's own addresses and accounts (src/testbed/loggen/org.ts): its VPCs and the /16s its NAT gateways come from. */
const ORG_PARAMS: Record<string, string> = {
  known_ranges:
    '10.0.0.0/8, 3.209.0.0/16, 54.156.0.0/16, 44.195.0.0/16, 52.48.0.0/16, 34.250.0.0/16, 54.76.0.0/16, 13.54.0.0/16, 3.105.0.0/16, 54.253.0.0/16',
  org_accounts: '482193657204, 730519846231, 159847362058',
};

async function run(
  store: EventStore,
  file: string,
  logs: string,
  window: string,
  cellIds: string[] | undefined,
  params: Record<string, string>,
): Promise<Map<string, CellRun>> {
  const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
  const runs = await runRunbook(runbook, { store, source: new LocalLogsSource(store, logs), cellIds, window, params });
  for (const r of runs) assert.equal(r.error, undefined, `${file} ${r.cell.id}: ${r.error?.message}`);
  return new Map(runs.map((r) => [r.cell.id, r]));
}

function eventIDs(r: CellRun | undefined): string[] {
  assert.ok(r, 'the cell ran');
  const i = r.columns.findIndex((c) => c.toLowerCase() === 'eventid');
  assert.ok(i >= 0, `${r.cell.id} has an eventID column: ${r.columns.join(', ')}`);
  return r.rows.map((row) => String(row[i]));
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

interface Detection {
  file: string;
  cell: string;
  /** The injected attack it is for, and the names of that attack's events it must list (the rest is reconnaissance). */
  attack: string;
  names: string[];
}

const DETECTIONS: Detection[] = [
  {
    file: 'instance-credentials-away.md',
    cell: 'workstation-agent',
    attack: 'instance-credentials-exfil',
    names: ['GetCallerIdentity', 'ListBuckets', 'DescribeInstances', 'ListSecrets', 'GetSecretValue'],
  },
  {
    file: 'instance-credentials-away.md',
    cell: 'outside-ranges',
    attack: 'instance-credentials-exfil',
    names: ['GetCallerIdentity', 'ListBuckets', 'DescribeInstances', 'ListSecrets', 'GetSecretValue'],
  },
  { file: 'security-tooling-disabled.md', cell: 'guardduty', attack: 'security-tooling-off', names: ['CreateIPSet', 'CreateFilter'] },
  { file: 'security-tooling-disabled.md', cell: 'config', attack: 'security-tooling-off', names: ['StopConfigurationRecorder'] },
  { file: 'security-tooling-disabled.md', cell: 'security-hub', attack: 'security-tooling-off', names: ['BatchUpdateFindings'] },
  { file: 'security-tooling-disabled.md', cell: 'cloudwatch', attack: 'security-tooling-off', names: ['DeleteLogGroup'] },
  { file: 'security-tooling-disabled.md', cell: 's3-access-logging', attack: 'security-tooling-off', names: ['PutBucketLogging'] },
  { file: 'compute-execution.md', cell: 'ssm-commands', attack: 'compute-execution', names: ['SendCommand'] },
  { file: 'compute-execution.md', cell: 'user-data', attack: 'compute-execution', names: ['ModifyInstanceAttribute'] },
  {
    file: 'compute-execution.md',
    cell: 'lambda',
    attack: 'compute-execution',
    names: ['UpdateFunctionConfiguration20150331v2', 'CreateFunctionUrlConfig20211031', 'AddPermission20150331v2'],
  },
  { file: 'compute-execution.md', cell: 'ecs-task-definitions', attack: 'compute-execution', names: ['RegisterTaskDefinition'] },
  {
    file: 'data-shared-outside.md',
    cell: 'public',
    attack: 'share-with-foreign-account',
    names: ['ModifyImageAttribute', 'ModifyDBInstance', 'DeletePublicAccessBlock', 'PutBucketPolicy'],
  },
  {
    file: 'data-shared-outside.md',
    cell: 'foreign',
    attack: 'share-with-foreign-account',
    names: ['ModifySnapshotAttribute', 'ModifyDBSnapshotAttribute', 'PutKeyPolicy', 'CreateGrant'],
  },
  { file: 'identity-persistence.md', cell: 'root-keys', attack: 'identity-persistence', names: ['CreateAccessKey'] },
  {
    file: 'identity-persistence.md',
    cell: 'new-identities',
    attack: 'identity-persistence',
    names: ['CreateUser', 'CreateLoginProfile', 'CreateRole'],
  },
  { file: 'identity-persistence.md', cell: 'trust-public', attack: 'identity-persistence', names: ['UpdateAssumeRolePolicy'] },
  { file: 'identity-persistence.md', cell: 'trust-foreign', attack: 'identity-persistence', names: ['CreateRole'] },
  { file: 'identity-persistence.md', cell: 'identity-providers', attack: 'identity-persistence', names: ['CreateOpenIDConnectProvider'] },
  {
    file: 'identity-persistence.md',
    cell: 'identity-center',
    attack: 'identity-persistence',
    names: ['CreatePermissionSet', 'AttachManagedPolicyToPermissionSet', 'CreateAccountAssignment'],
  },
];

const FILES = [...new Set(DETECTIONS.map((d) => d.file))];
const ATTACKS = [...new Set(DETECTIONS.map((d) => d.attack))];

/** eventID → eventName of every record in a generated trail's manifest attacks, read through the engine. */
async function namesOf(store: EventStore, logs: string, ids: string[]): Promise<Map<string, string>> {
  const list = ids.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');
  const md = `\`\`\`cloudtrail id=q\nSELECT eventID, eventName FROM cloudtrail_logs WHERE eventID IN (${list})\n\`\`\`\n`;
  const [r] = await runRunbook(parseRunbook(md, 'q.md'), { store, source: new LocalLogsSource(store, logs), window: GENERATED_WINDOW });
  return new Map(r!.rows.map((row) => [String(row[0]), String(row[1])]));
}

describe('issue 12 runbooks on generated trails', () => {
  const root = tempDir();
  const clean = join(root, 'clean');
  const attacked = join(root, 'attacked');
  let manifest: Manifest;
  before(async () => {
    await generateTrail({ outDir: clean, events: 8_000, seed: 11 });
    await generateTrail({ outDir: attacked, events: 8_000, seed: 11, attacks: ATTACKS });
    manifest = (await readManifest(attacked))!;
  });

  test('every cell of the five runbooks runs on the attacked trail', async () => {
    const store = await openStore();
    for (const file of FILES) {
      const runs = await run(store, file, attacked, GENERATED_WINDOW, undefined, ORG_PARAMS);
      for (const r of runs.values()) assert.ok(r.status === 'ok' || r.status === 'finding', `${file} ${r.cell.id}: ${r.status}`);
    }
  });

  test('without attacks, no detection finds anything', async () => {
    const store = await openStore();
    const counts: Record<string, number> = {};
    for (const d of DETECTIONS) {
      const runs = await run(store, d.file, clean, GENERATED_WINDOW, [d.cell], ORG_PARAMS);
      counts[`${d.file}#${d.cell}`] = runs.get(d.cell)!.rows.length;
    }
    assert.deepEqual(counts, Object.fromEntries(DETECTIONS.map((d) => [`${d.file}#${d.cell}`, 0])));
  });

  for (const d of DETECTIONS) {
    test(`${d.file} ${d.cell} finds the ${d.names.join(', ')} of ${d.attack}, and nothing of the background`, async () => {
      const store = await openStore();
      const attack = manifest.attacks.find((a) => a.name === d.attack)!;
      const names = await namesOf(store, attacked, attack.eventIDs);
      const expected = attack.eventIDs.filter((id) => d.names.includes(names.get(id)!));
      assert.ok(expected.length >= d.names.length, `${d.attack} has ${d.names.join(', ')}`);
      const runs = await run(store, d.file, attacked, GENERATED_WINDOW, [d.cell], ORG_PARAMS);
      assert.equal(runs.get(d.cell)!.status, 'finding');
      const found = eventIDs(runs.get(d.cell));
      assert.deepEqual(
        expected.filter((id) => !found.includes(id)),
        [],
        'every event of the attack is found',
      );
      const injected = new Set(manifest.attacks.flatMap((a) => a.eventIDs));
      assert.deepEqual(
        found.filter((id) => !injected.has(id)),
        [],
        'nothing of the background is found',
      );
    });
  }

  test('a detection that needs the customer\'s ranges or accounts says "not configured" until they are given', async () => {
    const store = await openStore();
    for (const [file, cell, param] of [
      ['instance-credentials-away.md', 'outside-ranges', 'known_ranges'],
      ['data-shared-outside.md', 'foreign', 'org_accounts'],
      ['identity-persistence.md', 'trust-foreign', 'org_accounts'],
    ] as const) {
      const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
      const runs = await runRunbook(runbook, {
        store,
        source: new LocalLogsSource(store, attacked),
        cellIds: [cell],
        window: GENERATED_WINDOW,
        params: {},
      });
      const r = runs.find((x) => x.cell.id === cell)!;
      assert.equal(r.status, 'unconfigured', `${file} ${cell}`);
      assert.match(r.error?.message ?? '', new RegExp(`not configured: set \`${param}\``));
    }
  });
});

// ------------------------------------------------------------------ Stratus

type StratusEvent = { eventID: string; eventName: string; userIdentity?: { principalId?: string } };
const stratusFile = (technique: string): StratusEvent[] =>
  JSON.parse(readFileSync(join(stratusDir(), `${technique}.json`), 'utf8')) as StratusEvent[];

interface StratusCase {
  file: string;
  cell: string;
  /** Technique, and which of its events the cell must list (every event the cell lists is one of these). */
  techniques: Array<[string, (e: StratusEvent) => boolean]>;
  params?: Record<string, string>;
}

const named =
  (...names: string[]) =>
  (e: StratusEvent) =>
    names.includes(e.eventName);
/** Accounts none of the detonations used: every sharing and trust in the dataset is foreign. */
const ELSEWHERE = { org_accounts: '111122223333', known_ranges: '192.0.2.0/24' };

const STRATUS: StratusCase[] = [
  {
    // The instance's own session, used from the detonation host: outside a range that does not hold it.
    file: 'instance-credentials-away.md',
    cell: 'outside-ranges',
    params: ELSEWHERE,
    techniques: [
      ['aws.credential-access.ec2-steal-instance-credentials', (e) => /:i-[0-9A-Fa-f]+$/.test(e.userIdentity?.principalId ?? '')],
    ],
  },
  {
    file: 'compute-execution.md',
    cell: 'ssm-commands',
    techniques: [
      ['aws.execution.ssm-send-command', named('SendCommand')],
      ['aws.execution.ssm-start-session', named('StartSession')],
      ['aws.credential-access.ec2-steal-instance-credentials', named('SendCommand')],
    ],
  },
  { file: 'compute-execution.md', cell: 'user-data', techniques: [['aws.execution.ec2-user-data', named('ModifyInstanceAttribute')]] },
  {
    file: 'compute-execution.md',
    cell: 'lambda',
    techniques: [
      ['aws.persistence.lambda-backdoor-function', named('AddPermission20150331v2')],
      ['aws.persistence.lambda-layer-extension', named('UpdateFunctionConfiguration20150331v2')],
      ['aws.persistence.lambda-overwrite-code', named('UpdateFunctionCode20150331v2')],
    ],
  },
  {
    file: 'data-shared-outside.md',
    cell: 'foreign',
    params: ELSEWHERE,
    techniques: [
      ['aws.exfiltration.ec2-share-ami', named('ModifyImageAttribute')],
      ['aws.exfiltration.ec2-share-ebs-snapshot', named('ModifySnapshotAttribute')],
      ['aws.exfiltration.rds-share-snapshot', named('ModifyDBSnapshotAttribute')],
    ],
  },
  {
    file: 'identity-persistence.md',
    cell: 'new-identities',
    params: ELSEWHERE,
    techniques: [
      ['aws.persistence.iam-create-admin-user', named('CreateUser')],
      ['aws.persistence.iam-create-backdoor-role', named('CreateRole')],
      ['aws.persistence.iam-create-user-login-profile', named('CreateLoginProfile')],
    ],
  },
  {
    file: 'identity-persistence.md',
    cell: 'trust-foreign',
    params: ELSEWHERE,
    techniques: [
      ['aws.persistence.iam-backdoor-role', named('UpdateAssumeRolePolicy')],
      ['aws.persistence.iam-create-backdoor-role', named('CreateRole')],
    ],
  },
  {
    file: 'identity-persistence.md',
    cell: 'identity-providers',
    params: ELSEWHERE,
    techniques: [['aws.persistence.rolesanywhere-create-trust-anchor', named('CreateTrustAnchor')]],
  },
];

/** Detections with nothing of theirs in the dataset (no GuardDuty, Config, Security Hub, ECS or root events). */
const STRATUS_QUIET: Array<[string, string]> = [
  ['instance-credentials-away.md', 'workstation-agent'],
  ['security-tooling-disabled.md', 'guardduty'],
  ['security-tooling-disabled.md', 'config'],
  ['security-tooling-disabled.md', 'security-hub'],
  ['security-tooling-disabled.md', 'cloudwatch'],
  ['security-tooling-disabled.md', 's3-access-logging'],
  ['compute-execution.md', 'ecs-task-definitions'],
  ['data-shared-outside.md', 'public'],
  ['identity-persistence.md', 'root-keys'],
  ['identity-persistence.md', 'trust-public'],
  ['identity-persistence.md', 'identity-center'],
];

describe('issue 12 runbooks on Stratus Red Team detonations', () => {
  for (const c of STRATUS) {
    test(`${c.file} ${c.cell} finds exactly ${c.techniques.map(([t]) => t).join(', ')}`, async () => {
      const store = await openStore();
      const runs = await run(store, c.file, stratusDir(), STRATUS_WINDOW, [c.cell], c.params ?? {});
      assert.equal(runs.get(c.cell)!.status, 'finding');
      const expected = sorted(
        c.techniques.flatMap(([t, pick]) =>
          stratusFile(t)
            .filter(pick)
            .map((e) => e.eventID),
        ),
      );
      assert.ok(expected.length >= c.techniques.length);
      assert.deepEqual(sorted(eventIDs(runs.get(c.cell))), expected);
    });
  }

  test('detections with nothing to find in Stratus stay quiet', async () => {
    const store = await openStore();
    for (const [file, cell] of STRATUS_QUIET) {
      const runs = await run(store, file, stratusDir(), STRATUS_WINDOW, [cell], ELSEWHERE);
      assert.equal(runs.get(cell)!.rows.length, 0, `${file} ${cell}`);
    }
  });
});
