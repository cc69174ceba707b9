// DuckDB's syntax tree of a SQL text, for tests that prove a substituted value cannot change
// a query's structure: positions dropped (they move with value length) and constants
// replaced by '?' (they differ by design), the constants returned beside the shape.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { itemAt } from './itemAt';

export interface SyntaxTree {
  readonly shape: unknown;
  readonly constants: unknown[];
}

export interface TestDuckDB {
  /** The connection, once the file's `before` hooks have run. */
  connection(): DuckDBConnection;
  syntaxTree(sql: string): Promise<SyntaxTree>;
}

/** One in-memory DuckDB for the test file, opened before its tests and closed after. */
export function testDuckDB(): TestDuckDB {
  let db: DuckDBInstance;
  let connection: DuckDBConnection;
  before(async () => {
    db = await DuckDBInstance.create(':memory:');
    connection = await db.connect();
  });
  after(() => {
    connection.closeSync();
    db.closeSync();
  });
  const syntaxTree = async (sql: string): Promise<SyntaxTree> => {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const tree = JSON.parse(String(itemAt(reader.getRowsJS(), 0)[0]));
    assert.equal(tree.error, false, `DuckDB could not parse:\n${sql}\n${tree.error_message}`);
    const constants: unknown[] = [];
    const shape = JSON.parse(JSON.stringify(tree), function (key, value) {
      if (key === 'query_location') return undefined;
      if (value && typeof value === 'object' && value.class === 'CONSTANT') {
        constants.push(value.value.value);
        return { ...value, value: { ...value.value, value: '?' } };
      }
      return value;
    });
    return { shape, constants };
  };
  return { connection: () => connection, syntaxTree };
}
