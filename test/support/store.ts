import { after } from 'node:test';
import { EventStore, type EventStoreOptions } from '../../src/engine/eventStore';
import type { CellValue } from '../../src/engine/query';
import { runQuery } from '../../src/engine/query';
import { ALL_TIME, type TimeWindow } from '../../src/engine/timeWindow';
import { scanLocalLogs } from '../../src/sources/local/localLogs';

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
