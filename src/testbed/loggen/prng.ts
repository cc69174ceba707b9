// A small seeded PRNG (sfc32, seeded through splitmix32). Generated trails must be the
// same on every machine for a given seed, so nothing here may touch Math.random, the
// clock or platform-dependent maths: only 32-bit integer arithmetic.

/** splitmix32: spreads a user seed (often 1, 2, 3…) into well-mixed 32-bit words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const st = { s: seed | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st) | 1;
    // sfc32 needs a few rounds before its output is independent of the seed pattern.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** An independent generator for one part of the output (attacks, file names…), so
   *  that adding draws in one part does not shift every value in the others. */
  fork(label: string): Rng {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Rng((this.u32() ^ h) | 0);
  }

  /** Next 32-bit unsigned integer (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('Rng.pick: nothing to pick from an empty list');
    return item;
  }
}

/** A weighted choice prepared once (cumulative weights), drawn many times. */
export class Weighted<T> {
  /** Each item with the sum of the weights up to and including its own. */
  private readonly cumulative: { readonly item: T; readonly upTo: number }[] = [];
  private readonly last: T;
  private total = 0;

  constructor(entries: Iterable<readonly [T, number]>) {
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      this.total += weight;
      this.cumulative.push({ item, upTo: this.total });
    }
    const last = this.cumulative.at(-1);
    if (last === undefined) throw new Error('Weighted: no entry with a positive weight');
    this.last = last.item;
  }

  draw(rng: Rng): T {
    const x = rng.float() * this.total;
    // Lists are short (tens of entries), so a linear scan beats a binary search.
    for (const { item, upTo } of this.cumulative) if (x < upTo) return item;
    return this.last;
  }
}
