// `npx tsx bench/lookupPages.ts`: storing LookupEvents pages, the ways an event's
// CloudTrailEvent (JSON text) can become a row of the store, over the same generated events
// in 50-event pages (LookupEvents' page size), runs alternated, load average beside them:
//   stringify: JSON.parse, check, JSON.stringify the page, DuckDB json_transform (the way before);
//   as-came:   JSON.parse, check, DuckDB json_transform of the text as it came (fetchedEvents.ts);
//   unchecked: DuckDB json_transform only, no JS parse, no check (a floor: it cannot report a
//              record that does not fit, so it is not a candidate, only the cost of the check).
import { readdirSync, readFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { median, oneMinuteLoad } from './figures';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { EventStore } from '../src/engine/eventStore';
import { CLOUDTRAIL_RECORD, jsonStructure, recordMismatch } from '../src/engine/schema';
import { sqlString } from '../src/engine/sqlText';
import { withStoredTime } from '../src/engine/storedEventTime';
import { writeParsedBatch } from '../src/sources/local/batchWrite';
import type { ParsedLogFile } from '../src/sources/local/readLogFile';
import { checkFetchedEvents, writeFetchedEvents } from '../src/sources/lookup/fetchedEvents';
import { generateTrail, MANIFEST_FILE } from '../src/testbed/loggen';

const EVENTS = 20_000;
const PAGE = 50;
const ACCOUNT = '111122223333';
const TRAIL = resolve(__dirname, '.data', `lookup-pages-trail-${EVENTS}`);

function logFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return logFiles(path);
    return path.endsWith('.json.gz') ? [path] : [];
  });
}

type Way = (store: EventStore, page: readonly string[], parquet: string) => Promise<void>;

const stringify: Way = async (store, page, parquet) => {
  const parsed: ParsedLogFile = { records: [], problems: [] };
  page.forEach((text, i) => {
    const value = JSON.parse(text) as Record<string, unknown>;
    const mismatch = recordMismatch(value);
    if (mismatch) parsed.problems.push({ record: i + 1, message: mismatch });
    else parsed.records.push({ index: i + 1, value: value.recipientAccountId ? value : { ...value, recipientAccountId: ACCOUNT } });
  });
  await writeParsedBatch(store.writer, 1, parsed, parquet);
};

const asCame: Way = async (store, page, parquet) => {
  await writeFetchedEvents(store.writer, 1, ACCOUNT, checkFetchedEvents(page, ACCOUNT), parquet);
};

const STRUCTURE = JSON.stringify(jsonStructure(CLOUDTRAIL_RECORD));
const unchecked: Way = async (store, page, parquet) => {
  await store.writer.run(
    `COPY (${withStoredTime(`SELECT 1 AS _file, i AS _record, unnest(r) FROM (SELECT unnest($indexes) AS i, json_transform(unnest($texts), $structure) AS r)`)})
     TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    { texts: listValue([...page]), indexes: listValue(page.map((_, i) => i + 1)), structure: STRUCTURE },
    { texts: LIST(VARCHAR), indexes: LIST(INTEGER), structure: VARCHAR },
  );
};

async function main(): Promise<void> {
  if (!existsSync(join(TRAIL, MANIFEST_FILE))) await generateTrail({ outDir: TRAIL, events: EVENTS, seed: 5 });
  const texts = logFiles(TRAIL).flatMap((path) =>
    (JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { Records: unknown[] }).Records.map((record) => JSON.stringify(record)),
  );
  const pages: string[][] = [];
  for (let i = 0; i < texts.length; i += PAGE) pages.push(texts.slice(i, i + PAGE));
  const dir = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
  const store = await EventStore.open({ cacheDir: dir });
  const ways: [string, Way][] = [
    ['stringify', stringify],
    ['as-came', asCame],
    ['unchecked', unchecked],
  ];
  const times = new Map<string, number[]>(ways.map(([name]) => [name, []]));
  process.stdout.write(
    `storing ${texts.length.toLocaleString('en-US')} generated events as ${pages.length} pages of ${PAGE}, each page one Parquet file\n`,
  );
  for (let round = 1; round <= 3; round += 1) {
    for (const [name, way] of ways) {
      const started = performance.now();
      for (const [i, page] of pages.entries()) await way(store, page, join(store.eventsDir, `bench-${name}-${i}.parquet`));
      const ms = performance.now() - started;
      times.get(name)!.push(ms);
      process.stdout.write(
        `  round ${round} ${name.padEnd(9)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / texts.length).toFixed(1)} µs/event  load ${oneMinuteLoad()}\n`,
      );
    }
  }
  const base = median(times.get('stringify')!);
  for (const [name] of ways) {
    const m = median(times.get(name)!);
    process.stdout.write(`median ${name.padEnd(9)} ${m.toFixed(0).padStart(6)} ms = ${(m / base).toFixed(2)}× stringify\n`);
  }
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
