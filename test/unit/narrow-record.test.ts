// What a cold cell's narrow read converts of a struct column: the fields the cell reads over
// the skeleton that refuses what the full type refuses (src/engine/narrowRecord.ts), and
// which fields a cell reads (cellColumns.ts). That the answers are the cache's, and that
// wrong shapes are refused alike, is checked over real logs in local-logs-direct-answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldsTheCellReads } from '../../src/engine/cellColumns';
import { narrowType, skeleton } from '../../src/engine/narrowRecord';
import { columnType, duckdbType } from '../../src/engine/schema';
import { parseSelect } from '../../src/engine/sqlGuard';
import { testDuckDB } from '../support/syntaxTree';

const duckdb = testDuckDB();
const userIdentity = columnType('userIdentity');

test('the skeleton keeps every struct, list and map, and one leaf where a struct has nothing else', () => {
  assert.equal(
    duckdbType(skeleton(userIdentity)),
    'STRUCT("onBehalfOf" STRUCT("userId" VARCHAR), "sessionContext" STRUCT("attributes" STRUCT("mfaAuthenticated" VARCHAR), ' +
      '"sessionIssuer" STRUCT("type" VARCHAR), "webIdFederationData" STRUCT("attributes" MAP(VARCHAR, VARCHAR))))',
  );
  assert.equal(duckdbType(skeleton(columnType('resources'))), 'STRUCT("ARN" VARCHAR)[]');
  assert.equal(duckdbType(skeleton(columnType('eventName'))), 'VARCHAR');
});

test('narrowed: the fields read over the skeleton, in the schema order and spelling, whole where a path ends at a struct', () => {
  assert.equal(
    duckdbType(narrowType(userIdentity, [['ARN'], ['sessioncontext', 'sessionIssuer', 'arn']])),
    'STRUCT("arn" VARCHAR, "onBehalfOf" STRUCT("userId" VARCHAR), "sessionContext" STRUCT("attributes" STRUCT("mfaAuthenticated" VARCHAR), ' +
      '"sessionIssuer" STRUCT("type" VARCHAR, "arn" VARCHAR), "webIdFederationData" STRUCT("attributes" MAP(VARCHAR, VARCHAR))))',
  );
  assert.equal(
    duckdbType(narrowType(userIdentity, [['onBehalfOf']])),
    duckdbType(
      narrowType(userIdentity, [
        ['onBehalfOf', 'userId'],
        ['onBehalfOf', 'identityStoreArn'],
      ]),
    ),
    'a path that ends at a struct keeps all of it',
  );
  assert.equal(duckdbType(narrowType(userIdentity, [['nosuch']])), duckdbType(skeleton(userIdentity)), 'an unknown field adds nothing');
  assert.equal(duckdbType(narrowType(userIdentity, 'whole')), duckdbType(userIdentity));
  assert.equal(duckdbType(narrowType(columnType('resources'), [['ARN']])), duckdbType(columnType('resources')), 'into a list: whole');
});

test('which fields a cell reads: every path any reading of a name could mean; whole when a name could mean the column itself', async () => {
  const fields = async (sql: string): Promise<Record<string, unknown>> => {
    const parsed = await parseSelect(duckdb.connection(), sql);
    assert.ok('tree' in parsed, sql);
    return Object.fromEntries(fieldsTheCellReads(parsed.tree));
  };
  assert.deepEqual(await fields('SELECT userIdentity.arn, eventName FROM cloudtrail_logs'), { userIdentity: [['arn']] });
  assert.deepEqual(await fields('SELECT t.userIdentity.sessionContext.sessionIssuer.arn FROM cloudtrail_logs t'), {
    userIdentity: [['sessionContext', 'sessionIssuer', 'arn']],
  });
  for (const whole of [
    'SELECT userIdentity FROM cloudtrail_logs',
    'SELECT t.userIdentity FROM cloudtrail_logs t',
    'SELECT to_json(userIdentity) FROM cloudtrail_logs',
    "SELECT userIdentity['arn'] FROM cloudtrail_logs",
    "SELECT struct_extract(userIdentity, 'arn') FROM cloudtrail_logs",
    'SELECT userIdentity.arn FROM cloudtrail_logs WHERE userIdentity IS NOT NULL',
    'SELECT a.eventName FROM cloudtrail_logs a JOIN cloudtrail_logs b USING (userIdentity)',
  ]) {
    assert.equal((await fields(whole)).userIdentity, 'whole', whole);
  }
  assert.equal((await fields('SELECT list_transform(resources, r -> r.ARN) FROM cloudtrail_logs')).resources, 'whole');
  assert.deepEqual(await fields('SELECT eventName FROM cloudtrail_logs'), {});
});
