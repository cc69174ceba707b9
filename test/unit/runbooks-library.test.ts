// The runbook library against attacks it is about: on the real Stratus Red Team
// detonations, on generated trails with and without injected attacks, and on hand-made
// events at the edges (CIDR matching, daylight-saving changes). Findings are compared by
// eventID, through a cell of the runbook that lists them (the detection itself, or the
// pivot a reader would run next for detections that aggregate).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { BlockList, isIPv4 } from 'node:net';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook/parse';
import { LocalLogsSource } from '../../src/sources/local/localLogs';
import { generateTrail, readManifest, type Manifest } from '../../src/testbed/loggen';
import { organisationParams } from '../../src/testbed/loggen/orgParams';
import type { EventStore } from '../../src/engine/eventStore';
import { stratusDir } from '../support/datasets';
import { tempDir } from '../support/tempDir';
import { openStore } from '../support/store';

const RUNBOOKS = resolve(__dirname, '../../runbooks');
const STRATUS_WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';
const GENERATED_WINDOW = '2025-03-01T00:00:00Z/2025-03-12T00:00:00Z';

type Event = { eventID: string; eventName: string; sourceIPAddress?: string; userAgent?: string };
const stratusFile = (technique: string): Event[] => JSON.parse(readFileSync(join(stratusDir(), `${technique}.json`), 'utf8')) as Event[];

/** The eventIDs of a technique's own calls (the attack's user agent, or all for files without one). */
const attackEvents = (technique: string, names: string[]): string[] =>
  stratusFile(technique)
    .filter((e) => names.includes(e.eventName))
    .map((e) => e.eventID);

async function run(
  store: EventStore,
  file: string,
  logs: string,
  window: string,
  cellIds: string[],
  params: Record<string, string> = {},
): Promise<Map<string, CellRun>> {
  const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
  // The runbooks invent no ranges, buckets or hours: the generated organisation's are given.
  const runs = await runRunbook(runbook, {
    store,
    source: new LocalLogsSource(store, logs),
    cellIds,
    window,
    params: { ...organisationParams(), ...params },
  });
  for (const r of runs) assert.equal(r.error, undefined, `${file} ${r.cell.id}: ${r.error?.message}`);
  return new Map(runs.map((r) => [r.cell.id, r]));
}

/** The values of one column of a cell's result. */
function column(r: CellRun | undefined, name: string): string[] {
  assert.ok(r, 'the cell ran');
  const i = r.columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  assert.ok(i >= 0, `${r.cell.id} has a column ${name}: ${r.columns.join(', ')}`);
  return r.rows.map((row) => String(row[i]));
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

// ------------------------------------------------------------------ Stratus

interface StratusCase {
  file: string;
  /** The detection (expect=empty) that must fire. */
  detection: string;
  /** The cell whose eventID column holds what was found (the detection or its pivot). */
  events: string;
  techniques: Array<[string, string[]]>;
  window?: string;
  params?: Record<string, string>;
}

const STRATUS: StratusCase[] = [
  {
    file: 'iam-policy-changes.md',
    detection: 'changes',
    events: 'changes',
    techniques: [
      ['aws.persistence.iam-backdoor-role', ['UpdateAssumeRolePolicy']],
      ['aws.persistence.iam-create-admin-user', ['AttachUserPolicy']],
      ['aws.persistence.iam-create-backdoor-role', ['AttachRolePolicy']],
      ['aws.persistence.iam-create-user-login-profile', ['CreateLoginProfile']],
      ['aws.privilege-escalation.iam-update-user-login-profile', ['UpdateLoginProfile']],
    ],
  },
  {
    // Brute-forcing one call: GetPasswordData on every instance, the user data of every instance.
    file: 'access-denied.md',
    detection: 'bursts',
    events: 'burst-events',
    techniques: [
      ['aws.credential-access.ec2-get-password-data', ['GetPasswordData']],
      ['aws.discovery.ec2-download-user-data', ['DescribeInstanceAttribute']],
    ],
  },
  {
    // Four detonations in four days, each by a user of its own account: the last two
    // (within 24 h of the latest AssumeRole) are callers the first two days never saw.
    file: 'assume-role-spikes.md',
    detection: 'first-seen',
    events: 'calls',
    window: '2024-07-30T00:00:00Z/2024-08-03T00:00:00Z',
    techniques: [
      ['aws.execution.ec2-launch-unusual-instances', ['AssumeRole']],
      ['aws.defense-evasion.organizations-leave', ['AssumeRole']],
    ],
  },
  {
    // The detonations ran in European office hours (11:30-12:04 UTC): off hours on the US west coast.
    file: 'ec2-off-hours.md',
    detection: 'off-hours',
    events: 'off-hours',
    params: { time_zone: 'America/Los_Angeles' },
    techniques: [
      ['aws.execution.ec2-user-data', ['StopInstances', 'StartInstances']],
      ['aws.execution.ec2-launch-unusual-instances', ['RunInstances']],
    ],
  },
];

describe('the runbook library on Stratus Red Team detonations', () => {
  for (const c of STRATUS) {
    test(`${c.file} ${c.detection} finds exactly ${c.techniques.map(([t]) => t).join(', ')}`, async () => {
      const store = await openStore();
      const runs = await run(store, c.file, stratusDir(), c.window ?? STRATUS_WINDOW, [c.detection, c.events], c.params);
      assert.equal(runs.get(c.detection)!.status, 'finding');
      const expected = sorted(c.techniques.flatMap(([t, names]) => attackEvents(t, names)));
      assert.ok(expected.length > 0);
      assert.deepEqual(sorted(column(runs.get(c.events), 'eventID')), expected);
    });
  }

  test('principal-activity follows a federation token from the IAM user to the federated session', async () => {
    const store = await openStore();
    const runs = await run(store, 'principal-activity.md', stratusDir(), STRATUS_WINDOW, ['timeline', 'issued'], {
      principal: 'arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user',
    });
    assert.deepEqual(
      sorted(column(runs.get('timeline'), 'eventID')),
      sorted(attackEvents('aws.persistence.sts-federation-token', ['GetFederationToken', 'GetCallerIdentity'])),
    );
    assert.deepEqual(column(runs.get('issued'), 'issuedKey'), ['ASIASTJKC5GCM7ZE6LUP']);
  });

  test('ip-outside-known-ranges lists every event from an address, and none from a service name', async () => {
    const store = await openStore();
    const ranges = '192.0.2.0/24, 18.0.0.0/8';
    const runs = await run(store, 'ip-outside-known-ranges.md', stratusDir(), STRATUS_WINDOW, ['outside', 'outside-events'], {
      known_ranges: ranges,
    });
    // The oracle: node's own CIDR matching, after reading zero-padded octets as decimal.
    const known = new BlockList();
    known.addSubnet('192.0.2.0', 24, 'ipv4');
    known.addSubnet('18.0.0.0', 8, 'ipv4');
    const all = readdirJson(stratusDir());
    const expected = all.filter((e) => {
      const ip = decimalOctets(e.sourceIPAddress ?? '');
      return ip !== undefined && !known.check(ip, 'ipv4');
    });
    assert.ok(
      all.some((e) => e.sourceIPAddress?.startsWith('18.')),
      'a range that excludes something',
    );
    assert.ok(expected.length > 250);
    assert.deepEqual(sorted(column(runs.get('outside-events'), 'eventID')), sorted(expected.map((e) => e.eventID)));
  });

  test('detections with nothing to find in Stratus stay quiet', async () => {
    const store = await openStore();
    for (const [file, cell, params] of [
      ['root-account-activity.md', 'root-activity', {}],
      ['assume-role-spikes.md', 'spikes', {}],
      ['access-denied.md', 'enumeration', {}],
      ['ec2-off-hours.md', 'off-hours', {}], // Europe/Berlin: the detonations were at 13:30-14:04 there
      ['s3-sensitive-objects-untrusted-ip.md', 'untrusted', {}], // no S3 data events in the dataset
    ] as Array<[string, string, Record<string, string>]>) {
      const runs = await run(store, file, stratusDir(), STRATUS_WINDOW, [cell], params);
      assert.equal(runs.get(cell)!.rows.length, 0, `${file} ${cell}`);
    }
  });
});

function readdirJson(dir: string): Event[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Event[]);
}

/** 08.1.250.216 → 8.1.250.216; undefined when the text is not four decimal octets. */
function decimalOctets(text: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  const ip = parts.join('.');
  return isIPv4(ip) ? ip : undefined;
}

// ------------------------------------------------------------------ generated trails

/** Detection → the attack it is for, and the cell that lists its events. */
const GENERATED: Array<{
  file: string;
  detection: string;
  events: string;
  attack: string;
  params?: Record<string, string>;
  names?: string[];
}> = [
  { file: 'root-account-activity.md', detection: 'root-activity', events: 'root-activity', attack: 'root-activity' },
  {
    file: 'iam-policy-changes.md',
    detection: 'changes',
    events: 'changes',
    attack: 'iam-admin-policy-attach',
    names: ['AttachUserPolicy', 'AttachRolePolicy'],
  },
  { file: 'assume-role-spikes.md', detection: 'spikes', events: 'calls', attack: 'assume-role-burst' },
  { file: 'access-denied.md', detection: 'enumeration', events: 'burst-events', attack: 'access-denied-enumeration' },
  { file: 's3-sensitive-objects-untrusted-ip.md', detection: 'untrusted', events: 'untrusted', attack: 's3-exfil-untrusted-ip' },
  { file: 'ip-outside-known-ranges.md', detection: 'outside', events: 'outside-events', attack: 'ipv6-foreign-access' },
  { file: 'ec2-off-hours.md', detection: 'off-hours', events: 'off-hours', attack: 'ec2-off-hours-launch' },
];

/** Every detection of the new runbooks (expect=empty cells), to count false positives. */
const DETECTIONS: Array<[string, string]> = [
  ['root-account-activity.md', 'root-activity'],
  ['iam-policy-changes.md', 'changes'],
  ['assume-role-spikes.md', 'spikes'],
  ['assume-role-spikes.md', 'first-seen'],
  ['access-denied.md', 'bursts'],
  ['access-denied.md', 'enumeration'],
  ['s3-sensitive-objects-untrusted-ip.md', 'untrusted'],
  ['ip-outside-known-ranges.md', 'invalid-ranges'],
  ['ip-outside-known-ranges.md', 'outside'],
  ['ec2-off-hours.md', 'off-hours'],
];

/**
 * False positives on the clean trail (seed 11, 8,000 events, 7 days), with the generated
 * organisation's parameters (orgParams.ts: its ranges, buckets, and a working day from 08:00
 * in Paris to 18:00 in New York). The one pattern left is listed by design:
 * - iam-policy-changes: 3 policy changes by administrators' Identity Center sessions from
 *   the office and VPN ranges (any IAM change is listed for review).
 * docs/runbook-library.md gives the figures on a clean trail of 1,000,000 events.
 */
const CLEAN_FINDINGS: Record<string, number> = {
  'root-account-activity.md#root-activity': 0,
  'iam-policy-changes.md#changes': 3,
  'assume-role-spikes.md#spikes': 0,
  'assume-role-spikes.md#first-seen': 0,
  'access-denied.md#bursts': 0,
  'access-denied.md#enumeration': 0,
  's3-sensitive-objects-untrusted-ip.md#untrusted': 0,
  'ip-outside-known-ranges.md#invalid-ranges': 0,
  'ip-outside-known-ranges.md#outside': 0,
  'ec2-off-hours.md#off-hours': 0,
};

/** Those of `ids` whose eventName is one of `names` (an injection also makes calls its detection is not about). */
async function eventsNamed(store: EventStore, logs: string, window: string, ids: string[], names: string[]): Promise<string[]> {
  const list = (xs: string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');
  const md = `\`\`\`cloudtrail id=q\nSELECT eventID FROM cloudtrail_logs WHERE eventID IN (${list(ids)}) AND eventName IN (${list(names)})\n\`\`\`\n`;
  const [r] = await runRunbook(parseRunbook(md, 'q.md'), { store, source: new LocalLogsSource(store, logs), window });
  return column(r, 'eventID');
}

describe('the runbook library on generated trails', () => {
  const root = tempDir();
  const clean = join(root, 'clean');
  const attacked = join(root, 'attacked');
  const night = join(root, 'night');
  let manifest: Manifest;
  let nightManifest: Manifest;
  before(async () => {
    await generateTrail({ outDir: clean, events: 8_000, seed: 11 });
    await generateTrail({ outDir: attacked, events: 8_000, seed: 11, attacks: GENERATED.map((g) => g.attack) });
    // A range that is all night in Europe (00:00-04:48 UTC on a Wednesday): wherever the
    // generator places the launch in it, it is off hours.
    await generateTrail({
      outDir: night,
      events: 1_500,
      seed: 11,
      start: new Date('2025-03-05T00:00:00Z'),
      days: 0.2,
      attacks: ['ec2-off-hours-launch'],
    });
    manifest = (await readManifest(attacked))!;
    nightManifest = (await readManifest(night))!;
  });

  const findings = async (logs: string): Promise<Record<string, number>> => {
    const store = await openStore();
    const counts: Record<string, number> = {};
    for (const [file, cell] of DETECTIONS) {
      const runs = await run(store, file, logs, GENERATED_WINDOW, [cell]);
      counts[`${file}#${cell}`] = runs.get(cell)!.rows.length;
    }
    return counts;
  };

  test('every cell of every library runbook runs on the attacked trail', async () => {
    const store = await openStore();
    const files = [...new Set([...DETECTIONS.map(([f]) => f), 'principal-activity.md'])];
    for (const file of files) {
      const runbook = parseRunbook(readFileSync(join(RUNBOOKS, file), 'utf8'), file);
      for (const r of await runRunbook(runbook, {
        store,
        source: new LocalLogsSource(store, attacked),
        window: GENERATED_WINDOW,
        params: organisationParams(),
      })) {
        assert.equal(r.error, undefined, `${file} ${r.cell.id}: ${r.error?.message}`);
      }
    }
  });

  test('without attacks, the detections find only the known benign look-alikes', async () => {
    assert.deepEqual(await findings(clean), CLEAN_FINDINGS);
  });

  for (const g of GENERATED) {
    test(`${g.file} ${g.detection} finds every event of the ${g.attack} injection`, async () => {
      const store = await openStore();
      const isNight = g.attack === 'ec2-off-hours-launch';
      const m = isNight ? nightManifest : manifest;
      const logs = isNight ? night : attacked;
      const window = isNight ? '2025-03-05T00:00:00Z/2025-03-06T00:00:00Z' : GENERATED_WINDOW;
      const attack = m.attacks.find((a) => a.name === g.attack)!;
      const runs = await run(store, g.file, logs, window, [g.detection, g.events], g.params);
      assert.equal(runs.get(g.detection)!.status, 'finding');
      const found = new Set(column(runs.get(g.events), 'eventID'));
      const expected = g.names ? await eventsNamed(store, logs, window, attack.eventIDs, g.names) : attack.eventIDs;
      assert.ok(expected.length > 0);
      const missing = expected.filter((id) => !found.has(id));
      assert.deepEqual(missing, [], `${g.attack}: every injected event is found`);
      // Nothing else but the other injected attacks (they share attacker addresses and
      // tools, so the pivots list them too) and the clean trail's benign look-alikes.
      const others = new Set(m.attacks.filter((a) => a !== attack).flatMap((a) => a.eventIDs));
      const extra = [...found].filter((id) => !attack.eventIDs.includes(id) && !others.has(id));
      const allowed = g.events === g.detection ? (CLEAN_FINDINGS[`${g.file}#${g.detection}`] ?? 0) : 0;
      assert.ok(extra.length <= allowed, `${g.attack}: ${extra.length} other events listed (allowed ${allowed})`);
    });
  }
});

// ------------------------------------------------------------------ edges

const record = (i: number, fields: Record<string, unknown>) => ({
  eventVersion: '1.08',
  eventTime: '2025-01-01T00:00:00Z',
  eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  eventName: 'GetCallerIdentity',
  eventSource: 'sts.amazonaws.com',
  awsRegion: 'us-east-1',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/edge' },
  ...fields,
});

/** Writes one log file into `root`/logs (a tempDir made outside hooks, which would remove it early). */
function writeLogs(root: string, events: object[]): string {
  const dir = join(root, 'logs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'events.json'), JSON.stringify({ Records: events }));
  return dir;
}

describe('ip-outside-known-ranges at the edges', () => {
  const RANGES = '10.0.0.0/8, 192.168.1.0/24, 203.0.113.7/32, 203.0.113.8, 2001:db8::/32, 2a00:1450:4000::/37, 2600:1f18:abcd::1/128';
  const INSIDE = [
    '10.0.0.0',
    '10.255.255.255', // network and broadcast addresses
    '192.168.1.0',
    '192.168.1.255',
    '203.0.113.7',
    '203.0.113.8', // /32 and a bare address
    '::ffff:10.1.2.3',
    '::FFFF:192.168.1.9',
    '0:0:0:0:0:ffff:10.9.9.9', // IPv4-mapped, any spelling
    '2001:db8::',
    '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:0db8:0000:0000:0000:0000:0000:0001',
    '2a00:1450:4007:ffff::1', // a prefix that is not a multiple of 4 bits (/37)
    '2600:1f18:abcd::1', // /128
  ];
  const OUTSIDE = [
    '9.255.255.255',
    '11.0.0.0',
    '192.168.0.255',
    '192.168.2.0',
    '203.0.113.6',
    '2001:db9::',
    '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
    '2a00:1450:4800::1',
    '2600:1f18:abcd::2',
    '::1',
    '::',
    '::ffff:11.0.0.1',
    '64:ff9b::10.1.2.3', // NAT64 embeds an IPv4 address, but it is not IPv4-mapped
    '08.1.250.216', // zero-padded octets (anonymised logs) read as decimal: 8.1.250.216
  ];
  const NOT_ADDRESSES = [
    'ec2.amazonaws.com',
    'AWS Internal',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '2001:db8::1::2',
    '2001:db8:::1',
    ':1',
    '1:',
    '12345::1',
    'fe80::1%eth0',
    'g::1',
    '',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1.2.3.4:80',
  ];
  const root = tempDir();
  let logs: string;
  before(() => {
    logs = writeLogs(
      root,
      [...INSIDE, ...OUTSIDE, ...NOT_ADDRESSES].map((ip, i) => record(i, { sourceIPAddress: ip })),
    );
  });
  const outside = async (ranges: string): Promise<string[]> => {
    const store = await openStore();
    const runs = await run(
      store,
      'ip-outside-known-ranges.md',
      logs,
      '2024-12-31T00:00:00Z/2025-01-02T00:00:00Z',
      ['invalid-ranges', 'outside'],
      { known_ranges: ranges },
    );
    assert.deepEqual(column(runs.get('invalid-ranges'), 'cidr'), []);
    return sorted(column(runs.get('outside'), 'sourceIPAddress'));
  };

  test('inside, outside, and text that is not an address', async () => {
    assert.deepEqual(await outside(RANGES), sorted(OUTSIDE));
  });

  test('0.0.0.0/0 holds every IPv4 and IPv4-mapped address; ::/0 holds everything', async () => {
    const v6 = [...INSIDE, ...OUTSIDE].filter((ip) => ip.includes(':') && !/^(::|0:0:0:0:0:)ffff:/i.test(ip));
    assert.deepEqual(await outside('0.0.0.0/0'), sorted(v6));
    assert.deepEqual(await outside('::/0'), []);
  });

  test('the oracle agrees: node BlockList on the same ranges', () => {
    const list = new BlockList();
    for (const cidr of RANGES.split(',').map((s) => s.trim())) {
      const [net, bits] = cidr.split('/');
      const v6 = net!.includes(':');
      list.addSubnet(net!, bits === undefined ? (v6 ? 128 : 32) : Number(bits), v6 ? 'ipv6' : 'ipv4');
    }
    const plain = (ip: string) => decimalOctets(ip) ?? ip;
    for (const ip of INSIDE.filter((x) => !/ffff:/i.test(x)))
      assert.equal(list.check(plain(ip), ip.includes(':') ? 'ipv6' : 'ipv4'), true, ip);
    for (const ip of OUTSIDE.filter((x) => !/ffff:|ff9b/i.test(x)))
      assert.equal(list.check(plain(ip), ip.includes(':') ? 'ipv6' : 'ipv4'), false, ip);
  });

  test('ranges that do not parse are reported', async () => {
    const store = await openStore();
    const runs = await run(store, 'ip-outside-known-ranges.md', logs, '2024-12-31T00:00:00Z/2025-01-02T00:00:00Z', ['invalid-ranges'], {
      known_ranges: '10.0.0.0/8, 10.0.0.0/33, 1.2.3/8, 2001:db8::/129, 2001:db8::/64',
    });
    assert.deepEqual(sorted(column(runs.get('invalid-ranges'), 'cidr')), sorted(['10.0.0.0/33', '1.2.3/8', '2001:db8::/129']));
  });
});

describe('ec2-off-hours across daylight-saving changes', () => {
  // Europe/Berlin: CET (UTC+1) until 2025-03-30 01:00 UTC, CEST (UTC+2) until 2025-10-26 01:00 UTC.
  // The same UTC time of day is in business hours on one side of a change and not on the other.
  const CASES: Array<[string, boolean, string]> = [
    ['2025-03-28T06:30:00Z', true, 'Fri 07:30 CET: before 08:00'],
    ['2025-03-31T06:30:00Z', false, 'Mon 08:30 CEST: business hours'],
    ['2025-03-28T17:30:00Z', false, 'Fri 18:30 CET: business hours'],
    ['2025-03-31T17:30:00Z', true, 'Mon 19:30 CEST: after 19:00'],
    ['2025-03-30T00:30:00Z', true, 'Sun 01:30 CET, the night of the change'],
    ['2025-10-24T06:30:00Z', false, 'Fri 08:30 CEST'],
    ['2025-10-27T06:30:00Z', true, 'Mon 07:30 CET'],
    ['2025-10-24T17:30:00Z', true, 'Fri 19:30 CEST'],
    ['2025-10-27T17:30:00Z', false, 'Mon 18:30 CET'],
    ['2025-10-25T10:00:00Z', true, 'Saturday noon'],
    ['2025-10-27T07:00:00Z', false, 'Mon 08:00 CET: the first minute of the day is in'],
    ['2025-10-27T17:59:59Z', false, 'Mon 18:59:59 CET: the last second is in'],
    ['2025-10-27T18:00:00Z', true, 'Mon 19:00 CET: the end hour is out'],
  ];

  test('hour() of AT TIME ZONE follows the zone rules', async () => {
    const logs = writeLogs(
      tempDir(),
      CASES.map(([time], i) =>
        record(i, {
          eventTime: time,
          eventSource: 'ec2.amazonaws.com',
          eventName: 'StartInstances',
          sourceIPAddress: '192.0.2.10',
          requestParameters: { instancesSet: { items: [{ instanceId: `i-${String(i).padStart(17, '0')}` }] } },
        }),
      ),
    );
    const store = await openStore();
    const runs = await run(store, 'ec2-off-hours.md', logs, '2025-03-01T00:00:00Z/2025-11-01T00:00:00Z', ['off-hours'], {
      time_zone: 'Europe/Berlin',
      business_start: '8',
      business_end: '19',
    });
    const found = new Set(column(runs.get('off-hours'), 'eventTime'));
    for (const [time, off, why] of CASES) assert.equal(found.has(time), off, `${time} (${why})`);
    // The local time shown to the reader is the zone's wall clock.
    const local = column(runs.get('off-hours'), 'localDateTime');
    assert.ok(local.includes('2025-03-31 19:30:00'), local.join(', '));
  });
});

describe('verification cells show that a response took effect', () => {
  const user = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice', accessKeyId: 'AKIAALICEOLDKEY00001' };
  const attacker = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice', accessKeyId: 'AKIANEWKEY0000000001' };
  const events = (respond: boolean, stillWorks = false) => [
    record(1, {
      eventTime: '2025-01-01T02:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      sourceIPAddress: '185.220.101.47',
      userIdentity: user,
      requestParameters: { userName: 'alice' },
      responseElements: { accessKey: { accessKeyId: attacker.accessKeyId, userName: 'alice', status: 'Active' } },
    }),
    record(2, {
      eventTime: '2025-01-01T02:05:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      sourceIPAddress: '185.220.101.47',
      userIdentity: attacker,
    }),
    ...(respond
      ? [
          record(3, {
            eventTime: '2025-01-01T03:00:00Z',
            eventSource: 'iam.amazonaws.com',
            eventName: 'UpdateAccessKey',
            sourceIPAddress: '192.0.2.10',
            userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/oncall' },
            requestParameters: { userName: 'alice', accessKeyId: attacker.accessKeyId, status: 'Inactive' },
          }),
          // The attacker tries again: refused, so not a success after the response.
          record(4, {
            eventTime: '2025-01-01T03:10:00Z',
            eventSource: 'sts.amazonaws.com',
            eventName: 'GetCallerIdentity',
            sourceIPAddress: '185.220.101.47',
            userIdentity: attacker,
            ...(stillWorks ? {} : { errorCode: 'InvalidClientTokenId' }),
          }),
        ]
      : []),
  ];

  test('access-keys-without-mfa: the verify cells list the key until it is off, and a key that still works', async () => {
    const window = '2024-12-31T00:00:00Z/2025-01-02T00:00:00Z';
    const cells = ['verify-keys-off', 'verify-keys-dead'];
    const verify = async (respond: boolean, stillWorks = false) => {
      const store = await openStore();
      const runs = await run(store, 'access-keys-without-mfa.md', writeLogs(tempDir(), events(respond, stillWorks)), window, cells);
      return { open: column(runs.get('verify-keys-off'), 'newKey'), dead: column(runs.get('verify-keys-dead'), 'eventName') };
    };
    assert.deepEqual(await verify(false), { open: [attacker.accessKeyId], dead: [] }, 'before the response: still to do');
    assert.deepEqual(await verify(true), { open: [], dead: [] }, 'after it: done, and the retry was refused');
    // A key that still works after the response (say, the wrong key was deactivated) shows.
    assert.deepEqual(await verify(true, true), { open: [], dead: ['GetCallerIdentity'] });
  });
});
