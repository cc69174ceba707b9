// A kept result's rows in a compressed in-memory database of their own
// (src/engine/keptDatabase.ts), and the JSON texts of its struct, list and map columns built
// beside them after its first filter (src/engine/keptFilterTexts.ts): the rows each filter
// keeps are the ones the view's own rules keep, on the first filter (which reads the columns as
// they are) and on those after it (which read the texts); rows and texts are compressed; the
// database is let go with the result, with a result small enough to need none, and with a
// query that fails; a build that fails half way drops what it wrote. Over real DuckDB.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildFilterTexts } from '../../src/engine/keptFilterTexts';
import { KeptResult } from '../../src/engine/keptResult';
import { defineScope, runQuery, type QueryScope } from '../../src/engine/query';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { filterTerms, rowMatches } from '../../src/webview/rowFilter';
import { generateTrail } from '../../src/testbed/loggen';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { openStore } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const EVENTS = 3_000;

const trail = (async () => {
  const root = tempDir();
  await generateTrail({ outDir: join(root, 'trail'), events: EVENTS, seed: 23 });
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, join(root, 'trail'), ALL_TIME);
  const scope: QueryScope = { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME };
  return { store, scope };
})();

// A struct whose values hold a newline, quotes, a backslash and U+001A before "ssumerole" (its
// JSON text reads `\u001assumerole`), a list with a null, a map, and CloudTrail's own struct.
const SQL = `SELECT eventName,
    {'who': userIdentity.arn, 'note': eventName || chr(10) || '"quoted" \\ back', 'ctl': chr(26) || 'ssumerole'} AS s,
    [eventName, NULL, sourceIPAddress] AS l,
    map([eventName], [errorCode]) AS m,
    userIdentity
  FROM cloudtrail_logs ORDER BY eventTime, eventID`;

/** The kept results' databases attached to the store's query instance now. */
async function keptDatabases(): Promise<string[]> {
  const { store } = await trail;
  const connection = await store.connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT database_name FROM duckdb_databases()`)).getRowsJS();
    return rows.map((row) => String(row[0])).filter((name) => /^kept_[0-9]+$/.test(name));
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

test('rows and texts are held compressed, the texts built once, and the database let go with the result', async () => {
  const { store, scope } = await trail;
  const before = await keptDatabases();
  const result = await KeptResult.keep(store, scope, SQL);
  const attached = (await keptDatabases()).filter((name) => !before.includes(name));
  assert.equal(attached.length, 1);
  const database = attached[0]!;
  const compression = async (table: string): Promise<unknown[][]> => {
    const connection = await store.connect();
    try {
      const info = await connection.runAndReadAll(
        `SELECT DISTINCT column_name, compression FROM pragma_storage_info('${database}.${table}') WHERE segment_type = 'VARCHAR' ORDER BY ALL`,
      );
      return info.getRowsJS();
    } finally {
      connection.closeSync();
    }
  };
  // Once kept, before any filter: the rows are compressed (a page asked waits for it).
  await result.page(0, 1);
  const rows = await compression('kept_rows');
  assert.ok(rows.length > 0 && rows.every((row) => row[1] !== 'Uncompressed'), JSON.stringify(rows));
  // The first filter reads the columns as they are and starts the texts; the second waits for them.
  await result.listed(0, 10, { filter: 'assumerole' });
  await result.listed(0, 10, { filter: 'describe' });
  await result.listed(0, 10, { filter: 'get' });
  const connection = await store.connect();
  try {
    const storage: unknown[][] = [];
    for (const table of ['kept_rows', 'kept_texts']) {
      const info = await connection.runAndReadAll(
        `SELECT DISTINCT '${table}', column_name, compression FROM pragma_storage_info('${database}.${table}') WHERE segment_type = 'VARCHAR' ORDER BY ALL`,
      );
      storage.push(...info.getRowsJS());
    }
    const tables = [...new Set(storage.map((row) => String(row[0])))];
    assert.deepEqual(tables, ['kept_rows', 'kept_texts'], 'the rows and one table of texts');
    // s, l, m and userIdentity: four texts.
    assert.deepEqual([...new Set(storage.filter((row) => row[0] === 'kept_texts').map((row) => String(row[1])))].sort(), [
      't0',
      't1',
      't2',
      't3',
    ]);
    assert.ok(
      storage.every((row) => row[2] !== 'Uncompressed'),
      JSON.stringify(storage),
    );
  } finally {
    connection.closeSync();
  }
  result.close();
  assert.ok(await settled(async () => !(await keptDatabases()).includes(database)), 'detached once the result is let go');
});

test('a result within the row limit, and a query that fails as it runs, leave no database behind', async () => {
  const { store, scope } = await trail;
  const before = await keptDatabases();
  const small = await KeptResult.run(store, scope, 'SELECT eventName FROM cloudtrail_logs LIMIT 5', { limit: 10 });
  assert.equal(small.kept, undefined);
  assert.equal(small.result.rows.length, 5);
  await assert.rejects(KeptResult.keep(store, scope, 'SELECT CAST(eventName AS INTEGER) AS n FROM cloudtrail_logs'), /Conversion Error/);
  assert.deepEqual(await keptDatabases(), before);
});

test('a result of plain text columns builds no texts, and filters as the view does', async () => {
  const { store, scope } = await trail;
  const sql = 'SELECT eventName, errorCode, sourceIPAddress FROM cloudtrail_logs ORDER BY eventTime, eventID';
  const before = await keptDatabases();
  const whole = await runQuery(store, scope, sql);
  const result = await KeptResult.keep(store, scope, sql);
  try {
    const page = await result.listed(0, EVENTS, { filter: 'denied 10.' });
    const terms = filterTerms('denied 10.');
    const expected = whole.rows.map((_, i) => i).filter((i) => rowMatches(itemAt(whole.rows, i), terms));
    assert.ok(expected.length > 0);
    assert.deepEqual(page.rowIndexes, expected);
    const [database] = (await keptDatabases()).filter((name) => !before.includes(name));
    const tables = await store.connect().then(async (connection) => {
      try {
        return (await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = '${database}'`)).getRowsJS();
      } finally {
        connection.closeSync();
      }
    });
    assert.deepEqual(tables, [['kept_rows']]);
  } finally {
    result.close();
  }
});

test('a build that fails half way drops what it wrote and says why', async () => {
  const { store, scope } = await trail;
  const result = await KeptResult.keep(store, scope, SQL);
  const connection: DuckDBConnection = await store.connect();
  try {
    await defineScope(connection, scope);
    await connection.run(`CREATE TEMP TABLE kept_rows AS ${SQL}`);
    let turns = 0;
    const failing = async <T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> => {
      turns += 1;
      // The table, one slice, then the machine runs out of something.
      if (turns === 3) throw new Error('out of memory (for the test)');
      return work(connection);
    };
    await assert.rejects(buildFilterTexts(failing, result.columns, EVENTS, 1_000), /out of memory \(for the test\)/);
    assert.equal(turns, 4, 'the table, a slice, the failed one, and dropping it');
    const left = (
      await connection.runAndReadAll(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'kept_texts'`,
      )
    ).getRowsJS();
    assert.deepEqual(left, []);
  } finally {
    connection.closeSync();
    result.close();
  }
});
