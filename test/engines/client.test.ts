// The Trino REST client against the real server: columns and typed values, paging past
// the first response, errors with Trino's name and position, the row limit and
// cancellation (the server must see the query end as cancelled, not run on).
import assert from 'node:assert/strict';
import { test as nodeTest } from 'node:test';
import { TrinoClient } from '../../src/sources/trino/client';
import { TrinoConnectionError, TrinoQueryCancelled, TrinoQueryError } from '../../src/sources/trino/errors';
import { enginesEnv, report, trinoClient } from './support/env';
import { freePort } from './support/trinoServer';
import { itemAt } from '../support/itemAt';

/** A node test whose outcome is also counted in run.ts's summary. */
function test(name: string, body: () => Promise<void>): void {
  nodeTest(name, async () => {
    try {
      await body();
      report(env, { suite: 'client', name, ok: true });
    } catch (error) {
      report(env, { suite: 'client', name, ok: false, detail: (error as Error).message });
      throw error;
    }
  });
}

const env = enginesEnv();
const trino = trinoClient(env);

test('columns carry Trino types; rows of the table become objects by field name', async () => {
  const result = await trino.query(`SELECT eventid, resources, useridentity.sessioncontext.attributes AS attrs
FROM cloudtrail_logs WHERE cardinality(resources) > 0 ORDER BY eventid LIMIT 1`);
  assert.deepEqual(
    result.columns.map((c) => c.name),
    ['eventid', 'resources', 'attrs'],
  );
  assert.equal(itemAt(result.columns, 1).type, 'array(row(arn varchar, accountid varchar, type varchar))');
  const resources = itemAt(result.rows, 0)[1] as Record<string, unknown>[];
  assert.deepEqual(Object.keys(itemAt(resources, 0)), ['arn', 'accountid', 'type']);
  assert.match(String(itemAt(resources, 0).arn), /^arn:aws:/);
});

test('every page is collected: a result larger than one response arrives whole', async () => {
  const result = await trino.query('SELECT a.x * 10000 + b.y FROM UNNEST(sequence(0, 4)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y)');
  assert.equal(result.rows.length, 50000);
  assert.equal(
    result.rows.reduce((sum, [x]) => sum + (x as number), 0),
    (50000 * 50001) / 2,
  );
});

test("errors carry Trino's name, message and line:column, with the LINE n: the runbook runner maps", async () => {
  await assert.rejects(trino.query('SELECT 1\nFROM cloudtrail_logs\nWHERE no_such_column = 1'), (error: unknown) => {
    assert.ok(error instanceof TrinoQueryError);
    assert.equal(error.errorName, 'COLUMN_NOT_FOUND');
    assert.deepEqual(error.location, { line: 3, column: 7 });
    assert.match(error.message, /^Trino COLUMN_NOT_FOUND at line 3:7: .*no_such_column/);
    assert.match(error.message, /\nLINE 3:$/);
    return true;
  });
});

test('a limit stops reading and cancels the rest on the server', async () => {
  const result = await trino.query(
    'SELECT a.x * 10000 + b.y FROM UNNEST(sequence(0, 19)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y)',
    { limit: 10 },
  );
  assert.equal(result.rows.length, 10);
  assert.equal(result.truncated, true);
});

test('an abort cancels the query on the server (DELETE on nextUri)', async () => {
  const controller = new AbortController();
  // A trillion rows (Trino's sequence() stops at 10,000 entries): it runs until aborted. Two
  // sequences (10^8 rows) finished before the abort on a quick machine, failing the test.
  const slow = `SELECT count(*) FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y) CROSS JOIN UNNEST(sequence(1, 10000)) c(z) WHERE (x * y + z) % 7919 = 1 AND 'abort-me' <> ''`;
  const running = trino.query(slow, { signal: controller.signal });
  setTimeout(() => controller.abort(), 1500);
  await assert.rejects(running, TrinoQueryCancelled);
  // The server's own record of the query: it must have ended, as cancelled by the user.
  let state = '';
  for (let i = 0; i < 40 && state !== 'FAILED'; i += 1) {
    const q = await trino.query(
      `SELECT state, error_code FROM system.runtime.queries WHERE query LIKE '%abort-me%' AND query NOT LIKE '%system.runtime%'`,
    );
    state = String(q.rows[0]?.[0] ?? '');
    if (state === 'FAILED') assert.equal(itemAt(q.rows, 0)[1], 'USER_CANCELED');
    else await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(state, 'FAILED', 'the server still runs the aborted query');
});

test('an unreachable server and a bad URL are errors that say what to check', async () => {
  const port = await freePort();
  const closed = new TrinoClient({ server: `http://127.0.0.1:${port}`, user: 'x' });
  await assert.rejects(
    closed.query('SELECT 1'),
    (e: unknown) =>
      e instanceof TrinoConnectionError &&
      (e as Error).message === `cannot reach Trino at http://127.0.0.1:${port}: ECONNREFUSED; is the server running, and is the URL right?`,
  );
  assert.throws(() => new TrinoClient({ server: 'ftp://x', user: 'x' }), /http:\/\/ or https:\/\//);
  assert.throws(() => new TrinoClient({ server: env.trinoUrl, user: '' }), /user is required/);
  assert.throws(() => new TrinoClient({ server: env.trinoUrl, user: 'u', password: 'p', accessToken: 't' }), /not both/);
});
