// Each Trino function the local engine emulates gives, on DuckDB with the macros
// installed, what the real Trino gives for the same expression; an expression that fails on
// Trino must fail locally too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { toCellValue, type CellValue } from '../../src/engine/query';
import { installTrinoFunctions, TRINO_FUNCTIONS } from '../../src/engine/trinoFunctions';
import { FUNCTION_CASES } from './functionCases';
import { normalize } from './support/compare';
import { enginesEnv, report, trinoClient } from './support/env';
import { itemAt } from '../support/itemAt';

const env = enginesEnv();
const trino = trinoClient(env);
let instance: DuckDBInstance;
let duck: DuckDBConnection;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  duck = await instance.connect();
  await installTrinoFunctions(duck);
});
after(() => {
  duck.closeSync();
  instance.closeSync();
});

type Outcome = { value: CellValue } | { error: string };

const asQuery = (sql: string): string => (/^\s*(SELECT|WITH)\b/i.test(sql) ? sql : `SELECT ${sql}`);

async function onDuckDB(sql: string): Promise<Outcome> {
  try {
    const result = await duck.runAndReadAll(asQuery(sql));
    return { value: toCellValue(result.getRowsJS()[0]?.[0]) };
  } catch (error) {
    return { error: itemAt((error as Error).message.split('\n'), 0) };
  }
}

async function onTrino(sql: string): Promise<Outcome> {
  try {
    const result = await trino.query(asQuery(sql));
    return { value: result.rows[0]?.[0] ?? null };
  } catch (error) {
    return { error: itemAt((error as Error).message.split('\n'), 0) };
  }
}

const describeOutcome = (o: Outcome): string => ('error' in o ? `error: ${o.error}` : JSON.stringify(normalize(o.value)));

test('every emulated function has cases', () => {
  const missing = TRINO_FUNCTIONS.map((f) => f.name).filter((name) => !FUNCTION_CASES[name]?.length);
  assert.deepEqual(missing, [], `add inputs for these to test/engines/functionCases.ts: ${missing.join(', ')}`);
});

for (const [fn, cases] of Object.entries(FUNCTION_CASES)) {
  describe(fn, () => {
    for (const sql of cases) {
      test(sql, async () => {
        const [d, t] = [await onDuckDB(sql), await onTrino(sql)];
        const agree =
          'error' in d || 'error' in t
            ? 'error' in d && 'error' in t
            : JSON.stringify(normalize(d.value)) === JSON.stringify(normalize(t.value));
        const detail = agree ? undefined : `DuckDB ${describeOutcome(d)}; Trino ${describeOutcome(t)}`;
        report(env, { suite: 'functions', name: `${fn}: ${sql}`, ok: agree, ...(detail ? { detail } : {}) });
        assert.ok(agree, `${sql}\n  ${detail}`);
      });
    }
  });
}
