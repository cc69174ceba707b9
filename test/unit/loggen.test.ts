// The log generator: reproducible, laid out like CloudTrail's S3 delivery, exact in
// count and range, quiet on a clean trail, and loud (in the documented way) for each
// injected attack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  ATTACK_NAMES,
  generateTrail,
  MANIFEST_FILE,
  readManifest,
  REGIONS,
  type CloudTrailRecord,
  type Manifest,
} from '../../src/testbed/loggen/index';
import { entryOf, itemAt } from '../support/itemAt';

const DAY = 86_400_000;
const START = new Date('2025-03-03T00:00:00Z');

interface TrailFile {
  rel: string;
  bytes: Buffer;
  records: CloudTrailRecord[];
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out.sort();
}

async function readTrail(dir: string): Promise<{ files: TrailFile[]; records: CloudTrailRecord[]; manifest: Manifest }> {
  const files: TrailFile[] = [];
  for (const path of await listFiles(join(dir, 'AWSLogs'))) {
    const bytes = await readFile(path);
    const doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as { Records: CloudTrailRecord[] };
    assert.deepEqual(Object.keys(doc), ['Records'], `${path} holds {"Records": [...]}`);
    assert.ok(Array.isArray(doc.Records) && doc.Records.length > 0);
    files.push({ rel: relative(dir, path).split(sep).join('/'), bytes, records: doc.Records });
  }
  const manifest = await readManifest(dir);
  assert.ok(manifest, 'manifest.json from the generator');
  return { files, records: files.flatMap((f) => f.records), manifest };
}

let root: string;
const fresh = async (name: string) => join(root, name);
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'loggen-test-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('same seed gives byte-identical files, another seed different ones', async () => {
    const opts = { events: 1500, seed: 42, days: 0.25, attacks: ['stop-logging', 'assume-role-burst'] };
    await generateTrail({ ...opts, outDir: await fresh('det-a') });
    await generateTrail({ ...opts, outDir: await fresh('det-b') });
    await generateTrail({ ...opts, seed: 43, outDir: await fresh('det-c') });
    const a = await listFiles(join(root, 'det-a'));
    const b = await listFiles(join(root, 'det-b'));
    const c = await listFiles(join(root, 'det-c'));
    assert.deepEqual(
      a.map((p) => relative(join(root, 'det-a'), p)),
      b.map((p) => relative(join(root, 'det-b'), p)),
    );
    for (let i = 0; i < a.length; i++) assert.ok((await readFile(itemAt(a, i))).equals(await readFile(itemAt(b, i))), `${a[i]} differs`);
    const names = (xs: string[], d: string) => new Set(xs.map((p) => relative(join(root, d), p)));
    const common = [...names(a, 'det-a')].filter((x) => names(c, 'det-c').has(x));
    assert.deepEqual(common, [MANIFEST_FILE], 'a different seed names files differently');
    const ma = JSON.parse(await readFile(join(root, 'det-a', MANIFEST_FILE), 'utf8')) as Manifest;
    const mc = JSON.parse(await readFile(join(root, 'det-c', MANIFEST_FILE), 'utf8')) as Manifest;
    assert.notDeepEqual(itemAt(ma.attacks, 0).eventIDs, itemAt(mc.attacks, 0).eventIDs);
  });
});

describe('a generated trail', () => {
  const events = 5000;
  const days = 2;
  let trail: Awaited<ReturnType<typeof readTrail>>;
  let result: Awaited<ReturnType<typeof generateTrail>>;
  before(async () => {
    const outDir = await fresh('shape');
    result = await generateTrail({ outDir, events, seed: 5, start: START, days });
    trail = await readTrail(outDir);
  });

  it('has exactly the requested number of events, reported consistently', () => {
    assert.equal(trail.records.length, events);
    assert.equal(result.events, events);
    assert.equal(result.files, trail.files.length);
    assert.equal(
      result.bytes,
      trail.files.reduce((n, f) => n + f.bytes.length, 0),
    );
    assert.equal(trail.manifest.events, events);
    assert.equal(trail.manifest.files, trail.files.length);
    assert.equal(
      Object.values(trail.manifest.eventsBySource).reduce((a, b) => a + b, 0),
      events,
    );
  });

  it('uses the S3 layout and file names CloudTrail writes', () => {
    const re =
      /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8})T(\d{2})(\d{2})Z_([A-Za-z0-9]{16})\.json\.gz$/;
    const accounts = new Set(trail.manifest.accounts.map((a) => a.id));
    for (const f of trail.files) {
      const m = re.exec(f.rel);
      assert.ok(m, `file name ${f.rel}`);
      const [, acct, region, y, mo, d, acct2, region2, stamp, hh, mm] = m;
      assert.equal(acct2, acct);
      assert.equal(region2, region);
      assert.ok(accounts.has(acct!));
      assert.ok((REGIONS as readonly string[]).includes(region!));
      assert.equal(stamp, `${y}${mo}${d}`, 'the folder is the delivery date');
      const delivered = Date.UTC(+y!, +mo! - 1, +d!, +hh!, +mm!);
      for (const r of f.records) {
        assert.equal(r.recipientAccountId, acct);
        assert.equal(r.awsRegion, region);
        const t = Date.parse(r.eventTime);
        assert.ok(t < delivered, `${r.eventTime} is delivered after it happened (${f.rel})`);
        assert.ok(t >= delivered - 16 * 60_000, `${r.eventTime} waited at most ~15 minutes for delivery (${f.rel})`);
      }
    }
  });

  it('has the required fields on every record', () => {
    const ids = new Set<string>();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const r of trail.records) {
      assert.match(r.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(r.eventVersion, /^1\.(08|09|10|11)$/);
      assert.match(r.eventSource, /^[a-z0-9-]+\.amazonaws\.com$/);
      assert.ok(r.eventName.length > 0);
      assert.ok((REGIONS as readonly string[]).includes(r.awsRegion));
      assert.match(r.eventID, uuid);
      assert.ok(!ids.has(r.eventID), `duplicate eventID ${r.eventID}`);
      ids.add(r.eventID);
      assert.ok(r.userIdentity && typeof r.userIdentity.type === 'string', 'userIdentity.type');
      assert.equal(typeof r.readOnly, 'boolean');
      assert.ok(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent'].includes(r.eventType));
      assert.equal(r.managementEvent, r.eventCategory === 'Management');
      assert.match(r.recipientAccountId, /^\d{12}$/);
      assert.ok('requestParameters' in r && 'responseElements' in r);
      assert.ok(r.sourceIPAddress && r.userAgent);
      if (r.errorCode) assert.equal(r.responseElements, null);
    }
  });

  it('has a realistic mix', () => {
    const n = trail.records.length;
    const count = (p: (r: CloudTrailRecord) => boolean) => trail.records.filter(p).length / n;
    const types = new Set(trail.records.map((r) => r.userIdentity.type));
    for (const t of ['IAMUser', 'AssumedRole', 'AWSService', 'FederatedUser', 'WebIdentityUser']) assert.ok(types.has(t as never), t);
    assert.ok(count((r) => r.readOnly) > 0.6, 'mostly reads');
    assert.ok(count((r) => r.eventCategory === 'Data') > 0.15, 'S3 data events');
    const errors = count((r) => r.errorCode !== undefined);
    assert.ok(errors > 0.005 && errors < 0.08, `a few % errors (${errors})`);
    assert.ok(count((r) => r.tlsDetails !== undefined) > 0.5, 'tlsDetails on many');
    assert.ok(trail.records.some((r) => r.sessionCredentialFromConsole === 'true'));
    assert.ok(trail.records.some((r) => r.eventName === 'ConsoleLogin'));
    assert.ok(trail.records.some((r) => r.userIdentity.sessionContext?.sessionIssuer?.arn));
    assert.ok(trail.records.some((r) => Array.isArray(r.resources) && r.resources.length > 0));
    const ak = trail.records.filter((r) => r.userIdentity.accessKeyId).map((r) => r.userIdentity.accessKeyId!);
    assert.ok(ak.every((k) => /^(AKIA|ASIA)[A-Z2-7]{16}$/.test(k)));
  });

  it('logs IAM, STS and sign-in only in us-east-1', () => {
    const global = trail.records.filter((r) => /^(iam|sts|signin)\./.test(r.eventSource));
    assert.ok(global.length > 0);
    for (const r of global) assert.equal(r.awsRegion, 'us-east-1', `${r.eventSource} ${r.eventName}`);
  });

  it('keeps every event inside the range', () => {
    const start = START.getTime();
    for (const r of trail.records) {
      const t = Date.parse(r.eventTime);
      assert.ok(t >= start && t < start + days * DAY, r.eventTime);
    }
    assert.equal(trail.manifest.start, '2025-03-03T00:00:00Z');
    assert.equal(trail.manifest.end, '2025-03-05T00:00:00Z');
  });

  it('follows a daily rhythm: more during business hours', () => {
    const byHour = new Array(24).fill(0) as number[];
    for (const r of trail.records) {
      const hour = Number(r.eventTime.slice(11, 13));
      byHour[hour] = itemAt(byHour, hour) + 1;
    }
    const office = byHour.slice(9, 16).reduce((a, b) => a + b, 0) / 7;
    const night = byHour.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    assert.ok(office > night * 1.3, `office ${office} vs night ${night}`);
  });
});

// ---- attack patterns, as detections would look for them ------------------------------

const mfa = (r: CloudTrailRecord) => r.userIdentity.sessionContext?.attributes.mfaAuthenticated === 'true';
const callerOf = (r: CloudTrailRecord) => r.userIdentity.arn ?? r.userIdentity.invokedBy ?? r.userIdentity.principalId ?? '';
const isDenied = (r: CloudTrailRecord) => /AccessDenied|UnauthorizedOperation/.test(r.errorCode ?? '');
const ext = (r: CloudTrailRecord) => (r.additionalEventData ?? {}) as Record<string, string>;
const params = (r: CloudTrailRecord) => JSON.stringify(r.requestParameters ?? {});

/** The largest number of records by one caller inside any window of `ms`. */
function maxInWindow(records: CloudTrailRecord[], ms: number): { caller: string; count: number; sources: number } {
  const by = new Map<string, CloudTrailRecord[]>();
  for (const r of records) {
    const k = callerOf(r);
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(r);
  }
  let best = { caller: '', count: 0, sources: 0 };
  for (const [caller, rs] of by) {
    rs.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    let lo = 0;
    for (let hi = 0; hi < rs.length; hi++) {
      while (Date.parse(itemAt(rs, hi).eventTime) - Date.parse(itemAt(rs, lo).eventTime) >= ms) lo++;
      if (hi - lo + 1 > best.count)
        best = { caller, count: hi - lo + 1, sources: new Set(rs.slice(lo, hi + 1).map((r) => r.eventSource)).size };
    }
  }
  return best;
}

const PATTERNS: Record<string, (records: CloudTrailRecord[]) => boolean> = {
  'stop-logging': (rs) => rs.some((r) => r.eventName === 'StopLogging'),
  'delete-trail': (rs) => rs.some((r) => r.eventName === 'DeleteTrail'),
  'create-access-key-no-mfa': (rs) => rs.some((r) => r.eventName === 'CreateAccessKey' && !mfa(r)),
  'console-login-no-mfa': (rs) => rs.some((r) => r.eventName === 'ConsoleLogin' && ext(r).MFAUsed !== 'Yes'),
  'security-group-open-22': (rs) =>
    rs.some((r) => r.eventName === 'AuthorizeSecurityGroupIngress' && /0\.0\.0\.0\/0|::\/0/.test(params(r))),
  'root-activity': (rs) => rs.some((r) => r.userIdentity.type === 'Root'),
  'iam-admin-policy-attach': (rs) =>
    rs.some(
      (r) =>
        /^Attach(User|Role|Group)Policy$/.test(r.eventName) &&
        (r.requestParameters as { policyArn?: string }).policyArn === 'arn:aws:iam::aws:policy/AdministratorAccess',
    ),
  'assume-role-burst': (rs) =>
    maxInWindow(
      rs.filter((r) => r.eventName === 'AssumeRole'),
      60_000,
    ).count >= 10,
  'access-denied-enumeration': (rs) => {
    const m = maxInWindow(rs.filter(isDenied), 5 * 60_000);
    return m.count >= 10 && m.sources >= 5;
  },
  'ec2-off-hours-launch': (rs) => rs.some((r) => r.eventName === 'RunInstances' && /"instanceType":"p3\./.test(params(r))),
  's3-exfil-untrusted-ip': (rs) =>
    rs.filter((r) => r.eventName === 'GetObject' && /^185\.220\.|^167\.99\.|^45\.148\./.test(r.sourceIPAddress)).length >= 10,
  'ipv6-foreign-access': (rs) => rs.some((r) => r.sourceIPAddress.includes(':')),
  'instance-credentials-exfil': (rs) =>
    rs.some(
      (r) => /:i-[0-9a-f]+$/.test(r.userIdentity.principalId ?? '') && /os\/macos/.test(r.userAgent) && !/^10\./.test(r.sourceIPAddress),
    ),
  'security-tooling-off': (rs) =>
    ['CreateIPSet', 'StopConfigurationRecorder', 'BatchUpdateFindings', 'DeleteLogGroup', 'PutBucketLogging'].every((name) =>
      rs.some((r) => r.eventName === name),
    ),
  'compute-execution': (rs) =>
    ['SendCommand', 'ModifyInstanceAttribute', 'CreateFunctionUrlConfig20211031', 'RegisterTaskDefinition'].every((name) =>
      rs.some((r) => r.eventName === name),
    ),
  'share-with-foreign-account': (rs) =>
    rs.some((r) => r.eventName === 'ModifySnapshotAttribute' && /createVolumePermission/.test(params(r))) &&
    rs.some((r) => r.eventName === 'PutBucketPolicy' && /"Principal":"\*"/.test(params(r))),
  'identity-persistence': (rs) =>
    rs.some((r) => r.eventName === 'CreateAccessKey' && r.userIdentity.type === 'Root') &&
    rs.some((r) => r.eventSource === 'sso.amazonaws.com'),
};

describe('a clean trail', () => {
  // Dense (many events per principal per minute) and sparse trails both stay quiet.
  for (const [events, days] of [
    [20000, 1],
    [2000, 5],
  ] as const) {
    it(`contains none of the attack patterns (${events} events over ${days} days)`, async () => {
      const outDir = await fresh(`clean-${events}-${days}`);
      await generateTrail({ outDir, events, seed: 11, days });
      const { records, manifest } = await readTrail(outDir);
      assert.deepEqual(manifest.attacks, []);
      assert.equal(manifest.attackEvents, 0);
      for (const [name, found] of Object.entries(PATTERNS)) assert.equal(found(records), false, `clean trail shows ${name}`);
      // The benign look-alikes exist, so detections must be precise rather than just quiet.
      assert.ok(records.some((r) => r.eventName === 'AssumeRole'));
      assert.ok(records.some(isDenied));
    });
  }
});

describe('attacks', () => {
  let trail: Awaited<ReturnType<typeof readTrail>>;
  const byId = new Map<string, CloudTrailRecord>();
  before(async () => {
    const outDir = await fresh('attacks');
    await generateTrail({ outDir, events: 4000, seed: 3, days: 1, attacks: [...ATTACK_NAMES] });
    trail = await readTrail(outDir);
    for (const r of trail.records) byId.set(r.eventID, r);
  });

  it('lists every injected attack in the manifest, with eventIDs that exist', () => {
    assert.deepEqual(
      trail.manifest.attacks.map((a) => a.name),
      [...ATTACK_NAMES],
    );
    let total = 0;
    for (const a of trail.manifest.attacks) {
      assert.ok(a.eventIDs.length > 0, a.name);
      for (const id of a.eventIDs) assert.ok(byId.has(id), `${a.name}: ${id} is in the trail`);
      total += a.eventIDs.length;
      assert.ok(a.firstEventTime <= a.lastEventTime);
    }
    assert.equal(trail.manifest.attackEvents, total);
    assert.equal(trail.records.length, 4000, 'attacks count toward the requested total');
  });

  const eventsOf = (name: string) => trail.manifest.attacks.find((a) => a.name === name)!.eventIDs.map((id) => byId.get(id)!);

  it('each attack shows its pattern, and its events come from the attacker', () => {
    for (const a of trail.manifest.attacks) {
      const rs = eventsOf(a.name);
      assert.ok(entryOf(PATTERNS, a.name)(rs), `${a.name} shows its own pattern`);
      for (const r of rs) assert.equal(r.sourceIPAddress, a.sourceIPAddress, `${a.name} from one address`);
      assert.ok(
        rs.some((r) => callerOf(r) === a.principal || r.userIdentity.principalId === a.account),
        a.name,
      );
    }
  });

  it('stop-logging and delete-trail name the audit trail', () => {
    for (const [name, event] of [
      ['stop-logging', 'StopLogging'],
      ['delete-trail', 'DeleteTrail'],
    ]) {
      const r = eventsOf(name!).find((x) => x.eventName === event)!;
      assert.equal(r.eventSource, 'cloudtrail.amazonaws.com');
      assert.match(String((r.requestParameters as { name: string }).name), /:trail\/security-audit-trail$/);
      assert.equal(r.errorCode, undefined);
    }
  });

  it('create-access-key-no-mfa: the new key is then used', () => {
    const rs = eventsOf('create-access-key-no-mfa');
    const create = rs.find((r) => r.eventName === 'CreateAccessKey')!;
    assert.equal(create.userIdentity.sessionContext, undefined, 'a long-term key: no session, no MFA');
    const newKey = (create.responseElements as { accessKey: { accessKeyId: string } }).accessKey.accessKeyId;
    assert.match(newKey, /^AKIA/);
    const used = rs.filter((r) => r.userIdentity.accessKeyId === newKey);
    assert.ok(used.length >= 3);
    assert.ok(used.every((r) => r.eventTime >= create.eventTime));
  });

  it('console-login-no-mfa: a successful login without MFA, then console activity', () => {
    const rs = eventsOf('console-login-no-mfa');
    const ok = rs.find(
      (r) => r.eventName === 'ConsoleLogin' && (r.responseElements as { ConsoleLogin: string }).ConsoleLogin === 'Success',
    )!;
    assert.equal(ext(ok).MFAUsed, 'No');
    assert.equal(ok.eventType, 'AwsConsoleSignIn');
    const failures = rs.filter((r) => r.eventName === 'ConsoleLogin' && r.errorMessage === 'Failed authentication');
    assert.equal(failures.length, 2);
    assert.ok(rs.some((r) => r.sessionCredentialFromConsole === 'true' && !mfa(r)));
  });

  it('security-group-open-22: tcp/22 from 0.0.0.0/0', () => {
    const r = eventsOf('security-group-open-22').find((x) => x.eventName === 'AuthorizeSecurityGroupIngress')!;
    const perm = itemAt(
      (
        r.requestParameters as {
          ipPermissions: { items: { fromPort: number; toPort: number; ipRanges: { items: { cidrIp: string }[] } }[] };
        }
      ).ipPermissions.items,
      0,
    );
    assert.equal(perm.fromPort, 22);
    assert.equal(perm.toPort, 22);
    assert.equal(itemAt(perm.ipRanges.items, 0).cidrIp, '0.0.0.0/0');
  });

  it('root-activity: a root console login and calls as root', () => {
    const rs = eventsOf('root-activity');
    assert.ok(rs.every((r) => r.userIdentity.type === 'Root'));
    assert.ok(rs.some((r) => r.eventName === 'ConsoleLogin'));
    assert.ok(rs.filter((r) => r.eventName !== 'ConsoleLogin').length >= 3);
  });

  it('iam-admin-policy-attach: AdministratorAccess attached to a user and a role', () => {
    const rs = eventsOf('iam-admin-policy-attach');
    for (const name of ['AttachUserPolicy', 'AttachRolePolicy']) {
      const r = rs.find((x) => x.eventName === name)!;
      assert.equal((r.requestParameters as { policyArn: string }).policyArn, 'arn:aws:iam::aws:policy/AdministratorAccess');
      assert.equal(r.awsRegion, 'us-east-1');
    }
  });

  it('assume-role-burst: 50 AssumeRole calls by one caller within a minute', () => {
    const rs = eventsOf('assume-role-burst');
    assert.equal(rs.length, 50);
    assert.ok(rs.every((r) => r.eventName === 'AssumeRole' && callerOf(r) === callerOf(itemAt(rs, 0))));
    assert.equal(maxInWindow(rs, 60_000).count, 50);
    assert.ok(rs.some(isDenied) && rs.some((r) => !r.errorCode));
  });

  it("instance-credentials-exfil: the instance's own session, from outside AWS with a laptop's CLI", () => {
    const rs = eventsOf('instance-credentials-exfil');
    const instanceId = trail.manifest.attacks.find((a) => a.name === 'instance-credentials-exfil')!.details!.instanceId!;
    for (const r of rs) {
      assert.equal(r.userIdentity.type, 'AssumedRole');
      assert.ok(r.userIdentity.principalId!.endsWith(`:${instanceId}`));
      assert.equal(r.userIdentity.sessionContext?.ec2RoleDelivery, '2.0');
      assert.match(r.userAgent, /os\/macos/);
    }
    assert.equal(new Set(rs.map((r) => r.userIdentity.accessKeyId)).size, 1, 'one stolen session');
  });

  it('identity-persistence: root makes itself a key in the console, then works with it', () => {
    const rs = eventsOf('identity-persistence');
    const create = rs.find((r) => r.eventName === 'CreateAccessKey')!;
    assert.equal(create.userIdentity.type, 'Root');
    assert.equal(create.sessionCredentialFromConsole, 'true');
    const key = (create.responseElements as { accessKey: { accessKeyId: string } }).accessKey.accessKeyId;
    const later = rs.filter((r) => r.userIdentity.accessKeyId === key);
    assert.ok(later.length >= 5 && later.every((r) => r.eventTime >= create.eventTime && r.userIdentity.type === 'Root'));
    assert.ok(later.some((r) => r.eventSource === 'sso.amazonaws.com'));
  });

  it('share-with-foreign-account and compute-execution name an account outside the organisation', () => {
    const org = new Set(trail.manifest.accounts.map((a) => a.id));
    const outside = (r: CloudTrailRecord) => (params(r).match(/\d{12}/g) ?? []).some((id) => !org.has(id));
    assert.ok(eventsOf('share-with-foreign-account').filter(outside).length >= 4);
    assert.ok(eventsOf('compute-execution').some((r) => r.eventName === 'RegisterTaskDefinition' && outside(r)));
  });

  it('access-denied-enumeration: denials across many services within minutes', () => {
    const rs = eventsOf('access-denied-enumeration');
    const denied = rs.filter(isDenied);
    assert.ok(denied.length >= 40);
    assert.ok(new Set(denied.map((r) => r.eventSource)).size >= 15);
    const m = maxInWindow(denied, 5 * 60_000);
    assert.ok(m.count >= 40 && m.sources >= 15);
  });
});

describe('validation', () => {
  it('rejects unknown attacks, too few events and non-empty folders', async () => {
    await assert.rejects(generateTrail({ outDir: await fresh('v1'), events: 100, attacks: ['nope'] }), /unknown attack "nope"/);
    await assert.rejects(
      generateTrail({ outDir: await fresh('v2'), events: 10, attacks: ['assume-role-burst'] }),
      /more than the 10 requested/,
    );
    await assert.rejects(generateTrail({ outDir: await fresh('v3'), events: 0 }), /positive integer/);
    const used = await fresh('v4');
    await mkdir(used);
    await writeFile(join(used, 'notes.txt'), 'mine');
    await assert.rejects(generateTrail({ outDir: used, events: 10 }), /not empty/);
  });

  it('produces exactly N events even for tiny N', async () => {
    for (const events of [1, 7]) {
      const outDir = await fresh(`tiny-${events}`);
      const r = await generateTrail({ outDir, events, days: 1 });
      assert.equal(r.events, events);
      assert.equal((await readTrail(outDir)).records.length, events);
    }
  });
});

describe('scripts/gen-logs.ts', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-logs.ts', ...args], { encoding: 'utf8' });

  it('exits 2 with a message on bad arguments', () => {
    for (const args of [
      ['--events', '12x', '--out', 'x'],
      ['--events', '5', '--out', 'x', '--attacks', 'bogus'],
      ['--events', '5', '--out', 'x', '--start', '2025-13-01', '--bogus'],
    ]) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /gen-logs: /);
    }
  });

  it('refuses a folder it did not write, and replaces one it did', async () => {
    const mine = await fresh('cli-user');
    await mkdir(mine);
    await writeFile(join(mine, 'keep.txt'), 'important');
    const refused = cli('--events', '50', '--out', mine);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /refusing/);
    assert.equal(await readFile(join(mine, 'keep.txt'), 'utf8'), 'important');

    const out = await fresh('cli-gen');
    assert.equal(cli('--events', '300', '--out', out, '--days', '1', '--seed', '9').status, 0);
    const first = await readManifest(out);
    const second = cli('--events', '200', '--out', out, '--days', '1', '--attacks', 'root-activity');
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /wrote 200 events/);
    const m = await readManifest(out);
    assert.equal(first?.events, 300);
    assert.equal(m?.events, 200);
    assert.deepEqual(
      m?.attacks.map((a) => a.name),
      ['root-activity'],
    );
    assert.equal((await readTrail(out)).records.length, 200, 'no files left from the previous trail');
    const siblings = (await readdir(root)).filter((n) => n.startsWith('cli-gen.'));
    assert.deepEqual(siblings, [], 'no staging folders left behind');
  });
});
