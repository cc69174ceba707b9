// Records without a usable eventTime cannot be placed in any window: they stay in their
// batch (no window selects them) and are reported, one problem a file naming the records.
// One text for every way events are stored or answered: the catalogue commits it with each
// batch (batches.ts), and a cold cell answered before the cache is written
// (sources/local/directAnswer.ts) says the same.

/** One row a file (file_id, record, line, message) for the records of `events` with no instant. */
export function untimedRecordProblems(events: string): string {
  return `
    SELECT _file AS file_id, min(_record) AS record, NULL::INTEGER AS line,
      (CASE WHEN count(*) = 1 THEN 'record ' || min(_record)
            ELSE count(*) || ' records (' || array_to_string(list(_record ORDER BY _record)[1:5], ', ')
                 || CASE WHEN count(*) > 5 THEN ', …' ELSE '' END || ')' END)
      || CASE WHEN bool_and("eventTime" IS NULL) THEN ' without eventTime (not CloudTrail records): not loaded'
              ELSE ' with an eventTime that cannot be read as a date and time (e.g. ' || min("eventTime") || '): not loaded' END AS message
    FROM ${events} WHERE _ts IS NULL GROUP BY _file`;
}
