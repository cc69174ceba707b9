// `npm run bench:compaction`: what small batches cost a warm run, and what compaction buys.
// A store gets 1,000 LookupEvents fetches of 50 events (a page each, as many runs over
// widening windows leave behind), kept; a copy of it is compacted; then the same warm query
// (the scope assembled from the catalogue, and the query run) alternates between the two,
// with the load average beside each figure. The cost of compaction itself is printed for
// 1,000 batches and for 32 (the number at which it runs, compaction.ts).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../src/engine/eventStore';
import { runQuery } from '../src/engine/query';
import { DEFAULT_COMPACTION } from '../src/engine/store/compaction';
import { ALL_TIME } from '../src/engine/timeWindow';
import { storeFetch } from '../src/sources/lookup/fetchedEvents';
import { cloudTrailRecord } from '../test/support/cloudTrailRecord';
import { median, oneMinuteLoad } from './figures';

const FETCHES = Number(process.env.BENCH_FETCHES ?? 1000);
const PER_FETCH = 50;
const ROUNDS = 5;
const QUERIES = {
  'count by name': 'SELECT eventName, count(*) FROM cloudtrail_logs GROUP BY eventName ORDER BY 2 DESC, 1',
  'one principal': `SELECT eventTime, eventName FROM cloudtrail_logs WHERE eventName = 'Call3' AND sourceIPAddress = '198.51.100.7' ORDER BY eventTime LIMIT 100`,
};

const load = (): string => `load ${oneMinuteLoad()}`;

/** A store of `fetches` kept fetches, one batch each; returns its folder and the fetch ids. */
async function storeOfSmallBatches(fetches: number): Promise<{ dir: string; ids: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
  const store = await EventStore.open({ cacheDir: dir });
  const ids: number[] = [];
  for (let i = 0; i < fetches; i += 1) {
    const start = Date.UTC(2024, 0, 1) + i * 3_600_000;
    const texts = Array.from({ length: PER_FETCH }, (_, j) =>
      JSON.stringify(
        cloudTrailRecord(new Date(start + j * 60_000).toISOString().replace('.000Z', 'Z'), { eventName: `Call${(i + j) % 11}` }),
      ),
    );
    ids.push(
      (await storeFetch(store, { account: '111122223333', region: 'us-east-1', attribute: '', start, end: start + 3_600_000 }, texts)).id,
    );
  }
  await store.catalogue.keepFetches(ids);
  store.close();
  return { dir, ids };
}

/** A warm run's work on the store: the scope from the catalogue, then the query. */
async function warmRun(store: EventStore, ids: readonly number[], sql: string): Promise<{ ms: number; rows: string }> {
  const started = performance.now();
  const batchFiles = await store.catalogue.batchFilesOf(ids);
  const result = await runQuery(store, { fileIds: ids, batchFiles, window: ALL_TIME }, sql);
  return { ms: performance.now() - started, rows: JSON.stringify(result.rows) };
}

async function compactionCost(fetches: number): Promise<string> {
  const { dir } = await storeOfSmallBatches(fetches);
  const store = await EventStore.open({ cacheDir: dir });
  const started = performance.now();
  const done = await store.catalogue.compactIfWorthIt();
  const ms = performance.now() - started;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return `  compacting ${fetches} small batches: ${ms.toFixed(0)} ms (${done ? `${done.batchesBefore} → ${done.batchesAfter}` : 'not worth it'}), ${load()}`;
}

async function main(): Promise<void> {
  const writeStarted = performance.now();
  const { dir, ids } = await storeOfSmallBatches(FETCHES);
  const writeMs = performance.now() - writeStarted;
  const copy = mkdtempSync(join(tmpdir(), 'trailbook-bench-'));
  cpSync(dir, copy, { recursive: true });
  const small = await EventStore.open({ cacheDir: dir });
  const compacted = await EventStore.open({ cacheDir: copy });
  const compactStarted = performance.now();
  const done = await compacted.catalogue.compact(await compacted.catalogue.compactionPlan());
  const compactMs = performance.now() - compactStarted;

  const lines = [
    `Trailbook store compaction: ${FETCHES} kept LookupEvents fetches of ${PER_FETCH} events (${(FETCHES * PER_FETCH).toLocaleString('en-US')} events), one batch each; ` +
      `policy: merge at ${DEFAULT_COMPACTION.smallBatchesToMerge} batches under ${DEFAULT_COMPACTION.smallBatchRows.toLocaleString('en-US')} rows, rewrite at ${DEFAULT_COMPACTION.deadShare * 100}% dead rows`,
    `  stored in ${(writeMs / 1000).toFixed(1)} s (${(writeMs / FETCHES).toFixed(1)} ms a fetch)`,
    `  compacted ${done.batchesBefore} batches into ${done.batchesAfter} in ${compactMs.toFixed(0)} ms, ${load()}`,
  ];
  for (const [name, sql] of Object.entries(QUERIES)) {
    const before: number[] = [];
    const after: number[] = [];
    let same = true;
    // Alternated, so both see the same load; the first of each is a warm-up.
    for (let round = 0; round <= ROUNDS; round += 1) {
      const a = await warmRun(small, ids, sql);
      const b = await warmRun(compacted, ids, sql);
      same &&= a.rows === b.rows;
      if (round === 0) continue;
      before.push(a.ms);
      after.push(b.ms);
    }
    lines.push(
      `  warm run "${name}": ${FETCHES} batches ${median(before).toFixed(0)} ms, compacted ${median(after).toFixed(0)} ms ` +
        `(${(median(before) / median(after)).toFixed(1)}× faster; medians of ${ROUNDS} alternated), rows equal: ${same ? 'yes' : 'NO'}, ${load()}`,
    );
  }
  small.close();
  compacted.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(copy, { recursive: true, force: true });
  lines.push(await compactionCost(DEFAULT_COMPACTION.smallBatchesToMerge));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
