// When events happen. The range is cut into one-minute slots; each slot gets a weight
// (workloads steady day and night, people during office hours in Europe then the US,
// little at weekends, plus a few bursts), and the requested count is spread over the
// slots by cumulative rounding, so the total is exact whatever the weights.
import type { Rng } from './prng';
import { DAY, MINUTE } from './time';

export const SLOT = MINUTE;

export interface Plan {
  start: number;
  end: number;
  slots: number;
  /** Background events in each slot. */
  counts: Uint32Array;
  /** Chance that a non-burst event in the slot comes from a person rather than a workload. */
  human: Float32Array;
  /** Chance that an event in the slot belongs to the slot's burst. */
  burst: Float32Array;
  /** Which burst kind runs in the slot, or -1. */
  burstKind: Int16Array;
  burstsPlanned: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const between = (h: number, from: number, to: number) => sigmoid((h - from) * 2.5) * sigmoid((to - h) * 2.5);

/** People's activity by UTC hour: a European day with a lunch dip, then a US afternoon. */
export function humanActivity(ms: number): number {
  const d = new Date(ms);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const lunch = (h - 12) / 0.7;
  const europe = between(h, 7, 17) * (1 - 0.3 * Math.exp(-lunch * lunch));
  const us = between(h, 13.5, 22.5);
  const weekday = d.getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.08 : 1;
  return 1.2 * (europe + 0.5 * us) * weekend;
}

const MACHINE = 1;
const BURST_SHARE = 0.05;

export function planRhythm(rng: Rng, opts: { start: number; days: number; events: number; burstKinds: number }): Plan {
  const { start, events } = opts;
  const end = start + Math.round(opts.days * DAY);
  const slots = Math.ceil((end - start) / SLOT);
  const weights = new Float64Array(slots);
  const human = new Float32Array(slots);
  const burst = new Float32Array(slots);
  const burstKind = new Int16Array(slots).fill(-1);

  let baseTotal = 0;
  for (let i = 0; i < slots; i++) {
    const t0 = start + i * SLOT;
    const slotLen = Math.min(SLOT, end - t0) / SLOT; // the last slot may be partial
    const h = humanActivity(t0 + SLOT / 2);
    const weight = (MACHINE + h) * slotLen;
    weights[i] = weight;
    human[i] = h / (MACHINE + h);
    baseTotal += weight;
  }

  // Bursts: about one and a half a day, each 2-6 minutes, 5 % of all events together.
  let planned = 0;
  const burstEvents = Math.round(events * BURST_SHARE);
  const wanted = Math.min(Math.max(1, Math.round(opts.days * 1.5)), Math.floor(burstEvents / 20));
  if (opts.burstKinds > 0 && wanted > 0 && slots > 12) {
    const perEventWeight = baseTotal / Math.max(1, events - burstEvents);
    const perBurst = burstEvents / wanted;
    for (let b = 0; b < wanted; b++) {
      const len = rng.range(2, 6);
      const first = rng.int(slots - len);
      let free = true;
      for (let i = first; i < first + len; i++) if (burstKind[i] !== -1) free = false;
      if (!free) continue;
      const kind = rng.int(opts.burstKinds);
      const w = (perBurst / len) * perEventWeight;
      // first + len <= slots, so every index below is a slot.
      for (let i = first; i < first + len; i++) {
        const before = weights[i]!;
        burstKind[i] = kind;
        burst[i] = w / (before + w);
        weights[i] = before + w;
      }
      planned++;
    }
  }

  let total = 0;
  for (const weight of weights) total += weight;
  const counts = new Uint32Array(slots);
  let acc = 0;
  let given = 0;
  for (const [i, weight] of weights.entries()) {
    acc += weight;
    const target = i === slots - 1 ? events : Math.min(events, Math.round((acc / total) * events));
    counts[i] = target - given;
    given = target;
  }
  return { start, end, slots, counts, human, burst, burstKind, burstsPlanned: planned };
}
