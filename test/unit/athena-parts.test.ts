// The Athena source's pure parts: the idempotency token, the partition predicates and the
// day folders of a window, the cost bound's prefixes, the query-size message, and what each
// AWS failure is turned into.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientRequestToken } from '../../src/sources/athena/requestToken';
import { partitionSchemes, tableLayout, windowDays } from '../../src/sources/athena/partitions';
import { scanPrefixes, partitionValues } from '../../src/sources/athena/scanBound';
import { describeTable } from '../../src/sources/athena/tableInfo';
import { querySizeProblem, referenceSizes } from '../../src/sources/athena/querySize';
import { explainAthenaError, explainFailedQuery, missingPermission, withLine } from '../../src/sources/athena/errors';
import { HIVE_COLUMNS } from '../../src/sources/athena/ddl';
import { sqlErrorLine } from '../../src/app/runbookRunner';

const window = { start: new Date('2024-03-30T22:00:00Z'), end: new Date('2024-04-01T00:00:00Z'), label: 'test' };

test('the token is the same for the same query and differs with any part; 64 hex characters', () => {
  const base = { runbook: 'runbooks/a.md', cell: 'keys', sql: 'SELECT 1', window };
  const token = clientRequestToken(base);
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal(clientRequestToken({ ...base }), token);
  for (const other of [
    { ...base, runbook: 'runbooks/b.md' },
    { ...base, cell: 'keys2' },
    { ...base, sql: 'SELECT 2' },
    { ...base, window: { ...window, end: new Date('2024-04-01T00:00:01Z') } },
    // Parts cannot run into one another.
    { ...base, runbook: 'runbooks/a.mdk', cell: 'eys' },
  ]) {
    assert.notEqual(clientRequestToken(other), token);
  }
});

test('the day partition covers the window plus one late day, as yyyy/MM/dd strings; accounts and regions only when named and present', () => {
  assert.deepEqual(windowDays(window), ['2024/03/30', '2024/03/31', '2024/04/01']);
  const org = tableLayout(['account', 'region', 'timestamp']);
  const predicates = (choice: object) => partitionSchemes(org, choice).flatMap((s) => s.predicates(window));
  assert.deepEqual(predicates({}), [`"timestamp" >= '2024/03/30'`, `"timestamp" <= '2024/04/01'`]);
  assert.deepEqual(predicates({ accounts: ['222233334444', '111122223333'], regions: ['eu-west-1'] }), [
    `"timestamp" >= '2024/03/30'`,
    `"timestamp" <= '2024/04/01'`,
    `"account" IN ('111122223333', '222233334444')`,
    `"region" IN ('eu-west-1')`,
  ]);
  // A table without partitions gets the eventTime bounds only; values are quoted by code.
  assert.deepEqual(partitionSchemes(tableLayout([]), { regions: ['x'] }), []);
  assert.deepEqual(
    partitionSchemes(tableLayout(['region']), { regions: ["a'b"] }).flatMap((s) => s.predicates(window)),
    [`"region" IN ('a''b')`],
  );
});

test('the cost bound lists one prefix per day, account and region; an unknown value cuts the prefix', () => {
  const info = describeTable({
    Name: 'cloudtrail_logs',
    PartitionKeys: [{ Name: 'account' }, { Name: 'region' }, { Name: 'timestamp' }],
    Parameters: {
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,eu-west-1',
      'projection.account.type': 'enum',
      'projection.account.values': '111122223333',
      'storage.location.template': 's3://b/AWSLogs/o-abc/${account}/CloudTrail/${region}/${timestamp}',
    },
    Columns: [...HIVE_COLUMNS].map(([Name, Type]) => ({ Name, Type })),
  });
  assert.deepEqual(info.schemaDifferences, []);
  const prefixes = scanPrefixes(info.locationTemplate!, partitionValues(info, ['2024/03/31', '2024/04/01'], { regions: ['eu-west-1'] }));
  assert.deepEqual(prefixes, [
    's3://b/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2024/03/31/',
    's3://b/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2024/04/01/',
  ]);
  assert.deepEqual(scanPrefixes('s3://b/AWSLogs/${account}/CloudTrail/${region}/${timestamp}', new Map()), ['s3://b/AWSLogs/']);
  assert.deepEqual(scanPrefixes('s3://b/logs/', new Map()), ['s3://b/logs/']);
});

test('the schema check names missing and differently typed columns', () => {
  const columns = [...HIVE_COLUMNS]
    .filter(([name]) => name !== 'tlsdetails')
    .map(([Name, Type]) => ({ Name, Type: Name === 'resources' ? 'array<string>' : Type }));
  const info = describeTable({ Name: 't', Columns: columns });
  assert.deepEqual(info.schemaDifferences, [
    'the table has no column tlsdetails: cells that use it fail there',
    "the table types resources otherwise than Athena's CloudTrail table: a cell reading a field it lacks fails there",
  ]);
});

test('a query over 262,144 bytes names the list that made it so', () => {
  const template = 'SELECT * FROM cloudtrail_logs WHERE userIdentity.accessKeyId IN ({{keys.newKey}}) AND eventName = {{name}}';
  const keys = Array.from({ length: 20_000 }, (_, i) => `'AKIA${String(i).padStart(16, '0')}'`).join(', ');
  const sql = `SELECT * FROM cloudtrail_logs WHERE userIdentity.accessKeyId IN (${keys}) AND eventName = 'x'`;
  const s1 = template.indexOf('{{keys.newKey}}');
  const s2 = template.indexOf('{{name}}');
  const cell = {
    runbook: 'r.md',
    cell: 'activity',
    template,
    references: [
      { text: '{{keys.newKey}}', start: s1, end: s1 + '{{keys.newKey}}'.length },
      { text: '{{name}}', start: s2, end: s2 + '{{name}}'.length },
    ],
  };
  assert.deepEqual(referenceSizes(sql, cell), [
    { text: '{{keys.newKey}}', bytes: Buffer.byteLength(keys) },
    { text: '{{name}}', bytes: 3 },
  ]);
  const problem = querySizeProblem(sql, sql, cell);
  assert.match(
    problem!,
    /^the query is 480,\d{3} bytes, over Athena's limit of 262,144: \{\{keys\.newKey\}\} alone became 4\d\d\.\d KB of values/,
  );
  assert.equal(querySizeProblem('SELECT 1', 'SELECT 1', cell), undefined);
});

test('errors say what to do: throttling, denial with the permission, syntax with the runbook line, a missing table', () => {
  const context = {
    where: 'workgroup primary, table AwsDataCatalog.default.cloudtrail_logs, us-east-1',
    tableSetting: '--athena-table',
    workgroupSetting: '--athena-workgroup',
  };
  assert.match(
    explainAthenaError({ name: 'TooManyRequestsException', message: 'Rate exceeded' }, { ...context, step: 'StartQueryExecution' }),
    /throttling StartQueryExecution .* and still was after retries with backoff/,
  );
  assert.match(
    explainAthenaError(
      {
        name: 'AccessDeniedException',
        message: 'User: arn:aws:iam::1:user/x is not authorized to perform: athena:StartQueryExecution on resource: workgroup/primary',
      },
      { ...context, step: 'StartQueryExecution' },
    ),
    /grant athena:StartQueryExecution to the identity used/,
  );
  assert.match(
    explainAthenaError(
      { name: 'AccessDenied', message: 'Access Denied', $metadata: { httpStatusCode: 403 } },
      { ...context, step: 'ListObjectsV2' },
    ),
    /grant s3:ListBucket on the log bucket/,
  );
  assert.match(
    explainAthenaError(
      { name: 'MetadataException', message: 'EntityNotFoundException: Table x not found' },
      { ...context, step: 'GetTableMetadata' },
    ),
    /trailbook athena ddl --bucket .* or set --athena-table/,
  );
  assert.equal(
    missingPermission('Access denied when writing output to url: s3://results/x', 'StartQueryExecution'),
    "s3:PutObject (and s3:GetBucketLocation) on the workgroup's output location",
  );
  const syntax = explainAthenaError(
    { name: 'InvalidRequestException', message: "line 3:8: mismatched input 'FORM'" },
    { ...context, step: 'StartQueryExecution' },
  );
  assert.match(syntax, /InvalidRequestException\): line 3:8: mismatched input 'FORM'\nLINE 3:$/);
  // The runner maps LINE 3 of the SQL to the runbook: the cell's first SQL line is line 10 (0-based) → 12.
  const cell = { sqlStartLine: 10, endLine: 20 } as Parameters<typeof sqlErrorLine>[0];
  assert.equal(sqlErrorLine(cell, syntax), 12);
  const failed = explainFailedQuery(
    undefined,
    { ErrorCategory: 2, ErrorType: 1301, ErrorMessage: "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.nope' does not exist" },
    'q-1',
    context,
  );
  assert.match(
    failed,
    /^Athena cannot find the table \(user error 1301\): TABLE_NOT_FOUND: .* \(query q-1\)\. Create it with `trailbook athena ddl/,
  );
  assert.equal(withLine('no position'), 'no position');
});

test('a column of the CloudTrail table that the table lacks is said as another schema', () => {
  const context = { where: 'w', tableSetting: '--athena-table', workgroupSetting: '--athena-workgroup' };
  assert.match(
    explainFailedQuery("COLUMN_NOT_FOUND: line 2:3: Column 'tlsdetails' cannot be resolved", undefined, 'q', context),
    /tlsdetails is a column of Athena's CloudTrail table that this table lacks: it has another schema; recreate it with `trailbook athena ddl`\nLINE 2:$/,
  );
  assert.doesNotMatch(
    explainFailedQuery("COLUMN_NOT_FOUND: line 2:3: Column 'mistyped' cannot be resolved", undefined, 'q', context),
    /another schema/,
  );
});
