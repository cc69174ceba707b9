// One LookupEvents fetch (a range of one account, region and lookup, or a part of it stored
// while paging) into the event store: a batch whose member is the fetch, with its account,
// region, attribute and range, not a pretend log file.
//
// Each event arrives as CloudTrailEvent, the record as JSON text. It is parsed once in
// JavaScript, to check its shape against the table's (recordMismatch: a record that does
// not fit is reported, not loaded) and to count records naming another account, and DuckDB
// transforms the text as it came, with no JSON.stringify on the way. bench/lookupPages.ts
// (20,000 generated events in 50-event pages, load 9.5–10): 0.70× the time of the earlier
// parse, stringify and transform; skipping the JS parse too would be 0.51×, but then a record
// that does not fit could not be reported (json_transform turns a wrong shape into NULLs),
// and a page costs 14–25 ms against the 500 ms LookupEvents' rate allows for it.
import { INTEGER, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { EventStore } from '../../engine/eventStore';
import { CLOUDTRAIL_RECORD, jsonStructure, recordMismatch } from '../../engine/schema';
import { sqlString } from '../../engine/sqlText';
import { withStoredTime } from '../../engine/storedEventTime';
import type { LookupFetch } from '../../engine/store/fetches';
import type { StoredProblem } from '../../engine/store/problems';
import { restrictToOwner } from '../local/batchWrite';
import { BATCH_PARQUET } from '../../engine/store/batchFormat';

const RECORD_STRUCTURE = JSON.stringify(jsonStructure(CLOUDTRAIL_RECORD));

export interface StoredFetch {
  /** The fetch's id: its events' `_file`, as a log file's id is for its events. */
  readonly id: number;
  readonly events: number;
}

/** The records of a fetch that can be stored, and what is wrong with the others. */
export interface CheckedEvents {
  /** CloudTrailEvent texts as they came, with their place in the fetch (from 1). */
  readonly texts: string[];
  readonly indexes: number[];
  readonly problems: StoredProblem[];
  /** recipientAccountId values other than the account asked, with how many records name each. */
  readonly foreign: Map<string, number>;
}

export function checkFetchedEvents(texts: readonly string[], account: string): CheckedEvents {
  const checked: CheckedEvents = { texts: [], indexes: [], problems: [], foreign: new Map() };
  texts.forEach((text, i) => {
    const record = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      checked.problems.push({ record, message: `record ${record}: CloudTrailEvent is not JSON (${(error as Error).message})` });
      return;
    }
    const mismatch = recordMismatch(value);
    if (mismatch) {
      checked.problems.push({ record, message: `record ${record}: ${mismatch}` });
      return;
    }
    checked.texts.push(text);
    checked.indexes.push(record);
    // LookupEvents of an account holds the account's events: one naming another is kept as
    // written, and counted for the run's notes.
    const said = value !== null && typeof value === 'object' ? (value as { recipientAccountId?: unknown }).recipientAccountId : undefined;
    if (said !== undefined && said !== null && said !== '' && said !== account) {
      checked.foreign.set(String(said), (checked.foreign.get(String(said)) ?? 0) + 1);
    }
  });
  return checked;
}

/**
 * Writes checked events as one batch's Parquet file. A record without recipientAccountId gets
 * the account it was fetched from (the account column of every row).
 */
export async function writeFetchedEvents(
  db: DuckDBConnection,
  fetchId: number,
  account: string,
  checked: CheckedEvents,
  parquet: string,
): Promise<void> {
  await db.run(
    `COPY (
       SELECT * REPLACE (coalesce(nullif("recipientAccountId", ''), ${sqlString(account)}) AS "recipientAccountId")
       FROM (${withStoredTime(`
         SELECT ${fetchId} AS _file, i AS _record, unnest(r)
         FROM (SELECT unnest($indexes) AS i, json_transform(unnest($texts), $structure) AS r)`)})
     ) TO ${sqlString(parquet)} (${BATCH_PARQUET})`,
    { texts: listValue(checked.texts), indexes: listValue(checked.indexes), structure: RECORD_STRUCTURE },
    { texts: LIST(VARCHAR), indexes: LIST(INTEGER), structure: VARCHAR },
  );
  restrictToOwner(parquet);
}

/**
 * Stores what one fetch returned (possibly nothing: an empty range is recorded too, so that
 * it counts as fetched once kept). Returns the fetch's id, its events, and who else its
 * records name.
 */
export async function storeFetch(
  store: EventStore,
  fetch: Omit<LookupFetch, 'id'>,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<StoredFetch & { foreign: Map<string, number> }> {
  const id = await store.catalogue.reserveIds(1);
  const checked = checkFetchedEvents(texts, fetch.account);
  const contents = { fetches: [{ ...fetch, id }], problems: new Map([[id, checked.problems]]) };
  const write =
    checked.texts.length === 0
      ? undefined
      : (db: DuckDBConnection, parquet: string) => writeFetchedEvents(db, id, fetch.account, checked, parquet);
  const events = await store.catalogue.addBatch(contents, write, signal);
  return { id, events, foreign: checked.foreign };
}
