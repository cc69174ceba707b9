// The engine on real CloudTrail events that nobody here wrote: the Stratus Red Team
// detonation logs, with their anonymised oddities (invalid IPs, invented regions,
// readOnly as a JSON boolean, responseElements null).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { stratusDir } from '../support/datasets';
import { openStore, query } from '../support/store';
import { itemAt } from '../support/itemAt';

const dir = stratusDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const recordsOf = (name: string): Array<Record<string, unknown>> => JSON.parse(readFileSync(join(dir, name), 'utf8'));

test('every one of the 310 events loads, with no problem reported', async () => {
  const store = await openStore();
  const { discovery, ingest } = await scanLocalLogs(store, dir, ALL_TIME);
  assert.equal(discovery.files.length, 35);
  assert.deepEqual(ingest.problems, []);
  assert.equal(ingest.eventsParsed, 310);
  const expected = files.reduce((sum, f) => sum + recordsOf(f).length, 0);
  assert.equal(expected, 310);
  const [count] = itemAt(await query(store, dir, 'SELECT count(*) FROM cloudtrail_logs'), 0);
  assert.equal(count, 310);
});

test('the StopLogging query finds exactly the events of cloudtrail-stop.json', async () => {
  const store = await openStore();
  const rows = await query(store, dir, `SELECT eventID FROM cloudtrail_logs WHERE eventName = 'StopLogging' ORDER BY eventID`);
  const expected = recordsOf('aws.defense-evasion.cloudtrail-stop.json')
    .filter((e) => e.eventName === 'StopLogging')
    .map((e) => [e.eventID])
    .sort();
  assert.ok(expected.length > 0);
  assert.deepEqual(rows, expected);
});

test('each file contributes exactly its own events, matched by eventID', async () => {
  const store = await openStore();
  const rows = await query(store, dir, 'SELECT eventID FROM cloudtrail_logs');
  const loaded = new Set(rows.map(([id]) => id));
  for (const file of files) {
    for (const event of recordsOf(file)) assert.ok(loaded.has(event.eventID as string), `${file}: ${event.eventID} missing`);
  }
  assert.equal(loaded.size, 310);
});

test('the Athena columns hold what the records hold, whatever the identifier case', async () => {
  const store = await openStore();
  const [row] = await query(
    store,
    dir,
    `SELECT USERIDENTITY.ARN, useridentity.sessioncontext.attributes.mfaauthenticated, readonly, tlsdetails.ciphersuite,
            json_extract_scalar(requestparameters, '$.name'), responseElements, awsRegion, sourceIPAddress
     FROM cloudtrail_logs WHERE eventID = '10163ed2-2253-469d-a5ee-cbc6651f8934'`,
  );
  assert.deepEqual(row, [
    'arn:aws:iam::143434273843:user/christophe',
    null,
    'false',
    'TLS_AES_128_GCM_SHA256',
    'stratus-red-team-ct-stop-trail-buykxbqejv',
    null,
    'apiso-centralnorth-2r',
    '86.245.153.234',
  ]);
});

test('the anonymised oddities load as they are: invalid IPs and invented regions stay strings', async () => {
  const store = await openStore();
  const all = files.flatMap(recordsOf);
  const oddIps = all.filter((e) => typeof e.sourceIPAddress === 'string' && /(^|\.)0\d/.test(e.sourceIPAddress as string));
  const rows = await query(store, dir, `SELECT count(*) FROM cloudtrail_logs WHERE regexp_like(sourceIPAddress, '(^|\\.)0\\d')`);
  assert.equal(itemAt(rows, 0)[0], oddIps.length);
  const [readOnlyTrue] = itemAt(await query(store, dir, `SELECT count(*) FROM cloudtrail_logs WHERE readOnly = 'true'`), 0);
  assert.equal(readOnlyTrue, all.filter((e) => e.readOnly === true).length);
});
