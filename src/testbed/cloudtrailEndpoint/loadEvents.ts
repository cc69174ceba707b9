// The endpoint's events: a local log folder read by the project's own engine (the same
// parsing, formats and S3 layouts as a local run), held in memory newest first as
// LookupEvents returns them. The raw JSON is not stored, so each record is rebuilt from the
// table's columns; DuckDB's to_json writes the JSON-text columns (requestParameters, …)
// back as objects, which is how they appear in a CloudTrail record.
import { EventStore } from '../../engine/eventStore';
import { runQuery } from '../../engine/query';
import { ALL_TIME } from '../../engine/timeWindow';
import { scanLocalLogs } from '../../sources/local/localLogs';
import { toLookupEvent, type LookupEvent } from './lookupEvent';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Drops the nulls the table's fixed schema puts in for fields a record did not have, so
 * the CloudTrailEvent text looks like a delivered record rather than a table row.
 */
function withoutNulls(value: Json): Json | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item) ?? null);
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value).flatMap(([key, item]) => {
    const kept = withoutNulls(item);
    return kept === undefined ? [] : [[key, kept] as const];
  });
  return Object.fromEntries(entries);
}

export async function loadLookupEvents(logsPath: string): Promise<LookupEvent[]> {
  const store = await EventStore.open({ threads: 2 });
  try {
    const { ingest } = await scanLocalLogs(store, logsPath, ALL_TIME);
    const { rows } = await runQuery(
      store,
      { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME },
      'SELECT to_json(cloudtrail_logs)::VARCHAR FROM cloudtrail_logs',
    );
    const events = rows.map(([json]) => {
      const record = withoutNulls(JSON.parse(String(json)) as Json) as { [key: string]: Json };
      // The table keeps readOnly as text; a delivered record has a JSON boolean.
      if (record.readOnly === 'true' || record.readOnly === 'false') record.readOnly = record.readOnly === 'true';
      return toLookupEvent(record);
    });
    // Newest first, as LookupEvents pages; the event ID settles ties so paging is stable.
    return events.sort((a, b) => b.EventTime - a.EventTime || (a.EventId < b.EventId ? -1 : a.EventId > b.EventId ? 1 : 0));
  } finally {
    store.close();
  }
}
