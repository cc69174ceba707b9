// What writing one batch of the cache costs, by the Parquet options it is written with:
// the ingest worker's statement (batchWrite.ts) over the first files of the generated trail,
// each variant in a fresh process (so its peak memory is its own), variants alternated over
// rounds with the load average printed beside each figure. Figures for choosing the cache's
// codec and row groups (docs/local-logs.md), not a test.
//   tsx bench/cacheWrite.ts [--files 1000] [--skip 0] [--rounds 2] [--threads N] [--memory 2GB] [variant…]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { RECORD_TYPE } from '../src/engine/schema';
import { sqlString } from '../src/engine/sqlText';
import { withStoredTime } from '../src/engine/storedEventTime';
import { benchTrailDir, ensureBenchTrail } from './benchTrail';
import { oneMinuteLoad } from './figures';

/** COPY options by name; `null`: parse and unnest everything, write nothing (the floor). */
const VARIANTS: Record<string, string | null> = {
  'parse-only': null,
  zstd: 'COMPRESSION zstd',
  'zstd-1': 'COMPRESSION zstd, COMPRESSION_LEVEL 1',
  'zstd-6': 'COMPRESSION zstd, COMPRESSION_LEVEL 6',
  'zstd-9': 'COMPRESSION zstd, COMPRESSION_LEVEL 9',
  snappy: 'COMPRESSION snappy',
  lz4: 'COMPRESSION lz4',
  'zstd-rg1m': 'COMPRESSION zstd, ROW_GROUP_SIZE 1000000',
  'zstd-v2': "COMPRESSION zstd, PARQUET_VERSION 'V2'",
  'zstd-rg30k': 'COMPRESSION zstd, ROW_GROUP_SIZE 30000',
  'zstd-v2-rg30k': "COMPRESSION zstd, PARQUET_VERSION 'V2', ROW_GROUP_SIZE 30000",
  'zstd-9-v2': "COMPRESSION zstd, COMPRESSION_LEVEL 9, PARQUET_VERSION 'V2'",
  uncompressed: 'COMPRESSION uncompressed',
  'zstd-1-v2': "COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION 'V2'",
  'zstd-v2-rg60k': "COMPRESSION zstd, PARQUET_VERSION 'V2', ROW_GROUP_SIZE 60000",
  // What batchWrite.ts writes (BATCH_PARQUET).
  chosen: "COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION 'V2', ROW_GROUP_SIZE 30000",
  'chosen-dict64k': "COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION 'V2', ROW_GROUP_SIZE 30000, DICTIONARY_SIZE_LIMIT 65536",
};

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

function statement(files: readonly string[], copy: string | null, out: string, order: string | undefined, raw: boolean): string {
  const reader = `read_json([${files.map(sqlString).join(', ')}], columns = {Records: ${sqlString(`${RECORD_TYPE}[]`)}},
    format = 'unstructured', maximum_object_size = 268435456, filename = true)`;
  const stored = raw ? (sql: string): string => sql : withStoredTime;
  const rows = stored(
    `SELECT 0 AS _file, i AS _record, unnest(r) FROM (SELECT unnest(Records) AS r, generate_subscripts(Records, 1) AS i FROM ${reader})`,
  );
  if (copy === null) return `SELECT count(*), sum(length("eventID")) FROM (${rows})`;
  return `COPY (${rows}${order ? ` ORDER BY ${order}` : ''}) TO ${sqlString(out)} (FORMAT parquet, ${copy})`;
}

/** One variant, in this process: prints {ms, bytes, maxRssMB}. */
async function child(variant: string, files: string[], threads: string, memory: string): Promise<void> {
  const raw = variant.endsWith('+raw');
  const [name, order] = variant.replace(/\+raw$/, '').split('+sort=');
  const copy = VARIANTS[name!];
  if (copy === undefined)
    throw new Error(
      `unknown variant ${name}: one of ${Object.keys(VARIANTS).join(', ')} (add +sort=COLUMNS to sort, +raw to leave eventTime as read)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'cache-write-'));
  const out = join(dir, 'batch.parquet');
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memory,
    ...(threads !== 'default' ? { threads } : {}),
    temp_directory: dir,
  });
  const db = await instance.connect();
  await db.run('SET preserve_insertion_order = false');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await db.run(statement(files, copy, out, order, raw));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const bytes = copy === null ? 0 : statSync(out).size;
  // Kept for a look at its columns (parquet_metadata) when asked.
  if (process.env.KEEP_BATCH && copy !== null) execFileSync('cp', [out, join(process.env.KEEP_BATCH, `${variant}.parquet`)]);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ ms, cpuMs, bytes, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const count = Number(option('files', '1000'));
  const rounds = Number(option('rounds', '2'));
  const threads = option('threads', 'default');
  const memory = option('memory', '2GB');
  if (process.argv[2] === '--child') {
    const files = execFileSync(
      'bash',
      [
        '-c',
        `find ${JSON.stringify(process.argv[4])} -name '*.json.gz' | sort | tail -n +${Number(option('skip', '0')) + 1} | head -n ${count}`,
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    const variant = process.argv[3];
    if (variant === undefined) throw new Error('--child needs the variant to run');
    return child(variant, files, threads, memory);
  }
  const trail = await ensureBenchTrail(1_000_000);
  const flags = new Set(['--files', '--skip', '--rounds', '--threads', '--memory']);
  const named = process.argv.slice(2).filter((arg, i, all) => !flags.has(arg) && !flags.has(all[i - 1] ?? ''));
  const variants = named.length > 0 ? named : Object.keys(VARIANTS);
  process.stdout.write(
    `${count} files (after ${option('skip', '0')}) of ${benchTrailDir(1_000_000)}, threads ${threads}, memory limit ${memory}\n`,
  );
  process.stdout.write('variant                       wall ms  cpu ms      MB  peak MB  load\n');
  for (let round = 0; round < rounds; round += 1) {
    for (const variant of variants) {
      const load = oneMinuteLoad();
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          __filename,
          '--child',
          variant,
          trail,
          '--files',
          String(count),
          '--skip',
          option('skip', '0'),
          '--threads',
          threads,
          '--memory',
          memory,
        ],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      if (run.status !== 0) throw new Error(`${variant} failed`);
      const { ms, cpuMs, bytes, maxRssMB } = JSON.parse(run.stdout) as { ms: number; cpuMs: number; bytes: number; maxRssMB: number };
      process.stdout.write(
        `${variant.padEnd(28)} ${ms.toFixed(0).padStart(7)} ${cpuMs.toFixed(0).padStart(7)}  ${(bytes / 1e6).toFixed(2).padStart(6)}  ${maxRssMB.toFixed(0).padStart(7)}  ${load}–${oneMinuteLoad()}\n`,
      );
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
