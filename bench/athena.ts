// `npm run bench:athena`: the Athena source's paging against the project's local Athena
// endpoint (DuckDB backend over a generated trail), through the real SDK over HTTP with
// SigV4. Figures, not a pass/fail test: rows a second through GetQueryResults' 1000-row pages
// (values converted by ColumnInfo.Type, rows and arrays read back from Trino's text), and the
// time from SUCCEEDED seen to the first page of rows in hand. Goals from issue 11 are
// printed beside what was measured. With `-- --trino`, the same runbooks on Trino and DuckDB
// over a million generated events (bench/trinoVsDuckdb.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { generateTrail, MANIFEST_FILE } from '../src/testbed/loggen';
import { duckdbBackend, startAthenaEndpoint } from '../src/testbed/athenaEndpoint';
import { AthenaQueryRunner } from '../src/sources/athena/client';
import { clientRequestToken } from '../src/sources/athena/requestToken';
import { oneMinuteLoad } from './figures';
import { trinoVersusDuckdb } from './trinoVsDuckdb';

const EVENTS = 60_000;
const TRAIL = resolve(__dirname, '.data', `athena-trail-${EVENTS}`);
const QUERIES: [string, string][] = [
  [
    'scalars (eventID, eventTime, eventName, sourceIPAddress)',
    'SELECT eventID, eventTime, eventName, sourceIPAddress FROM "default"."cloudtrail_logs"',
  ],
  ['rows and arrays (userIdentity, resources)', 'SELECT eventID, userIdentity, resources FROM "default"."cloudtrail_logs"'],
];

async function main(): Promise<void> {
  if (!existsSync(join(TRAIL, MANIFEST_FILE))) await generateTrail({ outDir: TRAIL, events: EVENTS, seed: 9, days: 3 });
  const backend = await duckdbBackend({ logsPath: TRAIL });
  const endpoint = await startAthenaEndpoint({ backend });
  const client = new AthenaClient({ endpoint: endpoint.url, region: endpoint.region, credentials: endpoint.credentials, maxAttempts: 1 });
  const runner = new AthenaQueryRunner(
    client,
    { workgroup: 'primary', database: 'default', catalog: 'AwsDataCatalog' },
    { where: 'bench', tableSetting: 't', workgroupSetting: 'w' },
  );
  try {
    for (const [name, sql] of QUERIES) {
      for (let round = 0; round < 2; round += 1) {
        let succeededAt = 0;
        let firstRowAt = 0;
        let pages = 0;
        const started = performance.now();
        const result = await runner.run(sql, {
          token: clientRequestToken({
            runbook: 'bench',
            cell: `${name}-${round}-${Date.now()}`,
            sql,
            window: { start: new Date(0), end: new Date(), label: '' },
          }),
          limit: 1_000_000,
          onState: (state) => {
            if (state === 'SUCCEEDED') succeededAt = performance.now();
          },
          onRows: () => {
            pages += 1;
            if (firstRowAt === 0) firstRowAt = performance.now();
          },
        });
        const done = performance.now();
        const pagingMs = done - succeededAt;
        const rate = result.rows.length / (pagingMs / 1000);
        process.stdout.write(
          `athena ${name}, round ${round + 1}: ${result.rows.length} rows in ${pages} pages; ` +
            `query ${(succeededAt - started).toFixed(0)} ms to SUCCEEDED, paging ${pagingMs.toFixed(0)} ms = ${Math.round(rate).toLocaleString('en-US')} rows/s (goal ≥ 50,000); ` +
            `first row ${(firstRowAt - succeededAt).toFixed(0)} ms after SUCCEEDED (goal < 300 ms); load ${oneMinuteLoad()}\n`,
        );
      }
    }
  } finally {
    client.destroy();
    await endpoint.close();
    await backend.close();
  }
  // Opt-in: needs Java and Trino (scripts/trino-setup.sh installs them) and both cores for a minute.
  if (process.argv.includes('--trino')) process.exitCode = await trinoVersusDuckdb();
}

main().catch((error) => {
  process.stderr.write(`bench:athena: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
