// What a run's notes say about how events were read when the logs were not as CloudTrail
// writes them: another tool's export unwrapped (exportShapes.ts), eventTime taken from
// @timestamp, eventTime rewritten to CloudTrail's form (storedEventTime.ts). A result over
// such logs is only as good as that reading, so the reader is told, on every run, cached or
// not: the facts are kept per file (the store's catalogue) and per event (_time_as_read).
import type { EventStore } from '../../engine/eventStore';
import { fileIdPredicate } from '../../engine/query';
import { sqlPathList } from '../../engine/sqlText';
import { count, plural } from '../../protocol/plural';
import type { ExportShape } from './exportShapes';
import type { IngestResult } from './ingest';

const SHAPE_WORDS: Record<ExportShape, string> = {
  'search-export': 'an Elasticsearch/OpenSearch export',
  'lookup-events': '`aws cloudtrail lookup-events` output',
};

export async function readingNotes(store: EventStore, ingest: IngestResult): Promise<string[]> {
  if (ingest.fileIds.length === 0) return [];
  const notes: string[] = [];
  for (const fact of await store.catalogue.readingFacts(ingest.fileIds)) {
    const { files, events: eventsRead, timeFromTimestamp: fromTimestamp } = fact;
    const shape = fact.shape as ExportShape | null;
    const timestamp =
      fromTimestamp === 0
        ? ''
        : `eventTime taken from @timestamp${fromTimestamp < eventsRead ? ` for ${count(fromTimestamp)} of them` : ''}`;
    if (shape === null) {
      notes.push(
        `eventTime taken from @timestamp for ${count(fromTimestamp)} records of ${plural(files, 'file')}: records without eventTime, as Elasticsearch/OpenSearch exports write them`,
      );
      continue;
    }
    const how = shape === 'lookup-events' ? 'each event from its CloudTrailEvent' : timestamp;
    notes.push(`read ${plural(eventsRead, 'event')} from ${SHAPE_WORDS[shape]} (${plural(files, 'file')})${how ? `: ${how}` : ''}`);
  }
  if (ingest.batchFiles.length > 0) {
    const [[rewritten, asRead, stored]] = (
      await store.writer.runAndReadAll(`
      SELECT count(*), min(_time_as_read), arg_min("eventTime", _time_as_read)
      FROM read_parquet(${sqlPathList(ingest.batchFiles)})
      WHERE ${fileIdPredicate(ingest.fileIds)} AND _time_as_read IS NOT NULL AND _ts IS NOT NULL`)
    ).getRowsJS() as [[bigint, string | null, string | null]];
    if (Number(rewritten) > 0) {
      notes.push(
        `${plural(Number(rewritten), 'event')} had eventTime in another form than CloudTrail's (e.g. ${asRead}): stored as CloudTrail writes it (${stored}), so every engine reads the same instant`,
      );
    }
  }
  return notes;
}
