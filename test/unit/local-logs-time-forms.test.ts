// eventTime in the forms SIEM exports write it is read as the same instant, and stored as
// CloudTrail writes it, so that runbook SQL (from_iso8601_timestamp, string comparisons)
// and the run's window agree whatever the logs looked like, on every reader: the bulk
// reader (arrays, {"Records": [...]}), the careful one (NDJSON) and LookupEvents pages.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runQuery } from '../../src/engine/query';
import { ALL_TIME, absoluteWindow } from '../../src/engine/timeWindow';
import { storeFetch } from '../../src/sources/lookup/fetchedEvents';
import { LocalLogsSource, scanLocalLogs } from '../../src/sources/local/localLogs';
import { cloudTrailRecord } from '../support/cloudTrailRecord';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const INSTANTS = ['2024-12-16T18:41:07Z', '2024-12-16T18:45:00Z', '2024-12-16T19:30:00Z'];
const pad = (n: number): string => String(n).padStart(2, '0');
/** The instant's wall clock in a zone `offset` minutes east of UTC: `2024-12-16` and `20:41:07`. */
function wallClock(instant: string, offset = 0): { date: string; time: string } {
  const d = new Date(Date.parse(instant) + offset * 60_000);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

/** The forms seen in exports (Splunk, Sentinel, Elastic, Athena query results, hand-made CSV→JSON). */
const FORMS: Record<string, (instant: string) => string> = {
  cloudtrail: (i) => i,
  'space-nanos': (i) => `${wallClock(i).date} ${wallClock(i).time}.000000000`,
  'space-plain': (i) => `${wallClock(i).date} ${wallClock(i).time}`,
  'space-z': (i) => `${wallClock(i).date} ${wallClock(i).time}Z`,
  't-no-zone': (i) => `${wallClock(i).date}T${wallClock(i).time}`,
  't-micros': (i) => `${wallClock(i).date}T${wallClock(i).time}.000000`,
  'millis-z': (i) => `${wallClock(i).date}T${wallClock(i).time}.000Z`,
  'plus-zero': (i) => `${wallClock(i).date}T${wallClock(i).time}+00:00`,
  'plus-two': (i) => `${wallClock(i, 120).date}T${wallClock(i, 120).time}+02:00`,
  'minus-five-compact': (i) => `${wallClock(i, -300).date}T${wallClock(i, -300).time}-0500`,
  'comma-fraction': (i) => `${wallClock(i).date}T${wallClock(i).time},0Z`,
};

/** One file a form and a reader: `{"Records"}` (.json.gz) and arrays go to the bulk reader, NDJSON to the careful one. */
function writeForms(dir: string): void {
  for (const [name, form] of Object.entries(FORMS)) {
    const records = (reader: string): Record<string, unknown>[] =>
      INSTANTS.map((instant, i) => cloudTrailRecord(form(instant), { eventID: `${name}/${reader}/${i}` }));
    writeFileSync(join(dir, `${name}-records.json.gz`), gzipSync(JSON.stringify({ Records: records('records') })));
    writeFileSync(join(dir, `${name}-array.json`), JSON.stringify(records('array')));
    writeFileSync(
      join(dir, `${name}-lines.ndjson`),
      records('lines')
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
  }
}

/** eventTime of the rows by file (form/reader), from rows of [eventID, eventTime]. */
function byFile(rows: unknown[][]): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const [id, time] of rows) {
    const file = String(id).replace(/\/\d+$/, '');
    files.set(file, [...(files.get(file) ?? []), String(time)].sort());
  }
  return files;
}

const EVERY_FILE = Object.keys(FORMS)
  .flatMap((name) => ['records', 'array', 'lines'].map((reader) => `${name}/${reader}`))
  .sort();

test('every form of the same instant is stored as CloudTrail writes it', async () => {
  const dir = tempDir();
  writeForms(dir);
  const store = await openStore();
  const rows = await query(store, dir, 'SELECT eventID, eventTime FROM cloudtrail_logs');
  const files = byFile(rows);
  assert.deepEqual([...files.keys()].sort(), EVERY_FILE);
  for (const [file, times] of files) assert.deepEqual(times, INSTANTS, file);
});

test('a cell that filters by from_iso8601_timestamp(eventTime) gets the same rows whatever the form', async () => {
  const dir = tempDir();
  writeForms(dir);
  const store = await openStore();
  const rows = await query(
    store,
    dir,
    `SELECT eventID, eventTime FROM cloudtrail_logs
     WHERE from_iso8601_timestamp(eventTime) BETWEEN from_iso8601_timestamp('2024-12-16T18:40:00Z') AND from_iso8601_timestamp('2024-12-16T19:00:00Z')`,
  );
  const files = byFile(rows);
  assert.deepEqual([...files.keys()].sort(), EVERY_FILE);
  for (const [file, times] of files) assert.deepEqual(times, INSTANTS.slice(0, 2), file);
});

test('string comparisons on eventTime and the run window select the same events as the function', async () => {
  const dir = tempDir();
  writeForms(dir);
  const store = await openStore();
  const byString = byFile(
    await query(
      store,
      dir,
      `SELECT eventID, eventTime FROM cloudtrail_logs WHERE eventTime >= '2024-12-16T18:40:00Z' AND eventTime < '2024-12-16T19:00:00Z'`,
    ),
  );
  const byWindow = byFile(
    await query(
      store,
      dir,
      'SELECT eventID, eventTime FROM cloudtrail_logs',
      absoluteWindow('2024-12-16T18:40:00Z', '2024-12-16T19:00:00Z'),
    ),
  );
  for (const files of [byString, byWindow]) {
    assert.deepEqual([...files.keys()].sort(), EVERY_FILE);
    for (const [file, times] of files) assert.deepEqual(times, INSTANTS.slice(0, 2), file);
  }
});

test('a millisecond that is not zero is kept, to the millisecond, as Trino reads it', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'millis.json'),
    JSON.stringify([
      cloudTrailRecord('2024-12-16 18:41:07.250000000', { eventID: 'a' }),
      cloudTrailRecord('2024-12-16T18:41:07.1239Z', { eventID: 'b' }),
    ]),
  );
  const store = await openStore();
  const rows = await query(
    store,
    dir,
    `SELECT eventID, eventTime, to_iso8601(from_iso8601_timestamp(eventTime)) FROM cloudtrail_logs ORDER BY eventID`,
  );
  assert.deepEqual(rows, [
    ['a', '2024-12-16T18:41:07.250Z', '2024-12-16T18:41:07.250Z'],
    ['b', '2024-12-16T18:41:07.123Z', '2024-12-16T18:41:07.123Z'],
  ]);
});

test('a record whose time cannot be read is refused with its file and record; the others load and the notes say what was rewritten', async () => {
  const dir = tempDir();
  const file = join(dir, 'export.json');
  writeFileSync(
    file,
    JSON.stringify([
      cloudTrailRecord('2024-12-16 18:41:07.000000000', { eventID: 'ok-1' }),
      cloudTrailRecord('16/12/2024 18:41', { eventID: 'bad' }),
      cloudTrailRecord('2024-02-30T10:00:00Z', { eventID: 'no-such-day' }),
      cloudTrailRecord('2024-12-16T18:45:00Z', { eventID: 'ok-2' }),
    ]),
  );
  const store = await openStore();
  const source = new LocalLogsSource(store, dir);
  const prepared = await source.prepare(ALL_TIME, '', {});
  assert.deepEqual(prepared.problems, [
    {
      where: file,
      message: '2 records (2, 3) with an eventTime that cannot be read as a date and time (e.g. 16/12/2024 18:41): not loaded',
    },
  ]);
  assert.equal(prepared.nothingRead, undefined);
  const rows = (await runQuery(store, prepared.scope, 'SELECT eventID, eventTime FROM cloudtrail_logs ORDER BY eventID')).rows;
  assert.deepEqual(rows, [
    ['ok-1', '2024-12-16T18:41:07Z'],
    ['ok-2', '2024-12-16T18:45:00Z'],
  ]);
  // The run's summary counts them.
  assert.ok(
    prepared.notes.includes('2 records not loaded: no eventTime that can be read as a date and time (each file is named in the problems)'),
    prepared.notes.join('\n'),
  );
  assert.ok(
    prepared.notes.includes(
      "1 event had eventTime in another form than CloudTrail's (e.g. 2024-12-16 18:41:07.000000000): stored as CloudTrail writes it (2024-12-16T18:41:07Z), so every engine reads the same instant",
    ),
    prepared.notes.join('\n'),
  );
});

test('the note about rewritten times comes back on a warm run, from the cache', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'export.json'), JSON.stringify([cloudTrailRecord('2024-12-16T20:41:07+02:00')]));
  const store = await openStore({ cacheDir: join(tempDir(), 'cache') });
  const notesOf = async (): Promise<readonly string[]> => (await new LocalLogsSource(store, dir).prepare(ALL_TIME, '', {})).notes;
  const cold = await notesOf();
  const warm = await notesOf();
  assert.match(
    cold.join('\n'),
    /1 event had eventTime in another form than CloudTrail's \(e\.g\. 2024-12-16T20:41:07\+02:00\): stored as CloudTrail writes it \(2024-12-16T18:41:07Z\)/,
  );
  assert.deepEqual(warm.slice(1), cold.slice(1));
  assert.match(itemAt(warm, 0), /all from the cache/);
});

test('LookupEvents pages are stored the same way', async () => {
  const store = await openStore();
  const fetch = { account: '111122223333', region: 'us-east-1', attribute: '', start: 0, end: Date.now() };
  const result = await storeFetch(
    store,
    fetch,
    [cloudTrailRecord('2024-12-16T18:41:07Z', { eventID: 'a' }), cloudTrailRecord('2024-12-16 18:45:00', { eventID: 'b' })].map((record) =>
      JSON.stringify(record),
    ),
  );
  const rows = await runQuery(
    store,
    { fileIds: [result.id], batchFiles: await store.catalogue.batchFilesOf([result.id]), window: ALL_TIME },
    `SELECT eventID, eventTime FROM cloudtrail_logs WHERE from_iso8601_timestamp(eventTime) >= from_iso8601_timestamp('2024-12-16T18:00:00Z') ORDER BY eventID`,
  );
  assert.deepEqual(rows.rows, [
    ['a', '2024-12-16T18:41:07Z'],
    ['b', '2024-12-16T18:45:00Z'],
  ]);
});

test('an offset places an event on the side of the window edge its instant is on', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'e.ndjson'),
    [cloudTrailRecord('2024-12-16 23:59:59.999'), cloudTrailRecord('2024-12-17T01:00:00+01:00')].map((r) => JSON.stringify(r)).join('\n'),
  );
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, dir, absoluteWindow('2024-12-16T00:00:00Z', '2024-12-17T00:00:00Z'));
  assert.equal(ingest.eventsParsed, 2);
  const rows = await query(
    store,
    dir,
    'SELECT eventTime FROM cloudtrail_logs ORDER BY eventTime',
    absoluteWindow('2024-12-16T00:00:00Z', '2024-12-17T00:00:00Z'),
  );
  // 01:00 at +01:00 is midnight UTC: the end of the window, which excludes it.
  assert.deepEqual(rows, [['2024-12-16T23:59:59.999Z']]);
});
