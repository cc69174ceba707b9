// `source: athena` in the editor: where a cell runs (cell over front matter over the user's
// choice), the defaults when nothing is set, what a cell says when a setting is unusable,
// the lens label and window, and the source the runtime opens from the target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunbook } from '../../src/runbook';
import { AthenaSource } from '../../src/sources/athena/athenaSource';
import { SourcePool } from '../../src/app/openSource';
import {
  runTargets,
  sourceKindFor,
  TargetError,
  targetFor,
  targetLabel,
  windowLabelFor,
  type TrailbookSettings,
} from '../../src/extension/runTarget';

const RUNBOOK = `---
title: Keys
---

\`\`\`cloudtrail id=mine
SELECT eventName FROM cloudtrail_logs
\`\`\`

\`\`\`cloudtrail id=on-athena source=athena
SELECT eventName FROM cloudtrail_logs
\`\`\`
`;
const runbook = parseRunbook(RUNBOOK, 'keys.md');
const [mine, onAthena] = runbook.cells;

const settings = (over: Partial<TrailbookSettings> = {}): TrailbookSettings => ({
  source: 'local',
  logsPath: '/data/incident-42',
  profile: 'audit',
  regions: [],
  window: '',
  endpoint: '',
  rowLimit: 10_000,
  trinoServer: '',
  trinoTable: '',
  trinoUser: '',
  ...over,
});

test("a cell's source=athena runs on Athena with the defaults and the profile of trailbook.profile", () => {
  const targets = runTargets(settings(), { AWS_REGION: 'eu-west-1' }, '/w');
  assert.equal(sourceKindFor(targets, runbook, mine), 'local');
  assert.equal(sourceKindFor(targets, runbook, onAthena), 'athena');
  assert.deepEqual(targetFor(targets, runbook, onAthena), {
    kind: 'athena',
    workgroup: 'primary',
    database: 'default',
    table: 'cloudtrail_logs',
    catalog: 'AwsDataCatalog',
    region: 'eu-west-1',
    maxScanBytes: 10 * 1024 ** 3,
    pricePerTb: 5,
    profile: 'audit',
  });
  const chosen = runTargets(
    settings({
      source: 'athena',
      athena: { workgroup: 'ir', database: 'security', table: 'org_trail', accounts: ['111122223333'], maxScan: 50e9 },
    }),
    {},
    '/w',
  );
  const target = targetFor(chosen, runbook, mine);
  assert.equal(target.kind, 'athena');
  assert.equal(targetLabel(target, windowLabelFor(chosen, runbook, mine, 'athena')), 'Athena · ir · security.org_trail · 24h');
  assert.deepEqual(target.kind === 'athena' && [target.accounts, target.maxScanBytes], [['111122223333'], 50e9]);
});

test("an unusable setting is the cell's error, naming the setting to fix", () => {
  const targets = runTargets(settings({ source: 'athena', athena: { table: 'default.cloudtrail_logs' } }), {}, '/w');
  assert.throws(
    () => targetFor(targets, runbook, mine),
    (e: TargetError) =>
      e instanceof TargetError &&
      e.setting === 'trailbook.athena.table' &&
      /^trailbook\.athena\.table "default\.cloudtrail_logs": write the table name alone/.test(e.message) &&
      e.errorKind?.kind === 'athenaTarget',
  );
  const remote = runTargets(settings({ source: 'athena', athena: { endpoint: 'http://athena.example.com' } }), {}, '/w');
  assert.throws(
    () => targetFor(remote, runbook, mine),
    /trailbook\.athena\.endpoint http:\/\/athena\.example\.com: plain http is allowed only to this machine/,
  );
});

test('the pool opens an AthenaSource for the target, labelled by workgroup, table and region', async () => {
  const pool = new SourcePool(undefined);
  try {
    const target = targetFor(runTargets(settings({ source: 'athena', athena: { region: 'us-west-2' } }), {}, '/w'), runbook, mine);
    const { source, folder } = await pool.open(target);
    assert.ok(source instanceof AthenaSource);
    assert.equal(folder, undefined);
    assert.equal(source.label, 'Athena primary default.cloudtrail_logs (us-west-2)');
    assert.equal(source.defaultWindow, '24h');
  } finally {
    await pool.close();
  }
});
