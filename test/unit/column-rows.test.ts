// The catalogue writes many rows at once as one parameter a column (engine/store/columnRows.ts):
// every value must come back as given, in its row, whatever a path holds, and a value the
// encoding cannot carry must be refused rather than stored as something else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnRows, integers, texts } from '../../src/engine/store/columnRows';
import { testDuckDB } from '../support/syntaxTree';

const duckdb = testDuckDB();

async function rowsOf(table: { sql: string; params: string[] }): Promise<unknown[][]> {
  return (await duckdb.connection().runAndReadAll(`SELECT * FROM ${table.sql}`, table.params)).getRowsJS() as unknown[][];
}

test('rows come back as given, in order: texts with commas, quotes, newlines and other scripts; NULLs; large integers', async () => {
  const paths = ['/logs/a,b.json', '/logs/quote\'"s.json', '/logs/new\nline.json', '/logs/ünï código.json.gz', "x'); DROP TABLE t; --"];
  const shapes = ['elastic', undefined, 'splunk', undefined, 'a\\b'];
  const numbers = [0, -1, 2 ** 53 - 1, 1_700_000_000_123, 42];
  const got = await rowsOf(columnRows({ path: texts(paths), shape: texts(shapes), n: integers(numbers) }));
  assert.deepEqual(
    got,
    paths.map((path, i) => [path, shapes[i] ?? null, BigInt(numbers[i]!)]),
  );
});

test('parameters are numbered from where the statement needs them', async () => {
  const table = columnRows({ id: integers([7, 8]) }, 2);
  const got = (await duckdb.connection().runAndReadAll(`SELECT $1 AS tag, id FROM ${table.sql}`, ['t', ...table.params])).getRowsJS();
  assert.deepEqual(got, [
    ['t', 7n],
    ['t', 8n],
  ]);
});

test('what the encoding cannot carry is refused: an empty text, a NUL, a fraction, columns of different lengths, no rows', () => {
  assert.throws(() => columnRows({ path: texts(['a', '']) }), /never empty/);
  assert.throws(() => columnRows({ path: texts(['a\0b']) }), /NUL/);
  assert.throws(() => columnRows({ n: integers([1.5]) }), /n must be a whole number, not 1.5/);
  assert.throws(() => columnRows({ n: integers([Number.NaN]) }), /whole number/);
  assert.throws(() => columnRows({ n: integers([1, 2]), path: texts(['a']) }), /same number of values/);
  assert.throws(() => columnRows({ n: integers([]) }), /one at least/);
});
