// DDL on the local Athena endpoint (DuckDB backend over a generated organisation trail): `trailbook
// athena ddl --apply` as a real process through the real SDK and SigV4 creates the table,
// GetTableMetadata then describes it, and a runbook runs on it with its account and region
// partitions; what the endpoint cannot serve is refused in Athena's shapes (another DDL
// statement at the start; a CREATE EXTERNAL TABLE with other columns, no projection or a
// LOCATION outside the served bucket ends FAILED), and a refused table is never created.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { GetTableMetadataCommand } from '@aws-sdk/client-athena';
import { duckdbBackend, startAthenaEndpoint, type AthenaEndpoint, type DuckDBBackend } from '../../src/testbed/athenaEndpoint';
import { cloudTrailDdl, HIVE_COLUMNS } from '../../src/sources/athena/ddl';
import { generateTrail } from '../../src/testbed/loggen';
import { AthenaSession, refusal } from '../support/athenaSession';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const WINDOW = '2024-07-01T00:00:00Z/2025-01-01T00:00:00Z';
let backend: DuckDBBackend;
let endpoint: AthenaEndpoint;
let session: AthenaSession;
const scratch = tempDir();
const runbook = join(scratch, 'where.md');
const trail = join(scratch, 'trail');
writeFileSync(
  runbook,
  '---\ntitle: where\n---\n\n```cloudtrail id=where\nSELECT eventID, recipientAccountId, awsRegion FROM cloudtrail_logs\n```\n',
);

before(async () => {
  // Several accounts and real region names (the Stratus events' regions are made up, and `athena ddl` refuses them).
  await generateTrail({ outDir: trail, events: 800, seed: 7, start: new Date('2024-07-01T00:00:00Z'), days: 2 });
  backend = await duckdbBackend({ logsPath: trail });
  // The call rate is not what this file tests: the cost bound lists a folder for every account, region and day.
  endpoint = await startAthenaEndpoint({ backend, logsDir: trail, rateLimit: 100_000 });
  session = new AthenaSession(endpoint);
});
after(async () => {
  session?.client.destroy();
  await endpoint?.close();
  await backend?.close();
});

/** The CLI as a real process; async, since the endpoint lives in this process. */
function trailbook(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: scratch,
    TRAILBOOK_CACHE_DIR: join(scratch, 'cache'),
    AWS_ACCESS_KEY_ID: endpoint.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoint.credentials.secretAccessKey,
    AWS_REGION: endpoint.region,
  };
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

type Row = { eventid: string; recipientaccountid: string; awsregion: string };

async function rowsOn(table: string, ...flags: string[]): Promise<{ rows: Row[]; sql: string }> {
  const out = await trailbook(
    'run',
    runbook,
    '--source',
    'athena',
    '--endpoint',
    endpoint.url,
    '--athena-table',
    table,
    '--window',
    WINDOW,
    '--format',
    'json',
    ...flags,
  );
  assert.equal(out.status, 0, out.stderr);
  const cell = itemAt((JSON.parse(out.stdout) as { cells: { rows: Row[]; sql: string }[] }).cells, 0);
  return { rows: cell.rows, sql: cell.sql };
}

/** Start a statement and wait for its end: the final state and why. */
async function statement(sql: string): Promise<{ state: string; reason?: string; type?: string }> {
  const { execution } = await session.wait(await session.start(sql));
  return {
    state: execution.Status!.State!,
    ...(execution.Status!.StateChangeReason ? { reason: execution.Status!.StateChangeReason } : {}),
    ...(execution.StatementType ? { type: execution.StatementType } : {}),
  };
}

const metadataOf = (table: string) =>
  session.client.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'default', TableName: table }));

const ddlFor = (table: string, bucket = 's3://trailbook-local-logs'): string =>
  cloudTrailDdl({ bucket, accounts: ['111122223333'], regions: ['us-east-1'], table }).sql;

test('athena ddl --apply creates the table; GetTableMetadata describes it and a runbook runs on it, by account and region', async () => {
  const all = await rowsOn('cloudtrail_logs');
  assert.ok(all.rows.length >= 800, `the generated events in the window: ${all.rows.length}`);
  const accounts = [...new Set(all.rows.map((r) => r.recipientaccountid))].sort();
  const allRegions = [...new Set(all.rows.map((r) => r.awsregion))].sort();
  assert.ok(accounts.length > 1 && allRegions.length > 2, `the events should span accounts and regions: ${accounts}, ${allRegions}`);
  // One region left out of the projection: its events are not in the table.
  const regions = allRegions.slice(1);
  const projected = all.rows.filter((r) => regions.includes(r.awsregion));
  assert.ok(projected.length < all.rows.length && projected.length > 0);

  await assert.rejects(metadataOf('org_trail'), (error: Error) => error.name === 'MetadataException');
  const applied = await trailbook(
    'athena',
    'ddl',
    '--bucket',
    's3://trailbook-local-logs',
    '--accounts',
    accounts.join(','),
    '--regions',
    regions.join(','),
    '--table',
    'org_trail',
    '--apply',
    '--endpoint',
    endpoint.url,
  );
  assert.equal(applied.status, 0, applied.stderr);
  assert.match(
    applied.stderr + applied.stdout,
    /created default\.org_trail over s3:\/\/trailbook-local-logs\/AWSLogs\/ in workgroup primary \(query [0-9a-f-]{36}\)/,
  );

  const { TableMetadata: table } = await metadataOf('org_trail');
  assert.deepEqual(
    table!.Columns!.map((c) => [c.Name, c.Type]),
    [...HIVE_COLUMNS],
  );
  assert.deepEqual(
    table!.PartitionKeys!.map((c) => [c.Name, c.Type]),
    [
      ['account', 'string'],
      ['region', 'string'],
      ['timestamp', 'string'],
    ],
  );
  const parameters = table!.Parameters!;
  assert.equal(parameters['storage.location.template'], 's3://trailbook-local-logs/AWSLogs/${account}/CloudTrail/${region}/${timestamp}');
  assert.equal(parameters['projection.account.values'], accounts.join(','));
  assert.equal(parameters['projection.timestamp.format'], 'yyyy/MM/dd');
  assert.equal(parameters.location, 's3://trailbook-local-logs/AWSLogs/');
  // The table the endpoint started with is still there, unchanged.
  assert.deepEqual(
    (await metadataOf('cloudtrail_logs')).TableMetadata!.PartitionKeys!.map((c) => c.Name),
    ['timestamp'],
  );

  // The new table's account and region partitions: the source writes them, the endpoint keeps to them.
  const [account, region] = [itemAt(accounts, 0), itemAt(regions, 0)];
  const some = await rowsOn('org_trail', '--athena-accounts', account, '--athena-regions', region);
  assert.match(some.sql, new RegExp(`"account" IN \\('${account}'\\) AND "region" IN \\('${region}'\\)`));
  const want = all.rows
    .filter((r) => r.recipientaccountid === account && r.awsregion === region)
    .map((r) => r.eventid)
    .sort();
  assert.ok(want.length > 0);
  assert.deepEqual(some.rows.map((r) => r.eventid).sort(), want);
  // Without a choice of accounts and regions, every event of the projected partitions: as in
  // Athena, enum values bound what the table holds.
  assert.deepEqual((await rowsOn('org_trail')).rows.map((r) => r.eventid).sort(), projected.map((r) => r.eventid).sort());
});

test('the same CREATE again: IF NOT EXISTS changes nothing; without it, the table already exists', async () => {
  const sql = ddlFor('again_trail');
  assert.deepEqual(await statement(sql), { state: 'SUCCEEDED', type: 'DDL' });
  const before = (await metadataOf('again_trail')).TableMetadata!;
  const other = ddlFor('again_trail').replace(
    "'projection.account.values' = '111122223333'",
    "'projection.account.values' = '444455556666'",
  );
  assert.equal((await statement(other)).state, 'SUCCEEDED');
  assert.deepEqual((await metadataOf('again_trail')).TableMetadata!.Parameters, before.Parameters);
  const plain = await statement(sql.replace('IF NOT EXISTS ', ''));
  assert.equal(plain.state, 'FAILED');
  assert.equal(plain.reason, 'FAILED: AlreadyExistsException Table again_trail already exists in default');
  // A DDL statement has no header row and no rows.
  const id = await session.start(ddlFor('rows_trail'));
  await session.wait(id);
  assert.deepEqual((await session.allPages(id)).rows, []);
});

test('any other DDL statement is refused at the start, with what the endpoint runs', async () => {
  for (const [sql, words] of [
    ['DROP TABLE `default`.`cloudtrail_logs`', 'DROP TABLE'],
    ["ALTER TABLE cloudtrail_logs ADD PARTITION (`timestamp` = '2024/07/30')", 'ALTER TABLE'],
    ['create or replace view v AS SELECT 1', 'CREATE OR REPLACE VIEW'],
    ['CREATE TABLE copy AS SELECT * FROM cloudtrail_logs', 'CREATE TABLE'],
    ['MSCK REPAIR TABLE cloudtrail_logs', 'MSCK REPAIR TABLE'],
    ['-- a comment first\nCREATE DATABASE other', 'CREATE DATABASE'],
  ] as const) {
    const error = await refusal(session.start(sql));
    assert.equal(error.name, 'InvalidRequestException', sql);
    assert.equal(error.AthenaErrorCode, 'INVALID_INPUT');
    assert.equal(
      error.message,
      `${words} is not emulated by this endpoint: it runs SELECT queries and the CREATE EXTERNAL TABLE that \`trailbook athena ddl\` prints`,
    );
  }
  // Nothing was dropped.
  assert.equal((await metadataOf('cloudtrail_logs')).TableMetadata!.Name, 'cloudtrail_logs');
  // A statement that is no DDL at all is still a syntax error of the engine's parser.
  const typo = await refusal(session.start('SELEC eventid FROM cloudtrail_logs'));
  assert.equal(typo.AthenaErrorCode, 'MALFORMED_QUERY', typo.message);
});

test('a LOCATION or location template outside the served bucket is refused, and no table is made', async () => {
  const elsewhere = await trailbook(
    'athena',
    'ddl',
    '--bucket',
    's3://someone-elses-trail',
    '--accounts',
    '111122223333',
    '--table',
    'far_trail',
    '--apply',
    '--endpoint',
    endpoint.url,
  );
  assert.notEqual(elsewhere.status, 0);
  assert.match(
    elsewhere.stderr,
    /LOCATION "s3:\/\/someone-elses-trail\/AWSLogs\/": this endpoint serves only its --logs folder, as the bucket s3:\/\/trailbook-local-logs\/; a table over any other place would read files it does not serve/,
  );
  await assert.rejects(metadataOf('far_trail'), (error: Error) => error.name === 'MetadataException');

  const template = ddlFor('template_trail').replace(
    "'s3://trailbook-local-logs/AWSLogs/${account}",
    "'s3://other-bucket/AWSLogs/${account}",
  );
  const failed = await statement(template);
  assert.equal(failed.state, 'FAILED');
  assert.match(
    failed.reason!,
    /^FAILED: SemanticException storage\.location\.template "s3:\/\/other-bucket\/AWSLogs\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}": this endpoint serves only its --logs folder/,
  );
  const dotted = await statement(
    ddlFor('dotted_trail').replace("LOCATION 's3://trailbook-local-logs/AWSLogs/'", "LOCATION 's3://trailbook-local-logs/../AWSLogs/'"),
  );
  assert.match(
    dotted.reason!,
    /^FAILED: SemanticException LOCATION "s3:\/\/trailbook-local-logs\/\.\.\/AWSLogs\/": a path with \. or \.\. parts/,
  );
  await assert.rejects(metadataOf('template_trail'), (error: Error) => error.name === 'MetadataException');
});

const lineOf = (text: string, part: string): number => text.split('\n').findIndex((line) => line.includes(part)) + 1;

test('columns other than the CloudTrail table, or no partition projection, end FAILED naming what differs', async () => {
  const sql = ddlFor('odd_trail');
  // Hive counts columns from 0: the second comma.
  const broken = sql.replace('`eventtime` string,', '`eventtime` string,,');
  const cases: [string, string, RegExp][] = [
    [
      'a column left out',
      sql.replace(/\n {2}`eventversion` string,/, ''),
      /the columns are not Athena's CloudTrail table: it lacks eventversion\. This endpoint serves CloudTrail events only/,
    ],
    ['a column typed otherwise', sql.replace('`errorcode` string', '`errorcode` int'), /it types errorcode otherwise/],
    [
      'a column of its own',
      sql.replace('`errorcode` string', '`errorcode` string,\n  `note` string'),
      /has columns the CloudTrail table has not \(note\)/,
    ],
    [
      'no projection',
      sql.replace("'projection.enabled' = 'true'", "'projection.enabled' = 'false'"),
      /lacks 'projection\.enabled' = 'true'/,
    ],
    [
      'another day format',
      sql.replace("'projection.timestamp.format' = 'yyyy/MM/dd'", "'projection.timestamp.format' = 'yyyy-MM-dd'"),
      /the timestamp partition must be projected as type 'date' with format 'yyyy\/MM\/dd'/,
    ],
    [
      'a partition the endpoint cannot derive',
      sql.replace('`region` string, `timestamp` string', '`region` string, `timestamp` string, `dt` string'),
      /the partition dt: this endpoint derives only timestamp, account, region/,
    ],
    [
      'no day partition',
      sql.replace(
        'PARTITIONED BY (`account` string, `region` string, `timestamp` string)',
        'PARTITIONED BY (`account` string, `region` string)',
      ),
      /has no `timestamp` partition/,
    ],
    [
      'a syntax error',
      broken,
      new RegExp(
        `^FAILED: ParseException line ${lineOf(broken, ',,')}:${itemAt(broken.split('\n'), lineOf(broken, ',,') - 1).indexOf(',,') + 1} found ',', expected a column name$`,
      ),
    ],
  ];
  for (const [what, text, reason] of cases) {
    const ended = await statement(text);
    assert.equal(ended.state, 'FAILED', what);
    assert.match(ended.reason!, reason, what);
  }
  await assert.rejects(metadataOf('odd_trail'), (error: Error) => error.name === 'MetadataException');
});
