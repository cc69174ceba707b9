// What every attack scenario shares: its inputs (a PRNG, the organisation, a start
// time), its output (records plus what the manifest says about them) and a clock
// that moves forward by human- or script-like pauses.
import type { Org } from '../org';
import type { Rng } from '../prng';
import { makeRecord, type CallSpec } from '../record';
import type { ActionDef } from '../action';
import type { Timed } from '../types';

export interface AttackEnv {
  rng: Rng;
  org: Org;
  /** When the attack starts (epoch ms); it must end within `duration`. */
  t0: number;
}

export interface AttackResult {
  records: Timed[];
  account: string;
  principal: string;
  sourceIPAddress: string;
  details?: Record<string, string>;
}

export interface Attack {
  name: string;
  description: string;
  /** Upper bound of the time from the first to the last record. */
  duration: number;
  run(env: AttackEnv): AttackResult;
}

/** Advances by random pauses: a script waits a second, a person reads a page. */
export class Clock {
  constructor(
    public t: number,
    private readonly rng: Rng,
  ) {}

  after(minSeconds: number, maxSeconds: number): number {
    this.t += Math.round((minSeconds + this.rng.float() * (maxSeconds - minSeconds)) * 1000);
    return this.t;
  }
}

/** Builds records for one attacker: same identity, address and agent unless overridden. */
export function caller(base: Omit<CallSpec, 'time' | 'region'> & { clock: Clock }) {
  const records: Timed[] = [];
  const call = (def: ActionDef, region: CallSpec['region'], extra: Partial<CallSpec> = {}, pause: [number, number] = [1, 4]): Timed => {
    const { clock, ...spec } = base;
    const rec = makeRecord(def, { ...spec, time: clock.after(pause[0], pause[1]), region, ...extra });
    records.push(rec);
    return rec;
  };
  return { call, records };
}
