// `trailbook serve-athena` as a script uses it: started as a process, its keys and region
// read from its KEY=value lines, then called with the real @aws-sdk/client-athena: a query
// over the served folder runs to SUCCEEDED and returns its rows. Its arguments are checked
// before anything starts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { parseServeAthenaArgs } from '../../src/cli/serveAthenaCommand';
import { UsageError } from '../../src/cli/usageError';
import type { AthenaEndpoint } from '../../src/testbed/athenaEndpoint';
import { AthenaSession } from '../support/athenaSession';
import { stratusDir } from '../support/datasets';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');

test('serve-athena prints a loopback URL, a region and fresh keys that the SDK can query with', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve-athena', '--logs', stratusDir()], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const closed = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  try {
    const env: Record<string, string> = {};
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      const pair = /^([A-Z_]+)=(.*)$/.exec(line);
      if (pair) env[itemAt(pair, 1)] = itemAt(pair, 2);
      else assert.match(line, /^# /, `a line that is neither KEY=value nor a # comment: ${line}`);
      if (env.AWS_REGION) break;
    }
    assert.match(env.TRAILBOOK_ENDPOINT ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, lines.join('\n'));
    assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal(env.AWS_REGION, 'us-east-1');
    const endpoint = {
      url: env.TRAILBOOK_ENDPOINT!,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    } as AthenaEndpoint;
    const { rows } = await new AthenaSession(endpoint).run('SELECT count(*) AS events FROM "default"."cloudtrail_logs"');
    assert.deepEqual(rows[0], ['events']);
    assert.ok(Number(itemAt(rows, 1)[0]) > 0);
  } finally {
    child.kill('SIGTERM');
    assert.equal(await closed, 0);
  }
});

test('serve-athena arguments: --logs required, ports and limits checked, the Trino server held to the endpoint rule', () => {
  assert.throws(
    () => parseServeAthenaArgs([]),
    (e) => e instanceof UsageError && /--logs DIR is required/.test(e.message),
  );
  assert.throws(() => parseServeAthenaArgs(['--logs', 'x', '--port', '70000']), /--port 70000: give a whole number from 0 to 65535/);
  assert.throws(() => parseServeAthenaArgs(['--logs', 'x', '--max-concurrent', '0']), /--max-concurrent 0/);
  assert.throws(() => parseServeAthenaArgs(['--logs', 'x', '--trino-table', 'a.b.c']), /go with --trino URL/);
  assert.throws(
    () => parseServeAthenaArgs(['--logs', 'x', '--trino', 'http://trino.example.com:8080', '--trino-table', 'a.b.c'], {}),
    /use https/,
  );
  assert.throws(() => parseServeAthenaArgs(['--logs', 'x', '--trino', 'http://127.0.0.1:8080'], {}), /needs the table: --trino-table/);
  assert.deepEqual(
    parseServeAthenaArgs(['--logs', 'x', '--trino', 'http://127.0.0.1:8080', '--trino-table', 'hive.trail.cloudtrail_logs'], {}).trino,
    {
      server: 'http://127.0.0.1:8080',
      table: 'hive.trail.cloudtrail_logs',
      user: 'trailbook',
    },
  );
  assert.deepEqual(parseServeAthenaArgs(['--logs', 'x']), { logs: 'x', port: 0, json: false, maxConcurrent: 5 });
});
