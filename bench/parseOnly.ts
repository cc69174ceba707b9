// DuckDB parsing every file into the record type and counting, writing nothing: where
// the cold run's time goes, next to the cost of keeping what was parsed.
import { execFileSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { RECORD_TYPE } from '../src/engine/schema';
import { sqlString } from '../src/engine/sqlText';

async function main(): Promise<void> {
  const trail = process.argv[2];
  if (trail === undefined) throw new Error('give the trail folder: node --import tsx bench/parseOnly.ts TRAIL_FOLDER');
  const files = execFileSync('find', [trail, '-name', '*.json.gz'], { encoding: 'utf8', maxBuffer: 1 << 30 })
    .trim()
    .split('\n');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  const result = await connection.runAndReadAll(`SELECT sum(len(Records)) FROM read_json([${files.map(sqlString).join(', ')}],
    columns = {Records: ${sqlString(`${RECORD_TYPE}[]`)}}, format = 'unstructured', maximum_object_size = 2147483647)`);
  const elapsed = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms: elapsed, events: Number((result.getRowsJS() as [[unknown]])[0][0]) })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
