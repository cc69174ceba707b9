// A runbook from a pull request may try to read a file, a URL or the cache through its
// SQL. Two layers stop it, and each is tested here on its own (the guard on DuckDB's
// syntax tree; the locked DuckDB instances that run and check runbook SQL), then both
// together through the faces a reviewer touches: `trailbook lint`, `trailbook run`, and
// the lint the editor runs as they type. Every shape must also be live: on a plain DuckDB
// it really reads the canary, so a test passing here means a hole closed, not a typo.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EventStore } from '../../src/engine/eventStore';
import { runQuery } from '../../src/engine/query';
import { openSqlChecker } from '../../src/engine/sqlCheck';
import { parseSelect, tableAccessProblem } from '../../src/engine/sqlGuard';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { createRuntime } from '../../src/extension/runtime';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { tempDir } from '../support/tempDir';
import { entryOf } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const CANARY = `CANARY-${process.pid}-${Date.now()}`;
const root = tempDir('trailbook-hostile-');
const home = join(root, 'home');
const work = join(root, 'work');
const logs = join(root, 'logs');
const secret = join(root, 'secret.csv');
const otherCache = join(root, 'other-cache', 'events');
const otherParquet = join(otherCache, 'batch-1.parquet');

let listener: Server;
let connections = 0;
let url = '';

before(async () => {
  for (const dir of [home, work, logs, otherCache, join(home, '.aws/cli/cache')]) mkdirSync(dir, { recursive: true });
  writeFileSync(secret, `secret\n${CANARY}\n`);
  writeFileSync(join(home, '.aws/cli/cache/token.json'), JSON.stringify({ Credentials: { SecretAccessKey: CANARY } }));
  writeFileSync(
    join(logs, 'trail.json'),
    JSON.stringify({
      Records: [
        {
          eventVersion: '1.09',
          eventTime: '2024-07-31T13:00:00Z',
          eventSource: 'sts.amazonaws.com',
          eventName: 'GetCallerIdentity',
          awsRegion: 'us-east-1',
          eventID: 'hostile-1',
          userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
        },
      ],
    }),
  );
  const plain = await DuckDBInstance.create(':memory:');
  const connection = await plain.connect();
  await connection.run(`COPY (SELECT '${CANARY}' AS secret) TO '${otherParquet}' (FORMAT parquet)`);
  connection.closeSync();
  plain.closeSync();
  listener = createServer((_request, response) => response.end(`secret\n${CANARY}\n`));
  listener.on('connection', () => (connections += 1));
  await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/secret.csv`;
});
after(() => listener.close());

/**
 * Every shape an attacker was seen to try, by name. The bypass is a CTE whose name is a
 * path: the old guard allowed that name everywhere, DuckDB binds it to the CTE only in
 * its scope and reads the file everywhere else (`beside`).
 */
function shapes(): Record<string, string> {
  const beside = (name: string): string => `SELECT * FROM (WITH "${name}" AS (SELECT 1 AS x) SELECT * FROM "${name}") t, "${name}"`;
  return {
    'CTE shadowing a relative path, in scope': `WITH "../secret.csv" AS (SELECT 1 AS x) SELECT * FROM "../secret.csv"`,
    'CTE named by a string literal, in scope': `WITH '${secret}' AS (SELECT 1 AS x) SELECT * FROM '${secret}'`,
    'relative path beside a CTE of its name': beside('../secret.csv'),
    'absolute path beside a CTE of its name': beside(secret),
    'CTE in a scalar subquery, file read outside it': `SELECT (WITH "${secret}" AS (SELECT 1 AS x) SELECT x FROM "${secret}") AS y, * FROM "${secret}"`,
    'non-recursive CTE reading its own name': `WITH "${secret}" AS (SELECT * FROM "${secret}") SELECT * FROM "${secret}"`,
    'CTE used before it is declared': `WITH a AS (SELECT * FROM "${secret}"), "${secret}" AS (SELECT 1 AS x) SELECT * FROM a`,
    'a union whose other side reads the file': `WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL SELECT * FROM "${secret}"`,
    'glob of CSV files': beside(`${root}/*.csv`),
    'the AWS CLI credential cache under ~': beside('~/.aws/cli/cache/*.json'),
    "another cache's Parquet": beside(otherParquet),
    "the cache's catalogue through a CTE named store.files": `WITH "store.files" AS (SELECT 1 AS x) SELECT * FROM store.files`,
    'a URL beside a CTE of its name': beside(url),
    'an https URL': `SELECT * FROM 'https://example.invalid/secret.csv'`,
    'SUMMARIZE a file': `SELECT * FROM (SUMMARIZE '${secret}')`,
  };
}

/** The shapes that name a local file out of any CTE's scope: on an unlocked DuckDB they print the canary. */
const LIVE_ON_PLAIN_DUCKDB = [
  'absolute path beside a CTE of its name',
  'CTE in a scalar subquery, file read outside it',
  'non-recursive CTE reading its own name',
  'CTE used before it is declared',
  'a union whose other side reads the file',
  'glob of CSV files',
  "another cache's Parquet",
  'SUMMARIZE a file',
];

const noCanary = (value: unknown): string => {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  assert.doesNotMatch(text, new RegExp(CANARY));
  return text;
};

/**
 * Runs `sql` on a locked connection, past the guard: it may fail, or read a CTE in scope,
 * but never the canary; the shapes that read it on a plain DuckDB must fail on access.
 */
async function assertContained(connection: DuckDBConnection, name: string, sql: string): Promise<void> {
  try {
    noCanary((await connection.runAndReadAll(sql)).getRowsJS());
    assert.ok(!LIVE_ON_PLAIN_DUCKDB.includes(name), `${name} ran on a locked instance`);
  } catch (error) {
    const message = noCanary((error as Error).message);
    assert.match(message, /file system operations are disabled|Catalog Error|does not exist|Permission Error/, name);
  }
}

describe('the shapes are real holes without the two layers', () => {
  test('on a plain DuckDB, each local-file shape reads the canary', async () => {
    const plain = await DuckDBInstance.create(':memory:');
    const connection = await plain.connect();
    try {
      for (const name of LIVE_ON_PLAIN_DUCKDB) {
        const rows = (await connection.runAndReadAll(entryOf(shapes(), name))).getRowsJS();
        assert.match(
          JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
          new RegExp(CANARY),
          name,
        );
      }
      // From the working folder the relative path reaches the canary too.
      for (const name of ['relative path beside a CTE of its name']) {
        const rows = (
          await connection.runAndReadAll(entryOf(shapes(), name).replaceAll('../secret.csv', join(work, '../secret.csv')))
        ).getRowsJS();
        assert.match(
          JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
          new RegExp(CANARY),
          name,
        );
      }
    } finally {
      connection.closeSync();
      plain.closeSync();
    }
  });
});

describe('layer 1: the guard refuses every shape on its own', () => {
  test('each shape is refused from its syntax tree, naming why', async () => {
    const plain = await DuckDBInstance.create(':memory:');
    const connection = await plain.connect();
    try {
      for (const [name, sql] of Object.entries(shapes())) {
        const parsed = await parseSelect(connection, sql);
        const problem = 'problem' in parsed ? parsed.problem : tableAccessProblem(parsed.tree);
        assert.match(problem ?? 'allowed', /not a plain name|unknown table|not available in runbook queries/, name);
      }
    } finally {
      connection.closeSync();
      plain.closeSync();
    }
  });

  test('CTEs in scope stay usable: nested, recursive, union, and a subquery seeing its outer WITH', async () => {
    const plain = await DuckDBInstance.create(':memory:');
    const connection = await plain.connect();
    const allowed = [
      'WITH a AS (SELECT 1 AS x), b AS (SELECT * FROM a) SELECT * FROM b',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r',
      'WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL SELECT x FROM a',
      'WITH a AS (SELECT 1 AS x) SELECT (SELECT max(x) FROM a), * FROM cloudtrail_logs WHERE eventName IN (SELECT CAST(x AS VARCHAR) FROM a)',
      'SELECT * FROM cloudtrail_logs, unnest([1, 2]) AS t(v)',
    ];
    try {
      for (const sql of allowed) {
        const parsed = await parseSelect(connection, sql);
        assert.ok('tree' in parsed, sql);
        assert.equal(tableAccessProblem(parsed.tree), undefined, sql);
      }
    } finally {
      connection.closeSync();
      plain.closeSync();
    }
  });
});

describe('layer 2: the locked instances refuse every shape without the guard', () => {
  test("a run's query connection: no file, no URL, no extension, no settings change", async () => {
    const store = await EventStore.open({ cacheDir: join(root, 'cache-layer2'), threads: 1 });
    try {
      const { ingest } = await scanLocalLogs(store, logs, ALL_TIME);
      // The store's own view still works on the locked instance.
      const own = await runQuery(
        store,
        { fileIds: ingest.fileIds, batchFiles: ingest.batchFiles, window: ALL_TIME },
        'SELECT eventID FROM cloudtrail_logs',
      );
      assert.deepEqual(own.rows, [['hostile-1']]);
      const connection = await store.connect();
      try {
        for (const [name, sql] of Object.entries(shapes())) await assertContained(connection, name, sql);
        for (const sql of [
          'SET enable_external_access = true',
          "SET allowed_directories = ['/']",
          'INSTALL httpfs',
          'LOAD httpfs',
          `ATTACH '${join(root, 'x.duckdb')}'`,
        ]) {
          await assert.rejects(connection.run(sql), /locked|disabled|Permission|not allowed|Cannot/, sql);
        }
        // The writer holds the catalogue and runs only the engine's own SQL; it too is closed
        // to everything outside its cache folder.
        await assert.rejects(store.writer.run(`SELECT * FROM '${secret}'`), /file system operations are disabled/);
        await assert.rejects(store.writer.run('SET enable_external_access = true'), /locked/);
        // An https name meets the lock, not an attempt to install or load httpfs.
        await assert.rejects(
          connection.run(entryOf(shapes(), 'an https URL')),
          /Cannot access file "https:.*file system operations are disabled/,
        );
      } finally {
        connection.closeSync();
      }
    } finally {
      store.close();
    }
    assert.equal(connections, 0, 'a runbook query connected to the listener');
  });

  test("lint's instance reaches no file at all", async () => {
    const checker = await openSqlChecker();
    try {
      for (const [name, sql] of Object.entries(shapes())) await assertContained(checker.connection, name, sql);
      await assert.rejects(checker.connection.run(`SELECT * FROM '${otherParquet}'`), /file system operations are disabled/);
    } finally {
      checker.close();
    }
    assert.equal(connections, 0);
  });
});

describe('both layers through the faces a reviewer touches', () => {
  const runbookPath = join(root, 'hostile.md');
  before(() => {
    const cells = Object.entries(shapes()).map(([name, sql], i) => `## ${name}\n\n\`\`\`cloudtrail id=shape-${i}\n${sql}\n\`\`\`\n`);
    // A path built from data: cell 1 computes it, cell 2 uses it as a CTE name and a table.
    cells.push(
      `## path from data\n\n\`\`\`cloudtrail id=path\nSELECT '${root}' || '/sec' || 'ret.csv' AS u\n\`\`\`\n`,
      `\`\`\`cloudtrail id=from-data\nWITH {{path.u}} AS (SELECT 1 AS x) SELECT * FROM {{path.u}}\n\`\`\`\n`,
    );
    writeFileSync(runbookPath, `---\ntitle: Hostile\n---\n\n${cells.join('\n')}`);
  });

  const exec = promisify(execFile);
  async function trailbook(...args: string[]): Promise<{ status: number; output: string }> {
    // Asynchronously: the listener must be free to count a connection if one is tried.
    try {
      const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
      const { stdout, stderr } = await exec(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/main.ts'), ...args], {
        cwd: work,
        env: { ...process.env, HOME: home, TRAILBOOK_CACHE_DIR: join(root, 'cache-cli') },
        maxBuffer: 16 * 1024 * 1024,
      });
      return { status: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { status: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }

  test('trailbook lint names every shape and reads nothing', async () => {
    const { status, output } = await trailbook('lint', runbookPath);
    assert.equal(status, 2, output);
    assert.doesNotMatch(output, new RegExp(CANARY));
    for (let i = 0; i < Object.keys(shapes()).length; i += 1) assert.match(output, new RegExp(`cell shape-${i}: `), `shape-${i}`);
    assert.equal(existsSync(join(home, '.duckdb')), false, 'lint created an extension folder');
    assert.equal(connections, 0);
  });

  test('trailbook run refuses every shape, the path built from data included, and reads nothing', async () => {
    const { status, output } = await trailbook('run', runbookPath, '--logs', logs, '--format', 'json');
    assert.equal(status, 2, output);
    assert.doesNotMatch(output, new RegExp(CANARY));
    const report = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as {
      cells: { id: string; status: string; error?: { message: string } }[];
    };
    const byId = new Map(report.cells.map((cell) => [cell.id, cell]));
    assert.equal(byId.get('path')?.status, 'ok', 'the cell computing a path is harmless on its own');
    for (const [id, cell] of byId) {
      if (id === 'path') continue;
      assert.equal(cell.status, 'error', `${id} ran: ${JSON.stringify(cell)}`);
      assert.match(
        cell.error?.message ?? '',
        /not a plain name|unknown table|not available in runbook queries|Parser Error|syntax error/,
        id,
      );
    }
    assert.equal(existsSync(join(home, '.duckdb')), false, 'run created an extension folder');
    assert.equal(connections, 0);
  });

  test("the editor's lint (the extension runtime's, as diagnostics call it) reports every shape", async () => {
    const runtime = createRuntime({ cacheDir: join(root, 'cache-editor') });
    try {
      const problems = await runtime.lint(readFileSync(runbookPath, 'utf8'), runbookPath);
      const text = problems.map((p) => p.message).join('\n');
      assert.doesNotMatch(text, new RegExp(CANARY));
      for (let i = 0; i < Object.keys(shapes()).length; i += 1) assert.match(text, new RegExp(`cell shape-${i}: `), `shape-${i}`);
      assert.match(text, /cell from-data: /);
    } finally {
      runtime.dispose();
    }
    assert.equal(existsSync(join(home, '.duckdb')), false);
    assert.equal(connections, 0);
  });
});
