// serve-athena's endpoint over the real Trino: through @aws-sdk/client-athena, the endpoint
// gives what Trino gives directly (the same rows, in Athena's text forms), and what the
// DuckDB backend gives over the same events for the same query text; Trino's own parser
// and analyser supply the errors and their positions; StopQueryExecution cancels the
// query on Trino; and the Athena behaviours the unit tests pin on DuckDB (states, header
// row, pages, token, limits, backticks) hold here too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import {
  duckdbBackend,
  startAthenaEndpoint,
  trinoBackend,
  type AthenaBackend,
  type AthenaEndpoint,
} from '../../src/testbed/athenaEndpoint';
import { athenaText } from '../../src/testbed/athenaEndpoint/athenaText';
import { fromTrinoSignature } from '../../src/testbed/athenaEndpoint/athenaType';
import { AthenaSession, refusal, type Cell } from '../support/athenaSession';
import { enginesEnv, report, trinoClient } from './support/env';
import { CATALOG, SCHEMA } from './support/trinoTable';
import { itemAt } from '../support/itemAt';

const TRINO_TABLE = `${CATALOG}.${SCHEMA}.cloudtrail_logs`;
const TABLE = '"default"."cloudtrail_logs"';
/** The window subquery as the Athena source writes it (src/sources/trino/windowRewrite.ts's form). */
const WINDOWED = `(SELECT * FROM ${TABLE} WHERE try(from_iso8601_timestamp("eventtime")) >= from_iso8601_timestamp('2000-01-01T00:00:00.000Z') AND try(from_iso8601_timestamp("eventtime")) < from_iso8601_timestamp('2100-01-01T00:00:00.000Z') AND "timestamp" >= '2000/01/01' AND "timestamp" <= '2100/01/02')`;

let trino: AthenaBackend;
let duck: AthenaBackend;
let onTrino: AthenaEndpoint;
let onDuck: AthenaEndpoint;
let viaTrino: AthenaSession;
let viaDuck: AthenaSession;

before(async () => {
  const env = enginesEnv();
  trino = trinoBackend({ connection: { server: env.trinoUrl, user: 'trailbook-athena-endpoint' }, trinoTable: TRINO_TABLE });
  duck = await duckdbBackend({ logsPath: env.logs });
  [onTrino, onDuck] = await Promise.all([
    startAthenaEndpoint({ backend: trino, maxConcurrent: 2 }),
    startAthenaEndpoint({ backend: duck }),
  ]);
  viaTrino = new AthenaSession(onTrino);
  viaDuck = new AthenaSession(onDuck);
});
after(async () => {
  await Promise.all([onTrino?.close(), onDuck?.close()]);
  await Promise.all([trino?.close(), duck?.close()]);
});

/** Runs a check and reports it to the suite's summary. */
function check(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    const env = enginesEnv();
    try {
      await body();
      report(env, { suite: 'athena-endpoint', name, ok: true });
    } catch (error) {
      report(env, { suite: 'athena-endpoint', name, ok: false, detail: (error as Error).message });
      throw error;
    }
  });
}

/** Trino's rows for the same query run directly, in Athena's text forms. */
async function direct(sql: string): Promise<Cell[][]> {
  const result = await trinoClient(enginesEnv()).query(sql.replaceAll(TABLE, TRINO_TABLE));
  const types = result.columns.map((c) => fromTrinoSignature(c.typeSignature));
  return [result.columns.map((c) => c.name), ...result.rows.map((row) => row.map((v, i) => athenaText(v, itemAt(types, i)) ?? null))];
}

/** A trillion rows to count (Trino's sequence() stops at 10,000 entries): runs until stopped. */
const SLOW =
  'SELECT count_if((a.x + b.x + c.x) % 7 = 3) AS n FROM UNNEST(sequence(1, 10000)) AS a(x) CROSS JOIN UNNEST(sequence(1, 10000)) AS b(x) CROSS JOIN UNNEST(sequence(1, 10000)) AS c(x)';

const sorted = (rows: Cell[][]): string[] =>
  rows
    .slice(1)
    .map((r) => JSON.stringify(r))
    .sort();

const QUERIES: Record<string, string> = {
  'events by name': `SELECT eventname, eventsource, count(*) AS n FROM ${WINDOWED} AS cloudtrail_logs GROUP BY eventname, eventsource`,
  'identity rows and resource arrays': `SELECT eventid, useridentity, resources, tlsdetails FROM ${WINDOWED} AS cloudtrail_logs`,
  'timestamps, doubles, nulls': `SELECT eventid, from_iso8601_timestamp(eventtime) AS at, CAST(length(eventname) AS double) / 3 AS third, errorcode FROM ${TABLE} WHERE "timestamp" >= '2000/01/01'`,
  'json functions': `SELECT eventid, json_extract_scalar(requestparameters, '$.bucketName') AS bucket FROM ${TABLE} WHERE requestparameters IS NOT NULL`,
};

for (const [name, sql] of Object.entries(QUERIES)) {
  check(`${name}: the endpoint's rows equal Trino's direct rows and the DuckDB backend's`, async () => {
    const [endpoint, local, expected] = await Promise.all([viaTrino.run(sql), viaDuck.run(sql), direct(sql)]);
    assert.deepEqual(endpoint.rows[0], expected[0], 'header row');
    assert.ok(endpoint.rows.length > 1, 'some rows');
    assert.deepEqual(sorted(endpoint.rows), sorted(expected), 'endpoint vs Trino direct');
    assert.deepEqual(local.rows[0], endpoint.rows[0], 'header row on DuckDB');
    assert.deepEqual(sorted(local.rows), sorted(endpoint.rows), 'DuckDB backend vs Trino backend');
    assert.ok(endpoint.execution.Statistics!.DataScannedInBytes! > 0, 'DataScannedInBytes from Trino');
  });
}

check('states, paging past 1000 rows with NextToken, the header row on the first page only', async () => {
  const id = await viaTrino.start(`SELECT eventid FROM ${TABLE}`);
  const { states } = await viaTrino.wait(id);
  assert.deepEqual(states.slice(0, 2), ['QUEUED', 'RUNNING']);
  assert.equal(states.at(-1), 'SUCCEEDED');
  const { pages, rows } = await viaTrino.allPages(id);
  const [[count]] = (await direct(`SELECT count(*) FROM ${TABLE}`)).slice(1) as [[string]];
  assert.ok(Number(count) > 1000, `${count} events`);
  assert.equal(rows.length, Number(count) + 1);
  assert.ok(pages.slice(0, -1).every((p) => p.ResultSet!.Rows!.length === 1000));
  assert.deepEqual(rows[0], ['eventid']);
  assert.ok(!rows.slice(1).some((r) => r[0] === 'eventid'));
});

check('a retried start with the same token runs one query on Trino', async () => {
  const token = 'engines-athena-endpoint-token-0123456789';
  const before = onTrino.executions.length;
  const a = await viaTrino.start('SELECT 1 AS x', { ClientRequestToken: token });
  const b = await viaTrino.start('SELECT 1 AS x', { ClientRequestToken: token });
  assert.equal(a, b);
  assert.equal(onTrino.executions.length, before + 1);
  await viaTrino.wait(a);
});

check('StopQueryExecution cancels the query on Trino', async () => {
  const marker = `stop_${Date.now()}`;
  const sql = `${SLOW.replace('AS n', `AS ${marker}`)}`;
  const id = await viaTrino.start(sql);
  // Until Trino has the query: the endpoint's first poll shows QUEUED whatever Trino does.
  // The endpoint's own EXPLAIN (TYPE VALIDATE) of the same text, which FINISHED before the
  // query started, is not the query being stopped.
  const client = trinoClient(enginesEnv());
  const seen = async (): Promise<string | undefined> => {
    const r = await client.query(
      `SELECT state, error_code FROM system.runtime.queries WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.runtime.queries%' AND query NOT LIKE 'EXPLAIN%'`,
    );
    return r.rows[0] ? `${r.rows[0][0]} ${r.rows[0][1] ?? ''}`.trim() : undefined;
  };
  // A loaded machine can take seconds to get it there; a stop sent before would never reach Trino.
  let before = await seen();
  for (let i = 0; i < 300 && before === undefined; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    before = await seen();
  }
  assert.ok(before !== undefined, 'the query never reached Trino within 30 s, so there was nothing on Trino to stop');
  await viaTrino.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
  const { execution } = await viaTrino.wait(id);
  assert.equal(execution.Status!.State, 'CANCELLED', execution.Status!.StateChangeReason);
  let state = await seen();
  for (let i = 0; i < 100 && !/^FAILED/.test(state ?? ''); i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    state = await seen();
  }
  assert.equal(state, 'FAILED USER_CANCELED');
  assert.ok(onTrino.calls.some((c) => c.action === 'StopQueryExecution' && c.queryExecutionId === id));
});

check('TooManyRequestsException past maxConcurrent running Trino queries', async () => {
  const ids = [await viaTrino.start(SLOW), await viaTrino.start(`${SLOW} -- second`)];
  const third = await refusal(viaTrino.client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' })));
  assert.ok(third instanceof TooManyRequestsException, third.name);
  // Both were still running (not FAILED early): they end CANCELLED.
  for (const id of ids) {
    await viaTrino.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    assert.equal((await viaTrino.wait(id)).execution.Status!.State, 'CANCELLED');
  }
  for (const id of ids) await viaTrino.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
});

check("Trino's parser: a syntax error is refused at start with its line:column, as the DuckDB backend places it", async () => {
  const sql = `SELECT eventname\nFRM ${TABLE}`;
  const [onT, onD] = await Promise.all([refusal(viaTrino.start(sql)), refusal(viaDuck.start(sql))]);
  assert.ok(onT instanceof InvalidRequestException);
  assert.match(onT.message, /^line 2:5: mismatched input '"default"'\. Expecting: /);
  assert.match(onD.message, /^line 2:5: mismatched input '"default"'\./);
  const ticks = await refusal(viaTrino.start('SELECT `eventname` FROM "default"."cloudtrail_logs"'));
  assert.equal(ticks.message, 'line 1:8: backquoted identifiers are not supported; use double quotes to quote identifiers');
  const over = await refusal(viaTrino.start(`SELECT 1 -- ${'x'.repeat(262_144)}`));
  assert.match(over.message, /less than or equal to 262144/);
});

check(
  "Trino's analyser: FAILED with its error name and the position in the text sent, past the table name the endpoint replaced",
  async () => {
    const sql = `SELECT eventname FROM ${TABLE} WHERE nosuchcolumn = 1`;
    const { execution } = await viaTrino.wait(await viaTrino.start(sql));
    assert.equal(execution.Status!.State, 'FAILED');
    const at = sql.indexOf('nosuchcolumn') + 1;
    assert.equal(execution.Status!.StateChangeReason, `COLUMN_NOT_FOUND: line 1:${at}: Column 'nosuchcolumn' cannot be resolved`);
    assert.equal(execution.Status!.AthenaError!.ErrorCategory, 2);
    const local = await viaDuck.wait(await viaDuck.start(sql));
    assert.match(local.execution.Status!.StateChangeReason!, new RegExp(`^COLUMN_NOT_FOUND: line 1:${at}: `));
  },
);
