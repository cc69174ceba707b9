// Hostile log folders (issue 10, holes 5, 6, 7 and 9): files shaped to crash a reader,
// to exhaust memory, to stop the directory walk, or to leak another file's content. Each
// must be a problem naming the file, the good file beside them must be read, and memory
// must stay bounded: measured on the CLI as a child process, by /usr/bin/time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, createWriteStream, ftruncateSync, mkdirSync, openSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { ALL_TIME } from '../../src/engine/timeWindow';
import { scanLocalLogs } from '../../src/sources/local/localLogs';
import { openStore, query } from '../support/store';
import { tempDir } from '../support/tempDir';
import { itemAt } from '../support/itemAt';

const ROOT = resolve(__dirname, '../..');
const CANARY = 'CANARY-7f3a9c-not-for-error-messages';

function record(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    eventTime: `2024-07-31T13:${String(n).padStart(2, '0')}:00Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
    eventID: `good-${n}`,
    ...extra,
  };
}

/** A record whose requestParameters nest `depth` levels: 120 KB at 20,000, as in the issue. */
const deepRecord = (depth: number): string =>
  `{"eventTime":"2024-07-31T14:00:00Z","eventName":"Deep","requestParameters":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

/** A gzip of `bytes` bytes, `prefix` then `fill`, streamed: never held in memory. */
async function gzipBomb(path: string, prefix: string, fill: number, bytes: number, level: number): Promise<void> {
  const block = Buffer.alloc(1024 * 1024, fill);
  async function* content(): AsyncGenerator<Buffer> {
    yield Buffer.from(prefix);
    for (let written = 0; written < bytes; written += block.length) yield block;
  }
  await pipeline(content(), createGzip({ level }), createWriteStream(path));
}

async function listen(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(path, done));
  after(() => server.close());
  return server;
}

/** The folder of the shapes, beside one good file. */
async function hostileFolder(): Promise<{ dir: string; outside: string }> {
  const dir = tempDir();
  const outside = tempDir();
  const write = (name: string, content: string | Buffer): void => writeFileSync(join(dir, name), content);
  write('good.json', JSON.stringify({ Records: [record(1), record(2)] }));
  // Hole 5: nesting that overflowed the stack (NDJSON), and crashed DuckDB when it sampled
  // a batch's first files to detect their shape (records form; it no longer does: stored,
  // its text is refused to json_structure(), below).
  write('deep.json', `{"Records":[${deepRecord(20_000)}]}`);
  write('deep.ndjson', `${JSON.stringify(record(3))}\n${deepRecord(20_000)}\n`);
  // Hole 6: 1 GiB of zeros in a 1 MB gzip (the issue's); 512 MB of whitespace after a
  // valid start (past the 256 MB cap; level 1 writes it faster, into 2 MB); a sparse
  // 2 GB file that takes a few KB of disk.
  await gzipBomb(join(dir, 'zeros.json.gz'), '', 0, 1024 ** 3, 9);
  await gzipBomb(join(dir, 'spaces.json.gz'), '{"Records":[', 0x20, 512 * 1024 ** 2, 1);
  const sparse = openSync(join(dir, 'sparse.json'), 'w');
  writeFileSync(sparse, '{"Records":[');
  ftruncateSync(sparse, 2 * 1024 ** 3);
  closeSync(sparse);
  // Hole 7: entries that ended the walk.
  symlinkSync(join(dir, 'missing.json'), join(dir, 'dangling.json'));
  symlinkSync('self-loop.json', join(dir, 'self-loop.json'));
  mkdirSync(join(dir, 'sub'));
  symlinkSync('..', join(dir, 'sub', 'back-up'));
  mkdirSync(join(dir, 'locked'));
  writeFileSync(join(dir, 'locked', 'inside.json'), JSON.stringify([record(4)]));
  chmodSync(join(dir, 'locked'), 0o000);
  spawnSync('mkfifo', [join(dir, 'pipe.json')]);
  await listen(join(dir, 'socket.json'));
  symlinkSync('/dev/zero', join(dir, 'zero-device.json'));
  // Hole 9: bytes that are not UTF-8 in record 2; "logs" that are links to secrets.
  write(
    'latin1.json',
    Buffer.concat([
      Buffer.from(`[${JSON.stringify(record(5))},\n{"eventTime":"2024-07-31T13:06:00Z","eventName":"Caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}]'),
    ]),
  );
  writeFileSync(join(outside, 'credentials'), `[default]\naws_secret_access_key = ${CANARY}\n`);
  symlinkSync(join(outside, 'credentials'), join(dir, 'outside-link.json'));
  write('notes.txt', `${CANARY} is a secret\n`);
  symlinkSync('notes.txt', join(dir, 'notes-link.json'));
  write('ini.json', `[default]\naws_secret_access_key = ${CANARY}\n`);
  // Folders and files readable by the unprivileged user the CLI runs as under root.
  for (const folder of [dir, join(dir, 'sub'), outside]) chmodSync(folder, 0o755);
  return { dir, outside };
}

interface CliRun {
  readonly status: number | null;
  readonly json: { cells: { rows: { n: number }[] }[]; problems: { where: string; message: string }[] };
  readonly stderr: string;
  readonly peakRssMB: number;
}

/**
 * Runs the CLI on `logs` under /usr/bin/time, which reports the peak RSS of the CLI and
 * of the children it waited for (the ingest worker). As root, the CLI runs as `nobody`,
 * so that a folder with mode 000 is unreadable to it as it would be to any user.
 */
function runCli(logs: string): CliRun {
  const runbook = join(tempDir(), 'count.md');
  writeFileSync(runbook, '# Count\n\n```cloudtrail id=count\nSELECT count(*) AS n FROM cloudtrail_logs\n```\n');
  chmodSync(join(runbook, '..'), 0o755);
  const asRoot = process.getuid?.() === 0;
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-v',
      process.execPath,
      '--import',
      'tsx',
      join(ROOT, 'src/cli/main.ts'),
      'run',
      runbook,
      '--logs',
      logs,
      '--no-cache',
      '--format',
      'json',
      '--quiet',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      env: { ...process.env, HOME: '/tmp' },
    },
  );
  assert.equal(result.error, undefined, `could not run /usr/bin/time (apt-get install time): ${result.error?.message}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1];
  assert.ok(rss, `no peak RSS in /usr/bin/time's output:\n${result.stderr}`);
  let json: CliRun['json'];
  try {
    json = JSON.parse(result.stdout) as CliRun['json'];
  } catch {
    assert.fail(`the CLI printed no JSON (status ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { status: result.status, json, stderr: result.stderr, peakRssMB: Number(rss) / 1024 };
}

test(
  'a hostile folder: every bad entry is named with its reason, the good events load, memory stays bounded',
  { timeout: 180_000 },
  async (t) => {
    let started = performance.now();
    const { dir } = await hostileFolder();
    t.diagnostic(`hostile folder written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const run = runCli(dir);
    t.diagnostic(`CLI run: ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${run.peakRssMB.toFixed(0)} MB`);
    const problems = run.json.problems.map((p) => `${p.where.startsWith(dir) ? p.where.slice(dir.length + 1) : p.where} ${p.message}`);
    const has = (name: string, pattern: RegExp): void =>
      assert.ok(
        problems.some((p) => (p.startsWith(`${name} `) || p.startsWith(`${name}:`) ? pattern.test(p) : false)),
        `expected a problem for ${name} matching ${pattern}, got:\n${problems.join('\n')}`,
      );

    has('deep.ndjson:2', /nests deeper than 100 levels at record 2 \(line 2\)/);
    has('zeros.json.gz', /not JSON/);
    has('spaces.json.gz', /expands past 256 MB when decompressed: not a CloudTrail log file/);
    has('sparse.json', /the file is 2,048 MB, past 256 MB: not a CloudTrail log file/);
    has('dangling.json', /broken symbolic link/);
    has('self-loop.json', /symbolic link loop/);
    has('sub/back-up', /read already by another path \(a symbolic link loop/);
    has('locked', /a folder that cannot be read \(EACCES\)/);
    has('pipe.json', /a FIFO \(named pipe\), not a regular file: not read/);
    has('socket.json', /a socket, not a regular file: not read/);
    has('zero-device.json', /a symbolic link to a file outside .*: not followed/);
    has('latin1.json:2', /bytes that are not UTF-8 at record 2 \(line 2\)/);
    has('outside-link.json', /a symbolic link to a file outside .*: not followed/);
    has('notes-link.json', /not JSON: it does not start with "\{" or "\["/);
    has('ini.json', /invalid JSON: an unexpected character/);
    assert.equal(problems.length, 15, problems.join('\n'));
    // No problem quotes what a linked or mistaken file holds.
    assert.ok(!JSON.stringify(run.json).includes(CANARY), "a secret file's content reached the output");
    assert.ok(!run.stderr.includes(CANARY), "a secret file's content reached standard error");

    // good 2 + latin1 2 (its bad byte read as U+FFFD, and reported above) + deep 1.
    assert.equal(run.status, 0, run.stderr);
    assert.equal(itemAt(itemAt(run.json.cells, 0).rows, 0).n, 5);
    // The bombs would take 1 GiB and 512 MB if inflated in memory (2.39 GB was measured
    // before), the sparse file 2 GB: a scan that stops at the cap stays far below.
    // Measured: about 160 MB.
    assert.ok(run.peakRssMB < 1000, `peak RSS ${run.peakRssMB.toFixed(0)} MB`);
  },
);

test('DuckDB crashing in the worker costs the file that crashes it, not the scan', { timeout: 120_000 }, async () => {
  // The worker has no known input left that crashes DuckDB's reader: this 20,000-level file
  // crashed it while DuckDB sampled a batch's first 32 files to detect their shape, which
  // the reader no longer does (batchWrite.ts). So the crash is made: a script preloaded into
  // the real worker (NODE_OPTIONS, which the fork inherits) has it kill itself with SIGSEGV
  // whenever a bulk read names the deep file, as a reader crashing on that file would. The
  // depth check is lifted so that the careful reader also tries the file: the containment
  // alone is under test here.
  const dir = tempDir();
  const hook = join(tempDir(), 'crash-on-deep.cjs');
  writeFileSync(
    hook,
    `process.on('message', (m) => { if (m && m.op === 'bulk' && m.files.some((f) => f.path.endsWith('b-deep.json'))) process.kill(process.pid, 'SIGSEGV'); });`,
  );
  writeFileSync(join(dir, 'a-good.json'), JSON.stringify({ Records: [record(1), record(2)] }));
  writeFileSync(join(dir, 'b-deep.json'), `{"Records":[${deepRecord(20_000)}]}`);
  writeFileSync(join(dir, 'c-good.json'), JSON.stringify({ Records: [record(3)] }));
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${before ?? ''} --require ${hook}`.trim();
  try {
    const store = await openStore();
    const { ingest } = await scanLocalLogs(store, dir, ALL_TIME, { maxJsonDepth: 1_000_000 });
    assert.deepEqual(
      ingest.problems.map((p) => [p.path.slice(dir.length + 1), p.message]),
      [
        [
          'b-deep.json',
          'the JSON reader crashed on this file (its process was killed by SIGSEGV), and reading it record by record failed (RangeError): not read',
        ],
      ],
    );
    const [count] = itemAt(await query(store, dir, 'SELECT count(*) FROM cloudtrail_logs'), 0);
    assert.equal(count, 3);
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
});

test('a text nesting 20,000 levels is stored as text, and json_structure() may not read it', { timeout: 120_000 }, async () => {
  // The bulk reader does not recurse on a text's depth; json_structure() does, and kills the
  // process running the query (the CLI, or the editor's extension host). A string's content
  // can nest as deep as it likes without the file nesting at all, so the call is refused.
  const dir = tempDir();
  writeFileSync(join(dir, 'deep.json'), `{"Records":[${deepRecord(20_000)}]}`);
  writeFileSync(
    join(dir, 'text.json'),
    JSON.stringify({ Records: [record(1, { userAgent: `${'['.repeat(20_000)}${']'.repeat(20_000)}` })] }),
  );
  const store = await openStore();
  const { ingest } = await scanLocalLogs(store, dir, ALL_TIME);
  assert.deepEqual(ingest.problems, []);
  const [storedLength] = itemAt(
    await query(store, dir, "SELECT max(strlen(requestParameters::VARCHAR)) FROM cloudtrail_logs WHERE eventName = 'Deep'"),
    0,
  );
  assert.equal(Number(storedLength), '{"a":'.length * 20_000 + 1 + 20_000);
  for (const call of ['json_structure(requestParameters)', 'json_group_structure(userAgent)', 'JSON_Structure(userAgent::JSON)']) {
    await assert.rejects(
      query(store, dir, `WITH t AS (SELECT * FROM cloudtrail_logs) SELECT ${call} FROM t`),
      /cannot run in a runbook query: it recurses once per level of the JSON it reads/,
      call,
    );
  }
});

test("cache files are the owner's only: folders 0700, batches and the catalogue 0600", async () => {
  const logs = tempDir();
  writeFileSync(join(logs, 'good.json'), JSON.stringify([record(1)]));
  const cache = join(tempDir(), 'cache');
  const store = await openStore({ cacheDir: cache });
  await scanLocalLogs(store, logs, ALL_TIME);
  const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
  assert.equal(mode(cache), '700');
  assert.equal(mode(join(cache, 'events')), '700');
  assert.equal(mode(join(cache, 'store.duckdb')), '600');
  assert.equal(mode(join(cache, 'events', 'batch-1.parquet')), '600');
});
