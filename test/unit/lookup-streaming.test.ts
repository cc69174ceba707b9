// Rows while paging goes on: a LookupEvents cell shows its query over the events fetched so
// far (provisional rows, replaced each time), then the complete result, which is the same as
// without streaming. A cancelled fetch is not kept as fetched, so the next run is complete.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EventStore } from '../../src/engine/eventStore';
import { runRunbook, type CellRun } from '../../src/app/runbookRunner';
import { parseRunbook } from '../../src/runbook';
import { startCloudTrailEndpoint, type CloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';
import { LookupEventsSource } from '../../src/sources/lookup/lookupSource';
import { stratusDir } from '../support/datasets';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';
import { parseWindow } from '../../src/engine/timeWindow';
import { itemAt } from '../support/itemAt';

const KEY = { accessKeyId: 'AKIDSTREAMTEST', secretAccessKey: 'stream-test-secret', account: '121212121212' };
const WINDOW = '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z';
// Every event: 310 of them, 7 pages at 2 a second in each region read.
const SQL = 'SELECT eventID, eventTime, eventName FROM cloudtrail_logs ORDER BY eventTime, eventID';
const RUNBOOK = parseRunbook(`\`\`\`cloudtrail id=all window=${WINDOW}\n${SQL}\n\`\`\`\n`, 'stream.md');

let endpoint: CloudTrailEndpoint;
before(async () => {
  endpoint = await startCloudTrailEndpoint({ logsPath: stratusDir(), principals: [KEY] });
});
after(() => endpoint.close());

type Event = { kind: 'reset' } | { kind: 'rows'; rows: unknown[][] } | { kind: 'cell'; run: CellRun };

async function streamedRun(cacheDir: string, signal?: AbortSignal, onEvent?: (events: Event[]) => void): Promise<Event[]> {
  // Closed after each run, as a new process would find the cache folder.
  const store = await EventStore.open({ cacheDir, threads: 2 });
  const source = new LookupEventsSource(store, { regions: ['us-east-1'], endpoint: endpoint.url, credentials: KEY });
  const events: Event[] = [];
  const note = (event: Event) => {
    events.push(event);
    onEvent?.(events);
  };
  try {
    await runRunbook(RUNBOOK, {
      store,
      source,
      ...(signal ? { signal } : {}),
      onRows: (_cell, rows) => note({ kind: 'rows', rows }),
      onRowsReset: () => note({ kind: 'reset' }),
      onCell: (run) => note({ kind: 'cell', run }),
    });
  } finally {
    store.close();
  }
  return events;
}

/** The rows a viewer holds at the end: everything after the last reset. */
function shown(events: Event[]): unknown[][] {
  const last = events.map((e) => e.kind).lastIndexOf('reset');
  return events.slice(last + 1).flatMap((e) => (e.kind === 'rows' ? e.rows : []));
}

test('provisional rows arrive while paging, each set replacing the one before; the end is the complete result', async () => {
  const local = await query(await openStore(), stratusDir(), SQL, parseWindow(WINDOW));
  const events = await streamedRun(join(tempDir(), 'cache'));
  const cell = events.find((e): e is Extract<Event, { kind: 'cell' }> => e.kind === 'cell')!;
  assert.equal(cell.run.status, 'ok');
  assert.deepEqual(cell.run.rows, local);
  assert.deepEqual(shown(events), local, 'what a viewer holds at the end is the complete result');

  // Before the cell finished, at least one provisional set was shown, smaller than the end.
  const resets = events.map((e, i) => (e.kind === 'reset' ? i : -1)).filter((i) => i >= 0);
  assert.ok(resets.length >= 2, `${resets.length} resets`);
  const firstSet = events.slice(itemAt(resets, 0) + 1, resets[1]).flatMap((e) => (e.kind === 'rows' ? e.rows : []));
  assert.ok(firstSet.length > 0 && firstSet.length < local.length, `first provisional set: ${firstSet.length} of ${local.length} rows`);
  // Provisional rows are real rows of the result, never anything else.
  const ids = new Set<unknown>(local.map((row) => row[0]));
  assert.ok(firstSet.every((row) => ids.has(row[0])));
});

test('a fetch cancelled while paging is not kept: the next run fetches it whole and answers completely', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const controller = new AbortController();
  await assert.rejects(
    streamedRun(cacheDir, controller.signal, (events) => {
      if (events.some((e) => e.kind === 'rows')) controller.abort();
    }),
  );
  const served = endpoint.stats.requests(KEY.account, 'us-east-1').served.length;
  const events = await streamedRun(cacheDir);
  const cell = events.find((e): e is Extract<Event, { kind: 'cell' }> => e.kind === 'cell')!;
  assert.equal(cell.run.rows.length, 310);
  assert.equal(new Set(cell.run.rows.map((row) => row[0])).size, 310, 'each event once');
  assert.ok(endpoint.stats.requests(KEY.account, 'us-east-1').served.length - served >= 7, 'fetched again, all pages');

  // Now kept: a third run asks AWS nothing for the range and gives the same rows.
  const before3 = endpoint.stats.requests(KEY.account, 'us-east-1').served.length;
  const again = await streamedRun(cacheDir);
  assert.equal(endpoint.stats.requests(KEY.account, 'us-east-1').served.length, before3);
  assert.deepEqual(shown(again), cell.run.rows);

  // The parts the cancelled run stored were never kept: the next run removed them, so every
  // Parquet file left belongs to a kept range.
  const store = await EventStore.open({ cacheDir, threads: 2 });
  try {
    const keptBatches = (await store.writer.runAndReadAll('SELECT DISTINCT batch FROM store.fetches WHERE kept AND batch IS NOT NULL'))
      .getRowsJS()
      .map(([batch]) => `batch-${batch}.parquet`)
      .sort();
    assert.deepEqual(readdirSync(join(cacheDir, 'events')).sort(), keptBatches);
  } finally {
    store.close();
  }
});
