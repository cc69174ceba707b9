// The JSON texts of a kept result's struct, list and map columns, built after its first filter
// into a compressed in-memory database (src/engine/keptFilterTexts.ts): the rows each filter
// keeps are the ones the view's own rules keep, on the first filter (which reads the columns as
// they are) and on those after it (which read the texts); the texts are compressed; and they
// are let go with the result, or when the build fails half way, over real DuckDB.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildFilterTexts } from '../../src/engine/keptFilterTexts';
import { KeptResult } from '../../src/engine/keptResult';
import { defineScope, runQuery } from '../../src/engine/query';
import { filterTerms, rowMatches } from '../../src/webview/rowFilter';
import { scannedTrail } from '../support/store';
import { itemAt } from '../support/itemAt';

const EVENTS = 3_000;

const trail = scannedTrail(EVENTS, 23);

// A struct whose values hold a newline, quotes, a backslash and U+001A before "ssumerole" (its
// JSON text reads `\u001assumerole`), a list with a null, a map, and CloudTrail's own struct.
const SQL = `SELECT eventName,
    {'who': userIdentity.arn, 'note': eventName || chr(10) || '"quoted" \\ back', 'ctl': chr(26) || 'ssumerole'} AS s,
    [eventName, NULL, sourceIPAddress] AS l,
    map([eventName], [errorCode]) AS m,
    userIdentity
  FROM cloudtrail_logs ORDER BY eventTime, eventID`;

/** The kept_filter_texts databases attached to the store's query instance now. */
async function textDatabases(): Promise<string[]> {
  const { store } = await trail;
  const connection = await store.connect();
  try {
    const rows = (
      await connection.runAndReadAll(`SELECT database_name FROM duckdb_databases() WHERE database_name LIKE 'kept_filter_texts_%'`)
    ).getRowsJS();
    return rows.map((row) => String(row[0]));
  } finally {
    connection.closeSync();
  }
}

/** Waits for a closed result's last turn (it lets go after the request under way). */
async function settled(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

test('struct, list and map values with quotes, escapes and control characters: each filter keeps the rows the view keeps, the first and those after', async () => {
  const { store, scope } = await trail;
  const whole = await runQuery(store, scope, SQL);
  const result = await KeptResult.keep(store, scope, SQL);
  try {
    const filters = [
      'AssumeRole',
      'ssumerole',
      'u001a',
      '\\n',
      'quoted"',
      '"who"',
      'null',
      '10.',
      'describe ASSUMEROLE',
      'zzzz',
      '"key":"get',
    ];
    const counts: number[] = [];
    for (const filter of filters) {
      const terms = filterTerms(filter);
      const expected = whole.rows.map((_, i) => i).filter((i) => rowMatches(itemAt(whole.rows, i), terms));
      const page = await result.listed(0, EVENTS, { filter });
      assert.equal(page.listed, expected.length, filter);
      assert.deepEqual(page.rowIndexes, expected, filter);
      counts.push(expected.length);
    }
    // What the filters compare: some rows, every row (the struct's own text, keys and escapes
    // included: U+001A then "ssumerole" reads `\u001assumerole`), or none (a quote is `\"` in it).
    const kind = (count: number): string => (count === EVENTS ? 'every' : count === 0 ? 'none' : 'some');
    assert.deepEqual(Object.fromEntries(filters.map((filter, i) => [filter, kind(counts[i]!)])), {
      AssumeRole: 'every',
      ssumerole: 'every',
      u001a: 'every',
      '\\n': 'every',
      'quoted"': 'none',
      '"who"': 'every',
      null: 'every',
      '10.': 'some',
      'describe ASSUMEROLE': 'some',
      zzzz: 'none',
      '"key":"get': 'some',
    });
  } finally {
    result.close();
  }
});

test('the texts are built once, compressed, and let go with the result', async () => {
  const { store, scope } = await trail;
  const before = await textDatabases();
  const result = await KeptResult.keep(store, scope, SQL);
  // The first filter reads the columns as they are and starts the texts; the second waits for them.
  await result.listed(0, 10, { filter: 'assumerole' });
  await result.listed(0, 10, { filter: 'describe' });
  const attached = (await textDatabases()).filter((name) => !before.includes(name));
  assert.equal(attached.length, 1);
  await result.listed(0, 10, { filter: 'get' });
  assert.deepEqual(
    (await textDatabases()).filter((name) => !before.includes(name)),
    attached,
    'a third filter reads the same texts',
  );
  const connection = await store.connect();
  try {
    const storage = (
      await connection.runAndReadAll(
        `SELECT DISTINCT column_name, compression FROM pragma_storage_info('${attached[0]}.texts') WHERE column_name LIKE 't%' AND segment_type = 'VARCHAR'`,
      )
    ).getRowsJS();
    // s, l, m and userIdentity: four texts, none stored as they are.
    assert.deepEqual([...new Set(storage.map((row) => String(row[0])))].sort(), ['t0', 't1', 't2', 't3']);
    assert.ok(
      storage.every((row) => row[1] !== 'Uncompressed'),
      JSON.stringify(storage),
    );
  } finally {
    connection.closeSync();
  }
  result.close();
  assert.ok(await settled(async () => !(await textDatabases()).includes(attached[0]!)), 'detached once the result is let go');
});

test("a runbook cell cannot read the filters' texts, attached to the instance it runs on", async () => {
  const { store, scope } = await trail;
  const before = await textDatabases();
  const result = await KeptResult.keep(store, scope, SQL);
  try {
    await result.listed(0, 10, { filter: 'assumerole' });
    await result.listed(0, 10, { filter: 'describe' });
    const [database] = (await textDatabases()).filter((name) => !before.includes(name));
    assert.ok(database !== undefined);
    for (const sql of [`SELECT * FROM ${database}.texts`, `SELECT * FROM "${database}"."main"."texts"`]) {
      await assert.rejects(runQuery(store, scope, sql), /unknown table .*texts: runbook queries read the table cloudtrail_logs/, sql);
    }
  } finally {
    result.close();
  }
});

test('a result of plain text columns builds no texts, and filters as the view does', async () => {
  const { store, scope } = await trail;
  const sql = 'SELECT eventName, errorCode, sourceIPAddress FROM cloudtrail_logs ORDER BY eventTime, eventID';
  const before = await textDatabases();
  const whole = await runQuery(store, scope, sql);
  const result = await KeptResult.keep(store, scope, sql);
  try {
    const page = await result.listed(0, EVENTS, { filter: 'denied 10.' });
    const terms = filterTerms('denied 10.');
    const expected = whole.rows.map((_, i) => i).filter((i) => rowMatches(itemAt(whole.rows, i), terms));
    assert.ok(expected.length > 0);
    assert.deepEqual(page.rowIndexes, expected);
    // Those of earlier tests may still be going (a result closes after its last request).
    assert.deepEqual(
      (await textDatabases()).filter((name) => !before.includes(name)),
      [],
    );
  } finally {
    result.close();
  }
});

test('a build that fails half way lets its database go and says why', async () => {
  const { store, scope } = await trail;
  const result = await KeptResult.keep(store, scope, SQL);
  const connection: DuckDBConnection = await store.connect();
  try {
    await defineScope(connection, scope);
    await connection.run(`CREATE TEMP TABLE kept_rows AS ${SQL}`);
    const before = await textDatabases();
    const attached = new Set<string>();
    let turns = 0;
    const failing = async <T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> => {
      turns += 1;
      // The attach, one slice, then the machine runs out of something.
      if (turns === 3) throw new Error('out of memory (for the test)');
      return work(connection);
    };
    await assert.rejects(buildFilterTexts(failing, result.columns, EVENTS, 1_000, attached), /out of memory \(for the test\)/);
    assert.equal(turns, 4, 'the attach, a slice, the failed one, and letting go');
    assert.deepEqual(attached, new Set());
    assert.deepEqual(
      (await textDatabases()).filter((name) => !before.includes(name)),
      [],
    );
  } finally {
    connection.closeSync();
    result.close();
  }
});
