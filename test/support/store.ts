import { join } from 'node:path';
import { after } from 'node:test';
import { EventStore, type EventStoreOptions } from '../../src/engine/eventStore';
import type { CellValue, QueryScope } from '../../src/engine/query';
import { runQuery } from '../../src/engine/query';
import { ALL_TIME, type TimeWindow } from '../../src/engine/timeWindow';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { generateTrail } from '../../src/testbed/loggen';
import { tempDir } from './tempDir';

export async function openStore(options: EventStoreOptions = {}): Promise<EventStore> {
  const store = await EventStore.open({ threads: 2, ...options });
  after(() => store.close());
  return store;
}

/** Scans `path` and runs `sql` over it: what a cell does, without a runbook. */
export async function query(store: EventStore, path: string, sql: string, window: TimeWindow = ALL_TIME): Promise<CellValue[][]> {
  const { ingest } = await scanLocalLogs(store, path, window);
  return (await runQuery(store, { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window }, sql)).rows;
}

/** A generated trail of `events` (in `root`/trail) scanned into a fresh store, with the scope of all of it. */
export async function scannedTrail(events: number, seed: number): Promise<{ store: EventStore; scope: QueryScope; root: string }> {
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events, seed });
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, join(root, 'trail'), ALL_TIME);
  return { store, scope: { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME }, root };
}
