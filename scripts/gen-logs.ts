// Generates a synthetic CloudTrail trail (S3 layout, gzip'd JSON) for tests, the demo
// and benchmarks:
//   npx tsx scripts/gen-logs.ts --events N --out DIR [--seed S] [--start YYYY-MM-DD] [--days D] [--attacks a,b|all]
// It refuses to write into a non-empty folder that it did not generate, and replaces a
// previously generated one only once the new trail is complete.
import { parseArgs } from 'node:util';
import { ATTACK_NAMES, DEFAULT_DAYS, DEFAULT_SEED, DEFAULT_START, generateTrail, MANIFEST_FILE } from '../src/testbed/loggen/index';
import { stageOutput, UnsafeOutputError } from '../src/testbed/loggen/outdir';

const USAGE = `usage: npx tsx scripts/gen-logs.ts --events N --out DIR [options]

  --events N        number of events to write (exact, attacks included)
  --out DIR         output folder (new, empty, or a previously generated trail)
  --seed S          integer seed (default ${DEFAULT_SEED}); same seed, same files
  --start DATE      first day, YYYY-MM-DD, UTC (default ${DEFAULT_START.toISOString().slice(0, 10)})
  --days D          length of the range in days (default ${DEFAULT_DAYS})
  --attacks LIST    comma-separated attack names, or "all" (default: none)
                    ${ATTACK_NAMES.join(', ')}
  -h, --help        show this help`;

class UsageError extends Error {}

function integer(name: string, text: string, min: number): number {
  const clean = text.replace(/_/g, '');
  if (!/^-?\d+$/.test(clean)) throw new UsageError(`--${name} must be an integer, got "${text}"`);
  const n = Number(clean);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${text}"`);
  return n;
}

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        events: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        days: { type: 'string' },
        attacks: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return undefined;
  if (values.events === undefined) throw new UsageError('--events is required');
  if (values.out === undefined || values.out === '') throw new UsageError('--out is required');
  const events = integer('events', values.events, 1);
  const seed = values.seed === undefined ? DEFAULT_SEED : integer('seed', values.seed, Number.MIN_SAFE_INTEGER);
  let start = DEFAULT_START;
  if (values.start !== undefined) {
    const d = new Date(`${values.start}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== values.start) {
      throw new UsageError(`--start must be a date YYYY-MM-DD, got "${values.start}"`);
    }
    start = d;
  }
  let days = DEFAULT_DAYS;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!/^\d+(\.\d+)?$/.test(values.days) || !(days > 0) || days > 3660) throw new UsageError(`--days must be a number in (0, 3660], got "${values.days}"`);
  }
  let attacks: string[] = [];
  if (values.attacks !== undefined && values.attacks.trim() !== '') {
    attacks = values.attacks.trim() === 'all' ? [...ATTACK_NAMES] : values.attacks.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = attacks.filter((a) => !ATTACK_NAMES.includes(a));
    if (unknown.length) throw new UsageError(`unknown attack(s): ${unknown.join(', ')}; known: ${ATTACK_NAMES.join(', ')}, or "all"`);
    if (new Set(attacks).size !== attacks.length) throw new UsageError('--attacks lists a name twice');
  }
  return { events, out: values.out, seed, start, days, attacks };
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`gen-logs: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (!opts) {
    console.log(USAGE);
    return 0;
  }

  let staged;
  try {
    staged = await stageOutput(opts.out);
  } catch (e) {
    if (!(e instanceof UnsafeOutputError)) throw e;
    console.error(`gen-logs: ${e.message}`);
    return 2;
  }
  const cleanUp = () => {
    void staged.abort().finally(() => process.exit(130));
  };
  process.once('SIGINT', cleanUp);

  const began = performance.now();
  const tty = process.stderr.isTTY;
  let lastShown = 0;
  try {
    const result = await generateTrail({
      outDir: staged.tmp,
      events: opts.events,
      seed: opts.seed,
      start: opts.start,
      days: opts.days,
      attacks: opts.attacks,
      onProgress: (written) => {
        const now = performance.now();
        if (tty && now - lastShown > 250) {
          lastShown = now;
          process.stderr.write(`\r${written.toLocaleString('en-US')} / ${opts.events.toLocaleString('en-US')} events`);
        }
      },
    });
    if (tty) process.stderr.write('\r\x1b[K');
    await staged.commit();
    const seconds = (performance.now() - began) / 1000;
    const end = new Date(opts.start.getTime() + opts.days * 86_400_000);
    console.log(`wrote ${result.events.toLocaleString('en-US')} events in ${result.files.toLocaleString('en-US')} files to ${opts.out}`);
    console.log(`  range    ${opts.start.toISOString()} .. ${end.toISOString()} (${opts.days} days), seed ${opts.seed}`);
    console.log(`  size     ${(result.bytes / 1e6).toFixed(1)} MB gzip`);
    console.log(`  time     ${seconds.toFixed(1)} s (${Math.round(result.events / seconds).toLocaleString('en-US')} events/s)`);
    console.log(`  attacks  ${opts.attacks.length ? opts.attacks.join(', ') : 'none'}`);
    console.log(`  manifest ${opts.out.replace(/\/$/, '')}/${MANIFEST_FILE}`);
    return 0;
  } catch (e) {
    await staged.abort();
    if (e instanceof RangeError || e instanceof UnsafeOutputError) {
      console.error(`gen-logs: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', cleanUp);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('gen-logs:', e instanceof Error ? e.stack ?? e.message : e);
    process.exit(1);
  },
);
