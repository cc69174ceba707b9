// generateTrail: plans the range, builds background and attack records in time order,
// hands them to CloudTrail-style delivery streams, and writes the manifest.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildActors } from './actors';
import { placeAttacks, resolveAttacks } from './attacks/index';
import { Background } from './background';
import { Delivery } from './delivery';
import { GENERATOR, MANIFEST_FILE, type Manifest } from './manifest';
import { organisation } from './org';
import { Rng } from './prng';
import { planRhythm, SLOT } from './rhythm';
import { DAY, isoSeconds } from './time';
import { REGIONS, type Timed } from './types';
import { GzipWriter } from './writer';
import { nth } from './nth';

export interface GenerateOptions {
  outDir: string;
  events: number;
  seed?: number;
  start?: Date;
  days?: number;
  attacks?: string[];
  onProgress?: (written: number) => void;
  /** gzip level (default 6, what the benchmark assumes). */
  gzipLevel?: number;
}

export interface GenerateResult {
  files: number;
  events: number;
  bytes: number;
  manifestPath: string;
}

/** Fixed defaults, not "now": a trail must not depend on the day it was generated. */
export const DEFAULT_SEED = 1;
export const DEFAULT_START = new Date('2025-03-03T00:00:00Z'); // a Monday
export const DEFAULT_DAYS = 7;

function validate(o: GenerateOptions): { seed: number; start: number; days: number } {
  if (!Number.isSafeInteger(o.events) || o.events < 1) throw new RangeError(`events must be a positive integer, got ${o.events}`);
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const start = (o.start ?? DEFAULT_START).getTime();
  if (!Number.isFinite(start)) throw new RangeError('start is not a valid date');
  const days = o.days ?? DEFAULT_DAYS;
  if (!(days > 0) || days > 3660) throw new RangeError(`days must be in (0, 3660], got ${days}`);
  return { seed, start, days };
}

async function assertEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (entries.length > 0) throw new Error(`${dir} is not empty; generateTrail writes only into a new or empty directory`);
}

export async function generateTrail(options: GenerateOptions): Promise<GenerateResult> {
  const { seed, start, days } = validate(options);
  await assertEmpty(options.outDir);
  await mkdir(options.outDir, { recursive: true });

  // Independent streams, so that e.g. injecting an attack does not reshuffle file names.
  const root = new Rng(seed);
  const planRng = root.fork('rhythm');
  const backgroundRng = root.fork('background');
  const attackRng = root.fork('attacks');
  const fileRng = root.fork('files');

  const org = organisation();
  const end = start + Math.round(days * DAY);
  const attacks = placeAttacks(attackRng, org, resolveAttacks(options.attacks ?? []), start, end);
  const attackEvents = attacks.records.length;
  if (attackEvents > options.events) {
    throw new RangeError(`the requested attacks produce ${attackEvents} events, more than the ${options.events} requested`);
  }
  const backgroundEvents = options.events - attackEvents;

  const actors = buildActors(org);
  const plan = planRhythm(planRng, { start, days, events: backgroundEvents, burstKinds: actors.bursts.length });
  const background = new Background(backgroundRng, actors);
  background.tuneSessions(backgroundEvents / ((end - start) / (DAY / 24)));

  const writer = new GzipWriter(options.gzipLevel ?? 6, 2, 8, options.onProgress);
  const delivery = new Delivery(fileRng, options.outDir, writer);
  const bySource = new Map<string, number>();
  let first = Infinity;
  let last = -Infinity;
  const emit = (e: Timed) => {
    bySource.set(e.r.eventSource, (bySource.get(e.r.eventSource) ?? 0) + 1);
    if (e.t < first) first = e.t;
    if (e.t > last) last = e.t;
    delivery.add(e);
  };

  let nextAttack = 0;
  const attackRecords = attacks.records;
  /** Emits the attack records due by `t`, in order, before the background event at `t`. */
  const emitAttacksUntil = (t: number): void => {
    for (let record = attackRecords[nextAttack]; record !== undefined && record.t <= t; record = attackRecords[nextAttack]) {
      emit(record);
      nextAttack += 1;
    }
  };
  let offsets = new Float64Array(64);
  let sinceYield = 0;
  for (const [slot, n] of plan.counts.entries()) {
    const t0 = start + slot * SLOT;
    const len = Math.min(SLOT, end - t0);
    if (n > offsets.length) offsets = new Float64Array(n * 2);
    const times = offsets.subarray(0, n);
    for (let i = 0; i < n; i++) times[i] = Math.floor(backgroundRng.float() * len);
    times.sort();
    // The plan's arrays all have one entry per slot.
    const human = plan.human[slot]!;
    const burst = plan.burst[slot]!;
    const kind = plan.burstKind[slot]!;
    for (const offset of times) {
      const t = t0 + offset;
      emitAttacksUntil(t);
      emit(background.next(t, human, burst, kind));
    }
    // Wait when enough files are being compressed; otherwise still return to the event
    // loop now and then, so finished compressions reach the file system promptly.
    sinceYield += n;
    if (writer.full) {
      await writer.waitForRoom();
      sinceYield = 0;
    } else if (sinceYield >= 2000) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sinceYield = 0;
    }
  }
  emitAttacksUntil(Infinity);
  delivery.finish();
  await writer.finish();

  const manifest: Manifest = {
    generator: GENERATOR,
    formatVersion: 1,
    seed,
    events: options.events,
    backgroundEvents,
    attackEvents,
    files: writer.files,
    start: isoSeconds(start),
    end: isoSeconds(end),
    days,
    firstEventTime: isoSeconds(first),
    lastEventTime: isoSeconds(last),
    bursts: plan.burstsPlanned,
    accounts: org.accounts.map((a) => ({ ...a.account })),
    regions: [...REGIONS],
    eventsBySource: Object.fromEntries([...bySource.entries()].sort(([a], [b]) => a.localeCompare(b))),
    attacks: attacks.placed.map((a) => ({
      name: a.name,
      description: a.description,
      account: a.account,
      principal: a.principal,
      sourceIPAddress: a.sourceIPAddress,
      firstEventTime: nth(a.records, 0, `event of attack ${a.name}`).r.eventTime,
      lastEventTime: nth(a.records, a.records.length - 1, `event of attack ${a.name}`).r.eventTime,
      eventIDs: a.records.map((r) => r.r.eventID),
      ...(a.details ? { details: a.details } : {}),
    })),
  };
  const manifestPath = join(options.outDir, MANIFEST_FILE);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { files: writer.files, events: writer.events, bytes: writer.bytes, manifestPath };
}
