// The local Athena endpoint (DuckDB backend) through the real @aws-sdk/client-athena over
// real HTTP with SigV4: the states a poller sees, the header row, Athena's text values,
// paging past 1000 rows, the idempotency token, stop, the concurrency limit, the query size
// limit, backticks, syntax and analysis errors with positions, and the refusals of a bad
// signature and of a Host that is not loopback. Data: a generated trail (S3 layout, day
// folders) and the Stratus Red Team detonation logs.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  GetWorkGroupCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { generateTrail } from '../../src/testbed/loggen';
import { duckdbBackend, startAthenaEndpoint, type AthenaEndpoint, type DuckDBBackend } from '../../src/testbed/athenaEndpoint';
import { AthenaSession, refusal, type Cell } from '../support/athenaSession';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const TABLE = '"default"."cloudtrail_logs"';
const trail = join(tempDir('trailbook-athena-'), 'trail');
let backend: DuckDBBackend;
let endpoint: AthenaEndpoint;
let session: AthenaSession;
let athena: AthenaClient;

before(async () => {
  await generateTrail({ outDir: trail, events: 2500, seed: 11, days: 3 });
  backend = await duckdbBackend({ logsPath: trail });
  // The call rate is not what this file tests, and on a quick machine its S3 listing (pages of
  // 7 keys) and pollers make hundreds of calls a second: a limit far above them.
  endpoint = await startAthenaEndpoint({ backend, maxConcurrent: 3, logsDir: trail, rateLimit: 100_000 });
  session = new AthenaSession(endpoint);
  athena = session.client;
});
after(async () => {
  await endpoint?.close();
  await backend?.close();
});

function clientFor(e: AthenaEndpoint, credentials = e.credentials): AthenaClient {
  return new AthenaSession(e, credentials).client;
}

const start = (sql: string, extra?: { ClientRequestToken?: string }): Promise<string> => session.start(sql, extra);
const wait = (id: string): ReturnType<AthenaSession['wait']> => session.wait(id);
const allPages = (id: string, maxResults?: number): ReturnType<AthenaSession['allPages']> => session.allPages(id, maxResults);
const run = (sql: string): ReturnType<AthenaSession['run']> => session.run(sql);

const logFiles = (dir: string): { path: string; size: number }[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json.gz'))
    .map((f) => ({ path: f, size: statSync(join(dir, f)).size }));

test('a poller sees QUEUED, then RUNNING, then SUCCEEDED, with the statistics and the request echoed', async () => {
  const sql = `SELECT count(*) AS events FROM ${TABLE}`;
  const id = await start(sql);
  const { states, execution } = await wait(id);
  assert.deepEqual(states.slice(0, 2), ['QUEUED', 'RUNNING']);
  assert.equal(states.at(-1), 'SUCCEEDED');
  assert.equal(execution.QueryExecutionId, id);
  assert.equal(execution.Query, sql);
  assert.equal(execution.WorkGroup, 'primary');
  assert.equal(execution.StatementType, 'DML');
  assert.equal(execution.ResultConfiguration!.OutputLocation, `s3://trailbook-local-athena-results/${id}.csv`);
  assert.ok(execution.Status!.SubmissionDateTime instanceof Date);
  assert.ok(execution.Status!.CompletionDateTime instanceof Date);
  // No partition predicate: every log file is read, as Athena reads the whole table.
  assert.equal(
    execution.Statistics!.DataScannedInBytes,
    logFiles(trail).reduce((n, f) => n + f.size, 0),
  );
  const { rows } = await allPages(id);
  assert.deepEqual(rows, [['events'], ['2500']]);
});

test('the window as the Athena source writes it: eventTime bounds and day partitions; DataScannedInBytes counts the days kept', async () => {
  const window = `(SELECT * FROM ${TABLE} WHERE try(from_iso8601_timestamp("eventtime")) >= from_iso8601_timestamp('2025-03-04T00:00:00.000Z')
    AND try(from_iso8601_timestamp("eventtime")) < from_iso8601_timestamp('2025-03-05T00:00:00.000Z') AND "timestamp" >= '2025/03/04' AND "timestamp" <= '2025/03/05')`;
  const { execution, rows } = await run(`SELECT count(*) FROM ${window} AS cloudtrail_logs`);
  const { rows: direct } = await run(
    `SELECT count(*) FROM ${TABLE} WHERE eventtime >= '2025-03-04T00:00:00Z' AND eventtime < '2025-03-05T00:00:00Z'`,
  );
  assert.deepEqual(rows[1], direct[1]);
  assert.ok(Number(itemAt(rows, 1)[0]) > 0 && Number(itemAt(rows, 1)[0]) < 2500, `a day of three: ${itemAt(rows, 1)[0]}`);
  const kept = logFiles(trail).filter((f) => /2025\/03\/0[45]\//.test(f.path));
  assert.ok(kept.length > 0 && kept.length < logFiles(trail).length);
  assert.equal(
    execution.Statistics!.DataScannedInBytes,
    kept.reduce((n, f) => n + f.size, 0),
  );
});

test('values are Athena text: rows as {name=value}, arrays as [a, b], timestamps, doubles, null without VarCharValue; ColumnInfo types', async () => {
  const { rows, pages } = await run(`SELECT eventname, useridentity.sessioncontext.attributes AS attrs, resources,
    from_iso8601_timestamp(eventtime) AS at, CAST(1 AS double) AS one, 1e7 AS big, CAST(NULL AS varchar) AS nothing, eventtime
    FROM ${TABLE} WHERE resources IS NOT NULL AND cardinality(resources) > 0 AND useridentity.sessioncontext.attributes IS NOT NULL ORDER BY eventid LIMIT 1`);
  const [header, row] = rows as [Cell[], Cell[]];
  assert.deepEqual(header, ['eventname', 'attrs', 'resources', 'at', 'one', 'big', 'nothing', 'eventtime']);
  // Fields in the DDL's order, named in lower case as Glue keeps them.
  assert.match(String(itemAt(row, 1)), /^\{mfaauthenticated=(true|false|null), creationdate=[^,}]*\}$/);
  assert.match(String(itemAt(row, 2)), /^\[\{arn=[^,]*, accountid=[^,]*, type=[^}]*\}(, \{.*\})*\]$/);
  // eventTime 2025-03-03T10:11:12Z is printed 2025-03-03 10:11:12.000 UTC.
  const iso = String(itemAt(row, 7));
  assert.equal(row[3], `${iso.slice(0, 10)} ${iso.slice(11, 19)}.000 UTC`);
  assert.equal(row[4], '1.0');
  assert.equal(row[5], '1.0E7');
  assert.equal(row[6], null);
  const nullDatum = itemAt(itemAt(itemAt(pages, 0).ResultSet!.Rows!, 1).Data!, 6);
  assert.deepEqual(nullDatum, {});
  const info = itemAt(pages, 0).ResultSet!.ResultSetMetadata!.ColumnInfo!;
  assert.deepEqual(
    info.map((c) => c.Type),
    ['varchar', 'row', 'array', 'timestamp with time zone', 'double', 'double', 'varchar', 'varchar'],
  );
  assert.deepEqual(
    info.map((c) => c.Name),
    info.map((c) => c.Label),
  );
});

test('paging: 1000 rows a page, the header row first on the first page only, NextToken to the end; MaxResults over 1000 refused', async () => {
  const id = await start(`SELECT eventid FROM ${TABLE}`);
  await wait(id);
  const { pages, rows } = await allPages(id);
  assert.deepEqual(
    pages.map((p) => p.ResultSet!.Rows!.length),
    [1000, 1000, 501],
  );
  assert.deepEqual(rows[0], ['eventid']);
  const ids = rows.slice(1).map((r) => r[0]);
  assert.equal(new Set(ids).size, 2500);
  assert.equal(pages.at(-1)!.NextToken, undefined);
  // Smaller pages cover the same rows.
  const small = await allPages(id, 700);
  assert.deepEqual(small.rows, rows);

  const tooMany = await refusal(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })));
  assert.ok(tooMany instanceof InvalidRequestException);
  assert.match(
    tooMany.message,
    /Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000/,
  );
  const forged = await refusal(
    athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: itemAt(pages, 0).NextToken!.replace(/.$/, 'x') })),
  );
  assert.ok(forged instanceof InvalidRequestException);
});

test('a retried start with the same ClientRequestToken returns the same query and runs nothing twice; another request with it is refused', async () => {
  const token = 'runbook-cell-window-0123456789abcdef0123';
  const before = endpoint.executions.length;
  const first = await start(`SELECT 1 AS x`, { ClientRequestToken: token });
  const again = await start(`SELECT 1 AS x`, { ClientRequestToken: token });
  assert.equal(again, first);
  assert.equal(endpoint.executions.length, before + 1);
  assert.equal(endpoint.calls.filter((c) => c.action === 'StartQueryExecution' && c.queryExecutionId === first).length, 2);
  const other = await refusal(start(`SELECT 2 AS x`, { ClientRequestToken: token }));
  assert.ok(other instanceof InvalidRequestException);
  assert.match(other.message, /Idempotent parameters do not match/);
  await wait(first);
});

test('StopQueryExecution cancels a running query: CANCELLED, no results, and the endpoint saw the call', async () => {
  const id = await start(`SELECT sum(x % 7) FROM range(50000000000) AS t(x)`);
  const { QueryExecution: running } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
  assert.equal(running!.Status!.State, 'QUEUED');
  await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
  const { execution } = await wait(id);
  assert.equal(execution.Status!.State, 'CANCELLED');
  assert.match(execution.Status!.StateChangeReason!, /cancelled/i);
  assert.ok(endpoint.calls.some((c) => c.action === 'StopQueryExecution' && c.queryExecutionId === id));
  const results = await refusal(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })));
  assert.match(results.message, /Query did not finish successfully. Final query state: CANCELLED/);
});

test('past maxConcurrent queries, StartQueryExecution is refused with TooManyRequestsException until one ends', async () => {
  const own = await startAthenaEndpoint({ backend, maxConcurrent: 2 });
  try {
    const sdk = clientFor(own);
    const slow = `SELECT sum(x % 7) FROM range(50000000000) AS t(x)`;
    const ids = [];
    for (let i = 0; i < 2; i += 1) ids.push((await sdk.send(new StartQueryExecutionCommand({ QueryString: slow }))).QueryExecutionId!);
    const third = await refusal(sdk.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' })));
    assert.ok(third instanceof TooManyRequestsException, third.name);
    assert.match(third.message, /limit for the number of queries you can run concurrently/);
    await sdk.send(new StopQueryExecutionCommand({ QueryExecutionId: itemAt(ids, 0) }));
    const fourth = await sdk.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
    assert.ok(fourth.QueryExecutionId);
    await sdk.send(new StopQueryExecutionCommand({ QueryExecutionId: itemAt(ids, 1) }));
  } finally {
    await own.close();
  }
});

test('a QueryString of 262,144 bytes is taken; one byte more is refused', async () => {
  const head = 'SELECT 1 AS x -- ';
  // Bytes, not characters: é is two bytes in UTF-8.
  const fits = head + 'é'.repeat(1000) + 'x'.repeat(262_144 - head.length - 2000);
  assert.equal(Buffer.byteLength(fits), 262_144);
  const id = await start(fits);
  assert.equal((await wait(id)).execution.Status!.State, 'SUCCEEDED');
  const over = await refusal(start(`${fits}x`));
  assert.ok(over instanceof InvalidRequestException);
  assert.match(over.message, /Member must have length less than or equal to 262144 \(it is 262145 bytes\)/);
});

test('backticks are refused as Athena refuses them in DML, at their position; inside a string they are text', async () => {
  const refused = await refusal(start(`SELECT eventname,\n  \`eventsource\` FROM ${TABLE}`));
  assert.ok(refused instanceof InvalidRequestException);
  assert.equal(refused.message, 'line 2:3: backquoted identifiers are not supported; use double quotes to quote identifiers');
  assert.equal(refused.AthenaErrorCode, 'MALFORMED_QUERY');
  const { rows } = await run("SELECT '`' AS tick -- `");
  assert.deepEqual(rows, [['tick'], ['`']]);
});

test("a syntax error is refused at StartQueryExecution with Trino's line:column; analysis errors end FAILED with theirs", async () => {
  const syntax = await refusal(start(`SELECT eventname\nFRM ${TABLE}`));
  assert.ok(syntax instanceof InvalidRequestException);
  assert.match(syntax.message, /^line 2:5: mismatched input '"default"'/);

  const column = await wait(await start(`SELECT eventname,\n       nosuchcolumn FROM ${TABLE}`));
  assert.equal(column.execution.Status!.State, 'FAILED');
  assert.match(column.execution.Status!.StateChangeReason!, /^COLUMN_NOT_FOUND: line 2:8: /);
  assert.equal(column.execution.Status!.AthenaError!.ErrorCategory, 2);

  const table = await wait(await start(`SELECT * FROM "default"."elb_logs"`));
  assert.equal(
    table.execution.Status!.StateChangeReason,
    "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.elb_logs' does not exist",
  );
  const results = await refusal(athena.send(new GetQueryResultsCommand({ QueryExecutionId: table.execution.QueryExecutionId! })));
  assert.match(results.message, /Final query state: FAILED/);
});

test('an unknown QueryExecutionId, work group or missing output location is an InvalidRequestException', async () => {
  const unknown = await refusal(athena.send(new GetQueryExecutionCommand({ QueryExecutionId: '00000000-0000-0000-0000-000000000000' })));
  assert.ok(unknown instanceof InvalidRequestException);
  assert.match(unknown.message, /QueryExecution 00000000-0000-0000-0000-000000000000 was not found/);
  const group = await refusal(athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'nope' })));
  assert.match(group.message, /WorkGroup nope is not found/);
  const own = await startAthenaEndpoint({ backend, workGroups: [{ name: 'bare' }] });
  try {
    const noOutput = await refusal(clientFor(own).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'bare' })));
    assert.match(noOutput.message, /No output location provided/);
    const given = await clientFor(own).send(
      new StartQueryExecutionCommand({
        QueryString: 'SELECT 1',
        WorkGroup: 'bare',
        ResultConfiguration: { OutputLocation: 's3://mine/results/' },
      }),
    );
    assert.ok(given.QueryExecutionId);
  } finally {
    await own.close();
  }
});

test('GetWorkGroup and GetTableMetadata describe the work group and the served table', async () => {
  const { WorkGroup } = await athena.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }));
  assert.equal(WorkGroup!.Configuration!.ResultConfiguration!.OutputLocation, 's3://trailbook-local-athena-results/');
  const { TableMetadata } = await athena.send(
    new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'default', TableName: 'cloudtrail_logs' }),
  );
  assert.ok(TableMetadata!.Columns!.some((c) => c.Name === 'useridentity' && c.Type!.startsWith('struct<type:string,')));
  assert.deepEqual(TableMetadata!.PartitionKeys, [{ Name: 'timestamp', Type: 'string' }]);
});

test('a signature made with another secret, or an unknown key, is refused', async () => {
  const wrong = await refusal(
    clientFor(endpoint, { accessKeyId: endpoint.credentials.accessKeyId, secretAccessKey: 'not-the-secret' }).send(
      new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }),
    ),
  );
  assert.equal(wrong.name, 'InvalidSignatureException');
  const stranger = await refusal(
    clientFor(endpoint, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }).send(
      new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }),
    ),
  );
  assert.equal(stranger.name, 'UnrecognizedClientException');
});

test('a request addressed to another host name (DNS rebinding) is refused before anything is read', async () => {
  const { port } = new URL(endpoint.url);
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { host: `evil.example:${port}`, 'x-amz-target': 'AmazonAthena.GetWorkGroup' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
  assert.equal(answer.status, 421);
  assert.match(answer.body, /MisdirectedRequest/);
});

test('the same port lists the --logs folder as S3 ListObjectsV2 (path-style, signed), for the cost bound', async () => {
  const s3 = new S3Client({
    endpoint: endpoint.url,
    region: endpoint.region,
    credentials: endpoint.credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  const files = new Map(logFiles(trail).map((f) => [f.path.split('\\').join('/'), f.size]));
  const listed = new Map<string, number>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'trailbook-local-logs',
        Prefix: 'AWSLogs/',
        MaxKeys: 7,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const object of page.Contents ?? []) listed.set(object.Key!, object.Size!);
    token = page.NextContinuationToken;
    pages += 1;
  } while (token);
  assert.deepEqual(listed, files);
  assert.equal(pages, Math.ceil(files.size / 7));
  const [first] = [...files.keys()].sort();
  const day = first!.replace(/[^/]+$/, '');
  const dayPage = await s3.send(new ListObjectsV2Command({ Bucket: 'trailbook-local-logs', Prefix: day }));
  assert.deepEqual(
    dayPage.Contents!.map((o) => o.Key),
    [...files.keys()].filter((k) => k.startsWith(day)).sort(),
  );

  const missing = await refusal(s3.send(new ListObjectsV2Command({ Bucket: 'someone-elses-bucket' })));
  assert.equal(missing.name, 'NoSuchBucket');
  const forged = new S3Client({
    endpoint: endpoint.url,
    region: endpoint.region,
    credentials: { ...endpoint.credentials, secretAccessKey: 'not-the-secret' },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  const refused = await refusal(forged.send(new ListObjectsV2Command({ Bucket: 'trailbook-local-logs' })));
  assert.equal(refused.name, 'SignatureDoesNotMatch');
  // The table says where its files are; several accounts or regions: the bucket itself.
  const { TableMetadata } = await athena.send(
    new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'default', TableName: 'cloudtrail_logs' }),
  );
  const accountsAndRegions = new Set([...files.keys()].map((k) => k.split('/').slice(0, 4).join('/')));
  assert.deepEqual(TableMetadata!.Parameters, {
    'projection.enabled': 'true',
    'projection.timestamp.format': 'yyyy/MM/dd',
    'projection.timestamp.type': 'date',
    ...(accountsAndRegions.size === 1
      ? { 'storage.location.template': `s3://trailbook-local-logs/${[...accountsAndRegions][0]}/\${timestamp}` }
      : { location: 's3://trailbook-local-logs/' }),
  });
});
